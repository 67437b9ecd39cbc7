package http

import "net/http"

// forgeAdvisoryRoutes are the routes of a report's repository advisory on
// GitHub (issue 16): the CVE asked of GitHub's CNA through it, for a
// project whose CNA is GitHub.
func (s *Server) forgeAdvisoryRoutes() {
	s.mux.Handle("POST /api/v1/reports/{id}/cve-request/github", s.api(s.requestForgeCVE))
	s.mux.Handle("POST /api/v1/reports/{id}/github-fork", s.api(s.createForgeFork))
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
