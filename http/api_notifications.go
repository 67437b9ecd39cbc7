package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

// notificationSettings answers what the signed-in person receives.
func (s *Server) notificationSettings(w http.ResponseWriter, r *http.Request) error {
	set, err := s.svc.NotificationSettings(r.Context(), actorFrom(r.Context()))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, set)
}

// setNotificationSettings replaces what the signed-in person receives;
// a kind the body does not name is on.
func (s *Server) setNotificationSettings(w http.ResponseWriter, r *http.Request) error {
	var in vmt.NotificationSettings
	if err := decode(r, &in); err != nil {
		return err
	}
	set, err := s.svc.SetNotificationSettings(r.Context(), actorFrom(r.Context()), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, set)
}

// inbox answers what waits on the signed-in person, and what they wait on.
func (s *Server) inbox(w http.ResponseWriter, r *http.Request) error {
	in, err := s.svc.Inbox(r.Context(), actorFrom(r.Context()))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, in)
}
