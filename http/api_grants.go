package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

// Stakeholder access grants (issue 5): after the notice the VMT lets a
// stakeholder's account read a private report, and may end it.

func (s *Server) grantStakeholder(w http.ResponseWriter, r *http.Request) error {
	return reportCreate(func(r *http.Request, id int64, in vmt.GrantInput) (any, error) {
		return s.svc.GrantStakeholder(r.Context(), actorFrom(r.Context()), id, in)
	})(w, r)
}

func (s *Server) revokeStakeholder(w http.ResponseWriter, r *http.Request) error {
	return reportUserRemove(w, r, s.svc.RevokeStakeholder)
}

// raiseEmbargo raises a private report for going public, for a reason
// (a complex patch): the architecture committee is subscribed.
func (s *Server) raiseEmbargo(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, in struct {
		Reason string `json:"reason"`
	}) (any, error) {
		return s.svc.RaiseEmbargo(r.Context(), actorFrom(r.Context()), id, in.Reason)
	})(w, r)
}

// requestAccess records a stakeholder's request to read a report it was
// told of; 404 to anyone else.
func (s *Server) requestAccess(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Note string `json:"note"`
	}
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	q, err := s.svc.RequestAccess(r.Context(), actorFrom(r.Context()), id, in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, q)
}

func (s *Server) accessRequests(w http.ResponseWriter, r *http.Request) error {
	return reportList(w, r, s.svc.AccessRequests)
}
