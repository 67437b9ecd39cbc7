package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

// reportDeclineAccess declines a stakeholder's pending access request,
// next to its Grant button, with an optional reason the requester reads.
func (s *Server) reportDeclineAccess(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		uid, err := formID(r, "user_id")
		if err != nil {
			return "", err
		}
		if _, err := s.svc.DeclineAccess(r.Context(), a, id, uid, normalizeNewlines(r.PostForm.Get("reason"))); err != nil {
			return "", err
		}
		return "The access request is declined; the stakeholder sees it.", nil
	})(w, r)
}

// accessPageData is the access page: the report's id, and the visitor's
// own request only when the notice told them of the report (nil
// otherwise, so the page reads the same as for a missing report).
type accessPageData struct {
	ID  int64
	Own *vmt.AccessRequestState
}

func (s *Server) accessPageData(r *http.Request, id int64) (accessPageData, error) {
	st, err := s.svc.OwnAccessRequest(r.Context(), actorFrom(r.Context()), id)
	if vmt.ErrorCode(err) == vmt.ENOTFOUND {
		return accessPageData{ID: id}, nil
	}
	return accessPageData{ID: id, Own: st}, err
}
