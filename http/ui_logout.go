package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

// logout ends this session.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.ui.sessions.manager(r).Destroy(r.Context()); err != nil {
		return err
	}
	return redirect(w, r, "/")
}

// logoutEverywhere ends every session of the signed-in user, on every
// device, this one included.
func (s *Server) logoutEverywhere(w http.ResponseWriter, r *http.Request) error {
	a := actorFrom(r.Context())
	if a.User == nil {
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "sign in first")
	}
	n, err := s.ui.sessions.store.DeleteUserSessions(r.Context(), a.ID())
	if err != nil {
		return err
	}
	if err := s.svc.RecordSignOutEverywhere(r.Context(), a, n); err != nil {
		return err
	}
	if err := s.ui.sessions.manager(r).Destroy(r.Context()); err != nil {
		return err
	}
	return redirect(w, r, "/login?signed_out=everywhere")
}
