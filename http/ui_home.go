package http

import (
	"net/http"
)

// home sends people who are signed in to their reports, and shows
// newcomers how to report a vulnerability.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	if actorFrom(r.Context()).User != nil {
		return redirect(w, r, "/reports")
	}
	return s.render(w, r, http.StatusOK, "home", "Vulnerability reports", nil)
}
