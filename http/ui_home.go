package http

import (
	"net/http"
)

// home sends people who are signed in to their reports, and shows
// newcomers how to report a vulnerability.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	if a := actorFrom(r.Context()); a.User != nil {
		// Signed in, the first page is what waits on the person.
		in, err := s.svc.Inbox(r.Context(), a)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, "inbox", "What waits on you", &in)
	}
	return s.render(w, r, http.StatusOK, "home", "Vulnerability reports", nil)
}
