package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

// templatesPage is the data of a project's templates page: the eight
// templates with whether the project has its own, and the one open in
// the editor with its preview against a sample report.
type templatesPage struct {
	Nav       adminNav
	Project   string
	Templates []*vmt.TemplateView
	Open      *vmt.TemplateView    // the template in the editor, nil on the list
	Text      string               // the editor's text: the one in use, or the one posted
	Preview   *vmt.TemplatePreview // nil when the text does not render
	Problem   string               // why the text does not render, or was not stored
}

// adminTemplatesPage lists a project's templates, each linked to its
// editor.
func (s *Server) adminTemplatesPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.templatesPage(r, "")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin_templates", "Templates of "+p.Project, p)
}

// adminTemplatePage opens one template in the editor, with the text the
// project uses rendered against the sample report.
func (s *Server) adminTemplatePage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.templatesPage(r, r.PathValue("template"))
	if err != nil {
		return err
	}
	if err := s.previewInto(r, p); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin_templates", p.Open.Name+" of "+p.Project, p)
}

// adminTemplatePreview renders the posted text against the sample report
// and shows it in the editor, storing nothing.
func (s *Server) adminTemplatePreview(w http.ResponseWriter, r *http.Request) error {
	p, err := s.templatesPage(r, r.PathValue("template"))
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	p.Text = r.PostFormValue("text")
	if err := s.previewInto(r, p); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin_templates", "Preview of "+p.Open.Name, p)
}

// adminTemplateSave stores the posted text as the project's own, after
// the same checks as the API; a refused text comes back in the editor
// with the reason, unstored.
func (s *Server) adminTemplateSave(w http.ResponseWriter, r *http.Request) error {
	p, err := s.templatesPage(r, r.PathValue("template"))
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx, a := r.Context(), actorFrom(r.Context())
	p.Text = r.PostFormValue("text")
	if _, err := s.svc.SetProjectTemplate(ctx, a, p.Project, p.Open.Name, p.Text); err != nil {
		switch vmt.ErrorCode(err) {
		case vmt.EINVALID, vmt.ETOOLARGE:
			p.Problem = "Not saved: " + vmt.ErrorMessage(err)
			return s.render(w, r, http.StatusUnprocessableEntity, "admin_templates", p.Open.Name+" of "+p.Project, p)
		}
		return err
	}
	s.flash(r, p.Project+" now uses its own "+p.Open.Name+" template.", false)
	return redirect(w, r, adminTemplatePath(p.Project, p.Open.Name))
}

// adminTemplateReset goes back to the shipped text.
func (s *Server) adminTemplateReset(w http.ResponseWriter, r *http.Request) error {
	p, err := s.templatesPage(r, r.PathValue("template"))
	if err != nil {
		return err
	}
	if err := s.svc.ResetProjectTemplate(r.Context(), actorFrom(r.Context()), p.Project, p.Open.Name); err != nil {
		if vmt.ErrorCode(err) != vmt.ENOTFOUND {
			return err
		}
		s.flash(r, p.Project+" already uses the shipped "+p.Open.Name+" template.", true)
		return redirect(w, r, adminTemplatePath(p.Project, p.Open.Name))
	}
	s.flash(r, p.Project+" uses the shipped "+p.Open.Name+" template again.", false)
	return redirect(w, r, adminTemplatePath(p.Project, p.Open.Name))
}

func adminTemplatePath(project, name string) string {
	return "/admin/projects/" + project + "/templates/" + name
}

// templatesPage reads what every templates page shows, for an
// administrator only: a missing project or template name is the 404 of
// a missing page.
func (s *Server) templatesPage(r *http.Request, open string) (*templatesPage, error) {
	ctx, a := r.Context(), actorFrom(r.Context())
	if err := adminPage(a); err != nil {
		return nil, err
	}
	pr, err := s.svc.Project(ctx, a, r.PathValue("name"))
	if err != nil {
		return nil, err
	}
	p := &templatesPage{Project: pr.Name}
	for _, name := range vmt.TemplateNames {
		v, err := s.svc.ProjectTemplate(ctx, a, pr.Name, name)
		if err != nil {
			return nil, err
		}
		p.Templates = append(p.Templates, v)
		if name == open {
			p.Open, p.Text = v, v.Text
		}
	}
	if open != "" && p.Open == nil {
		return nil, vmt.NotFound("template")
	}
	if p.Nav, err = s.adminNav(r, "templates"); err != nil {
		return nil, err
	}
	return p, nil
}

// previewInto renders the editor's text against the sample report, or
// says why it does not render (an empty text is no template: the
// service would preview the one in use instead).
func (s *Server) previewInto(r *http.Request, p *templatesPage) error {
	if p.Text == "" {
		p.Problem = "The text is empty."
		return nil
	}
	pv, err := s.svc.PreviewProjectTemplate(r.Context(), actorFrom(r.Context()), p.Project, p.Open.Name, p.Text)
	switch vmt.ErrorCode(err) {
	case "":
		p.Preview = pv
	case vmt.EINVALID, vmt.ETOOLARGE:
		p.Problem = vmt.ErrorMessage(err)
	default:
		return err
	}
	return nil
}
