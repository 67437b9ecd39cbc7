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

// intakeRoutes are the routes of a project's intake by mail and of the
// files kept with a report (issue 13).
func (s *Server) intakeRoutes() {
	m := s.mux
	m.Handle("GET /api/v1/projects/{name}/intake", s.api(s.getIntakeSettings))
	m.Handle("PUT /api/v1/projects/{name}/intake", s.api(s.setIntakeSettings))
	m.Handle("GET /api/v1/projects/{name}/intake/failures", s.api(s.intakeFailures))
	m.Handle("GET /api/v1/reports/{id}/attachments", s.api(s.reportAttachments))
	m.Handle("GET /api/v1/reports/{id}/attachments/{attachment}", s.api(s.reportAttachment))
}

func (s *Server) getIntakeSettings(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.IntakeSettingsOf(r.Context(), actorFrom(r.Context()), r.PathValue("name"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) setIntakeSettings(w http.ResponseWriter, r *http.Request) error {
	var in vmt.IntakeSettings
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.svc.SetIntakeSettings(r.Context(), actorFrom(r.Context()), r.PathValue("name"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) intakeFailures(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.svc.IntakeFailures(r.Context(), actorFrom(r.Context()), r.PathValue("name"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[*vmt.IntakeFailure]{Items: fs, Total: len(fs)})
}

func (s *Server) reportAttachments(w http.ResponseWriter, r *http.Request) error {
	return reportList(w, r, s.svc.ReportAttachments)
}

// reportAttachment serves one file's bytes as a download, never as the
// type the sender gave: a mailed "text/html" must not run in the site's
// origin.
func (s *Server) reportAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	aid, err := pathID(r, "attachment")
	if err != nil {
		return err
	}
	as, err := s.svc.ReportAttachments(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	for _, a := range as {
		if a.ID == aid {
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Header().Set("Content-Disposition", `attachment; filename="`+a.Name+`"`) // a cleaned name: [A-Za-z0-9._-]
			w.Header().Set("X-Content-Type-Options", "nosniff")
			w.WriteHeader(http.StatusOK)
			_, err := w.Write(a.Data)
			return err
		}
	}
	return vmt.NotFound("attachment")
}
