package http

import "net/http"

// forgeAdvisoryRoutes are the routes of a report's repository advisory on
// GitHub (issue 16): the CVE asked of GitHub's CNA through it, for a
// project whose CNA is GitHub.
func (s *Server) forgeAdvisoryRoutes() {
	s.mux.Handle("POST /api/v1/reports/{id}/cve-request/github", s.api(s.requestForgeCVE))
}

func (s *Server) requestForgeCVE(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, _ empty) (any, error) {
		return s.svc.RequestForgeCVE(r.Context(), actorFrom(r.Context()), id)
	})(w, r)
}
