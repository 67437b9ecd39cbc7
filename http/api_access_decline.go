package http

import (
	"net/http"
)

// declineAccess declines a stakeholder's pending access request, for an
// optional reason the requester reads.
func (s *Server) declineAccess(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	uid, err := pathID(r, "user")
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	d, err := s.svc.DeclineAccess(r.Context(), actorFrom(r.Context()), id, uid, in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// ownAccessRequest is the requester's view of their own request: pending
// or declined (with the reason and when they may ask again); 404 to an
// account the notice did not go to.
func (s *Server) ownAccessRequest(w http.ResponseWriter, r *http.Request) error {
	return reportOne(w, r, s.svc.OwnAccessRequest)
}
