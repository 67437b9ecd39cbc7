package app

import (
	"context"
	"slices"
	"strings"

	"github.com/vmtproject/vmt"
)

func checkTemplateName(name string) error {
	if !slices.Contains(vmt.TemplateNames, name) {
		return vmt.Invalid("name", "%q is not a template (want one of %s)", name, joinStrings(vmt.TemplateNames))
	}
	return nil
}

func joinStrings(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

// templateOverrides returns a project's overrides by name, for the hooks
// that render its texts.
func templateOverrides(tx vmt.Tx, projectID int64) (map[string]string, error) {
	ts, err := tx.ProjectTemplates(projectID)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(ts))
	for _, t := range ts {
		m[t.Name] = t.Text
	}
	return m, nil
}

// ProjectTemplate returns the text project uses for template name: its
// override, or the shipped default. The project's VMT and administrators.
func (s *Service) ProjectTemplate(ctx context.Context, a vmt.Actor, project, name string) (*vmt.TemplateView, error) {
	if err := checkTemplateName(name); err != nil {
		return nil, err
	}
	var v *vmt.TemplateView
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		p, err := s.projectVMT(tx, a, project, vmt.ProjectTemplates)
		if err != nil {
			return err
		}
		ts, err := tx.ProjectTemplates(p.ID)
		if err != nil {
			return err
		}
		for _, t := range ts {
			if t.Name == name {
				at := t.UpdatedAt
				v = &vmt.TemplateView{Project: p.Name, Name: name, Text: t.Text, Overridden: true, UpdatedAt: &at, UpdatedBy: t.UpdatedBy}
				return nil
			}
		}
		if s.deps.Texts.Default == nil {
			return vmt.Errorf(vmt.EINVALID, "this instance has no default templates")
		}
		text, err := s.deps.Texts.Default(name)
		if err != nil {
			return err
		}
		v = &vmt.TemplateView{Project: p.Name, Name: name, Text: text}
		return nil
	})
	return v, err
}

// SetProjectTemplate stores a project's own text for template name, after
// checking it as rendering will (a parse error or a field the template's
// data lacks is EINVALID naming it; nothing is stored). Audited with the
// old and new text. The project's VMT and administrators.
func (s *Service) SetProjectTemplate(ctx context.Context, a vmt.Actor, project, name, text string) (*vmt.TemplateView, error) {
	if err := checkTemplateName(name); err != nil {
		return nil, err
	}
	if err := vmt.CheckBytes("text", text, vmt.MaxTemplateBytes, true); err != nil {
		return nil, err
	}
	if s.deps.Texts.Check == nil {
		return nil, vmt.Errorf(vmt.EINVALID, "this instance cannot check templates")
	}
	var v *vmt.TemplateView
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		// Access first: to an outsider the project's templates are not
		// there to be checked.
		p, err := s.projectVMT(tx, a, project, vmt.ProjectTemplates)
		if err != nil {
			return err
		}
		if err := s.deps.Texts.Check(name, text); err != nil {
			return vmt.Invalid("text", "%v", err)
		}
		old, err := templateOverrides(tx, p.ID)
		if err != nil {
			return err
		}
		t := &vmt.ProjectTemplate{ProjectID: p.ID, Name: name, Text: text, UpdatedAt: s.now(), UpdatedBy: a.ID()}
		if err := tx.SetProjectTemplate(t); err != nil {
			return err
		}
		var before any
		if o, ok := old[name]; ok {
			before = map[string]string{"name": name, "text": o}
		}
		v = &vmt.TemplateView{Project: p.Name, Name: name, Text: text, Overridden: true, UpdatedAt: &t.UpdatedAt, UpdatedBy: t.UpdatedBy}
		return s.audit(tx, a, vmt.AuditProjectTemplateSet, p.ID, 0, subject("project", p.ID), before,
			map[string]string{"name": name, "text": text})
	})
	return v, err
}

// PreviewProjectTemplate renders text as project's template name against
// a sample report, storing nothing: the text given, or (empty) the one
// the project uses now. A text that would not be stored is EINVALID with
// the reason. The project's VMT and administrators.
func (s *Service) PreviewProjectTemplate(ctx context.Context, a vmt.Actor, project, name, text string) (*vmt.TemplatePreview, error) {
	if err := vmt.CheckBytes("text", text, vmt.MaxTemplateBytes, false); err != nil {
		return nil, err
	}
	if s.deps.Texts.Preview == nil {
		return nil, vmt.Errorf(vmt.EINVALID, "this instance cannot preview templates")
	}
	// The access check and the text now in use, in one read.
	v, err := s.ProjectTemplate(ctx, a, project, name)
	if err != nil {
		return nil, err
	}
	if text == "" {
		text = v.Text
	}
	subj, body, err := s.deps.Texts.Preview(name, text)
	if err != nil {
		return nil, vmt.Invalid("text", "%v", err)
	}
	return &vmt.TemplatePreview{Project: v.Project, Name: name, Subject: subj, Body: body}, nil
}

// ResetProjectTemplate removes a project's override of template name, so
// the default applies again; ENOTFOUND when it has none. Audited.
func (s *Service) ResetProjectTemplate(ctx context.Context, a vmt.Actor, project, name string) error {
	if err := checkTemplateName(name); err != nil {
		return err
	}
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		p, err := s.projectVMT(tx, a, project, vmt.ProjectTemplates)
		if err != nil {
			return err
		}
		old, err := templateOverrides(tx, p.ID)
		if err != nil {
			return err
		}
		if err := tx.DeleteProjectTemplate(p.ID, name); err != nil {
			return err
		}
		return s.audit(tx, a, vmt.AuditProjectTemplateReset, p.ID, 0, subject("project", p.ID),
			map[string]string{"name": name, "text": old[name]}, nil)
	})
}

// ReportTemplates returns the template overrides of a report's project, for
// a front end that renders one of its texts (the incomplete-reception
// message). The report's VMT only.
func (s *Service) ReportTemplates(ctx context.Context, a vmt.Actor, reportID int64) (map[string]string, error) {
	var m map[string]string
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		m, err = templateOverrides(tx, r.ProjectID)
		return err
	})
	return m, err
}

// projectReminder puts the project's embargo reminder (its own text, or
// the shipped template: what `vmt project template show` shows) in place
// of the domain's on a report being filed. It may run more than once (a
// retried transaction): the reminder it replaces is always the one r
// carries.
func (s *Service) projectReminder(tx vmt.Tx, p *vmt.Project, r *vmt.Report) error {
	if s.deps.Texts.Reminder == nil {
		return nil
	}
	overrides, err := templateOverrides(tx, p.ID)
	if err != nil {
		return err
	}
	set, err := s.settings(tx, p.ID)
	if err != nil {
		return err
	}
	text, err := s.deps.Texts.Reminder(overrides, vmt.ReminderFacts{Project: p, Days: set.MaxEmbargoDays,
		Until: r.CreatedAt.AddDate(0, 0, set.MaxEmbargoDays)})
	if err != nil {
		return vmt.Invalid("embargo_reminder", "the project's embargo reminder: %v", err)
	}
	body := strings.TrimPrefix(r.Description, r.Reminder)
	r.Reminder = strings.TrimSpace(text) + "\n\n"
	r.Description = r.Reminder + body
	return nil
}
