package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

func (s *Server) listProjects(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.svc.Projects(r.Context(), actorFrom(r.Context()))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*vmt.Project]{Items: ps, Total: len(ps)})
}

func (s *Server) createProject(w http.ResponseWriter, r *http.Request) error {
	var in vmt.Project
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.ID != 0 || !in.CreatedAt.IsZero() {
		return vmt.Invalid("id", "is set by the server")
	}
	p, err := s.svc.CreateProject(r.Context(), actorFrom(r.Context()), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}

func (s *Server) project(r *http.Request) (*vmt.Project, error) {
	return s.svc.Project(r.Context(), actorFrom(r.Context()), r.PathValue("name"))
}

func (s *Server) getProject(w http.ResponseWriter, r *http.Request) error {
	p, err := s.project(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) updateProject(w http.ResponseWriter, r *http.Request) error {
	var pp vmt.ProjectPatch
	if err := decode(r, &pp); err != nil {
		return err
	}
	p, err := s.project(r)
	if err != nil {
		return err
	}
	p, err = s.svc.UpdateProject(r.Context(), actorFrom(r.Context()), p.ID, pp)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) members(w http.ResponseWriter, r *http.Request) error {
	p, err := s.project(r)
	if err != nil {
		return err
	}
	ms, err := s.svc.Members(r.Context(), actorFrom(r.Context()), p.ID)
	if err != nil {
		return err
	}
	if ms == nil {
		ms = []vmt.Member{}
	}
	return writeJSON(w, http.StatusOK, List[vmt.Member]{Items: ms, Total: len(ms)})
}

func (s *Server) setMember(w http.ResponseWriter, r *http.Request) error {
	uid, err := pathID(r, "user")
	if err != nil {
		return err
	}
	var in struct {
		Role string `json:"role"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.project(r)
	if err != nil {
		return err
	}
	m := vmt.Member{ProjectID: p.ID, UserID: uid, Role: vmt.MemberRole(in.Role)}
	if err := s.svc.SetMember(r.Context(), actorFrom(r.Context()), m); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}

func (s *Server) removeMember(w http.ResponseWriter, r *http.Request) error {
	uid, err := pathID(r, "user")
	if err != nil {
		return err
	}
	p, err := s.project(r)
	if err != nil {
		return err
	}
	if err := s.svc.RemoveMember(r.Context(), actorFrom(r.Context()), p.ID, uid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
