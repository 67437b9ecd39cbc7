package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

// impactRoutes are the routes of the impact description's draft and
// approvals, a project's own templates, and CVE Services (issue 4).
func (s *Server) impactRoutes() {
	m := s.mux
	m.Handle("GET /api/v1/reports/{id}/impact", s.api(s.getImpact))
	m.Handle("POST /api/v1/reports/{id}/impact/draft", s.api(s.draftImpact))
	m.Handle("POST /api/v1/reports/{id}/impact/approve", s.api(s.approveImpact))

	m.Handle("GET /api/v1/projects/{name}/templates/{template}", s.api(s.getProjectTemplate))
	m.Handle("PUT /api/v1/projects/{name}/templates/{template}", s.api(s.setProjectTemplate))
	m.Handle("DELETE /api/v1/projects/{name}/templates/{template}", s.api(s.resetProjectTemplate))
	m.Handle("POST /api/v1/projects/{name}/templates/{template}/preview", s.api(s.previewProjectTemplate))

	m.Handle("GET /api/v1/projects/{name}/cna", s.api(s.getCNASettings))
	m.Handle("PUT /api/v1/projects/{name}/cna", s.api(s.setCNASettings))
	m.Handle("POST /api/v1/reports/{id}/cve-reserve", s.api(s.reserveCVE))
	m.Handle("POST /api/v1/advisories/{id}/cve-publish", s.api(s.publishCVE))
}

func (s *Server) getImpact(w http.ResponseWriter, r *http.Request) error {
	return reportOne(w, r, s.svc.Impact)
}

// DraftImpactInput asks for the impact description drafted from the
// project's template; Replace overwrites a text the report already has.
type DraftImpactInput struct {
	Replace bool `json:"replace"`
}

func (s *Server) draftImpact(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, in DraftImpactInput) (any, error) {
		return s.svc.DraftImpact(r.Context(), actorFrom(r.Context()), id, in.Replace)
	})(w, r)
}

// approveImpact takes no input: who approves, and in what capacity, is
// the caller, never a field of the request.
func (s *Server) approveImpact(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, _ empty) (any, error) {
		return s.svc.ApproveImpact(r.Context(), actorFrom(r.Context()), id)
	})(w, r)
}

func (s *Server) getProjectTemplate(w http.ResponseWriter, r *http.Request) error {
	v, err := s.svc.ProjectTemplate(r.Context(), actorFrom(r.Context()), r.PathValue("name"), r.PathValue("template"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

// TemplateInput is a project's own text for one template.
type TemplateInput struct {
	Text string `json:"text"`
}

func (s *Server) setProjectTemplate(w http.ResponseWriter, r *http.Request) error {
	var in TemplateInput
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.svc.SetProjectTemplate(r.Context(), actorFrom(r.Context()), r.PathValue("name"), r.PathValue("template"), in.Text)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

// previewProjectTemplate renders the text given (none: the one in use)
// against the sample report, storing nothing: 200 with the subject and
// body, 400 with the reason for a text that would be refused.
func (s *Server) previewProjectTemplate(w http.ResponseWriter, r *http.Request) error {
	var in TemplateInput
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.svc.PreviewProjectTemplate(r.Context(), actorFrom(r.Context()), r.PathValue("name"), r.PathValue("template"), in.Text)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) resetProjectTemplate(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.ResetProjectTemplate(r.Context(), actorFrom(r.Context()), r.PathValue("name"), r.PathValue("template")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) getCNASettings(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.CNASettingsOf(r.Context(), actorFrom(r.Context()), r.PathValue("name"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) setCNASettings(w http.ResponseWriter, r *http.Request) error {
	var in vmt.CNASettings
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.svc.SetCNASettings(r.Context(), actorFrom(r.Context()), r.PathValue("name"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) reserveCVE(w http.ResponseWriter, r *http.Request) error {
	return reportAction(s, func(r *http.Request, id int64, _ empty) (any, error) {
		return s.svc.ReserveCVE(r.Context(), actorFrom(r.Context()), id)
	})(w, r)
}

// PublishCVEInput names the CVE of the advisory to publish ("" for its
// only one).
type PublishCVEInput struct {
	CVE string `json:"cve"`
}

func (s *Server) publishCVE(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in PublishCVEInput
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	res, err := s.svc.PublishCVE(r.Context(), actorFrom(r.Context()), id, in.CVE)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}
