package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

// The stakeholder registry (the VMT's) and the applications to join it
// (anyone signed in files one and sees their own).

func (s *Server) listStakeholders(w http.ResponseWriter, r *http.Request) error {
	ks, err := s.svc.Stakeholders(r.Context(), actorFrom(r.Context()))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*vmt.Stakeholder]{Items: ks, Total: len(ks)})
}

func (s *Server) createStakeholder(w http.ResponseWriter, r *http.Request) error {
	var in vmt.StakeholderInput
	if err := decode(r, &in); err != nil {
		return err
	}
	k, err := s.svc.CreateStakeholder(r.Context(), actorFrom(r.Context()), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, k)
}

func (s *Server) getStakeholder(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	k, err := s.svc.Stakeholder(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, k)
}

func (s *Server) updateStakeholder(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in vmt.StakeholderInput
	if err := decode(r, &in); err != nil {
		return err
	}
	k, err := s.svc.UpdateStakeholder(r.Context(), actorFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, k)
}

func (s *Server) deleteStakeholder(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svc.DeleteStakeholder(r.Context(), actorFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listStakeholderRequests(w http.ResponseWriter, r *http.Request) error {
	rs, err := s.svc.StakeholderRequests(r.Context(), actorFrom(r.Context()))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*vmt.StakeholderRequest]{Items: rs, Total: len(rs)})
}

func (s *Server) createStakeholderRequest(w http.ResponseWriter, r *http.Request) error {
	var in vmt.StakeholderInput
	if err := decode(r, &in); err != nil {
		return err
	}
	req, err := s.svc.RequestStakeholder(r.Context(), actorFrom(r.Context()), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, req)
}

func (s *Server) getStakeholderRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	req, err := s.svc.StakeholderRequest(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, req)
}

func (s *Server) acceptStakeholderRequest(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, in vmt.DecideInput) (any, error) {
		return s.svc.AcceptStakeholder(r.Context(), actorFrom(r.Context()), id, in)
	})(w, r)
}

func (s *Server) declineStakeholderRequest(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, in vmt.DecideInput) (any, error) {
		return s.svc.DeclineStakeholder(r.Context(), actorFrom(r.Context()), id, in)
	})(w, r)
}
