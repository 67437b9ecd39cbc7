package http

import "net/http"

// forgeAdvisoryRoutes are the routes of a report's repository advisory on
// GitHub (issue 16): the CVE asked of GitHub's CNA through it, for a
// project whose CNA is GitHub.
func (s *Server) forgeAdvisoryRoutes() {
	s.mux.Handle("POST /api/v1/reports/{id}/cve-request/github", s.api(s.requestForgeCVE))
	s.mux.Handle("POST /api/v1/reports/{id}/github-fork", s.api(s.createForgeFork))
	s.mux.Handle("POST /api/v1/reports/{id}/fixes/from-fork", s.api(s.fixFromFork))
}

// FixFromForkInput is the body of POST /api/v1/reports/{id}/fixes/from-fork:
// the supported branch the fix is for, and the branch of the advisory's
// private fork holding its commits on top of it.
type FixFromForkInput struct {
	Branch string `json:"branch"`
	Ref    string `json:"ref"`
}

// fixFromFork takes a branch of the fork in as a patch series: 201 with
// the fix, checked as an upload.
func (s *Server) fixFromFork(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in FixFromForkInput
	if err := decode(r, &in); err != nil {
		return err
	}
	f, err := s.svc.FixFromFork(r.Context(), actorFrom(r.Context()), id, in.Branch, in.Ref)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, f)
}

// createForgeFork asks for the temporary private fork of the report's
// repository advisory (the report's VMT): 200 with the fork once GitHub
// has made it, the first ask queuing it.
func (s *Server) createForgeFork(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, _ empty) (any, error) {
		return s.svc.CreateForgeFork(r.Context(), actorFrom(r.Context()), id)
	})(w, r)
}

func (s *Server) requestForgeCVE(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, _ empty) (any, error) {
		return s.svc.RequestForgeCVE(r.Context(), actorFrom(r.Context()), id)
	})(w, r)
}
