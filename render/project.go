package render

import (
	"fmt"
	"time"

	"github.com/vmtproject/vmt"
)

// With returns the set with a project's overrides (template name to text,
// as vmt.ProjectTemplate keeps them) in place of its own. Overrides are
// checked when stored (Check); one that no longer parses is an error
// naming it, never a silent fall back to the default.
func (s *Set) With(overrides map[string]string) (*Set, error) {
	m := make(map[Name]string, len(overrides))
	for n, text := range overrides {
		m[Name(n)] = text
	}
	return s.with(m, "the project's own template")
}

// Check is the domain's vmt.TemplateChecker: Parse, for one of the eight
// overridable templates.
func Check(name, text string) error {
	if !isOverridable(Name(name)) {
		return fmt.Errorf("render: %q cannot be overridden (templates: %s)", name, namesList())
	}
	_, err := Parse(Name(name), text)
	return err
}

// Preview renders text as the overridable template name against the
// full sample of its data (samples.go): the preview of a project's own
// text before it is stored, with the error Check would give.
func Preview(name, text string) (subject, body string, err error) {
	if err := Check(name, text); err != nil {
		return "", "", err
	}
	t, err := Parse(Name(name), text)
	if err != nil {
		return "", "", err
	}
	doc, err := t.Execute(kinds[Name(name)].sample())
	return doc.Subject, doc.Body, err
}

// Defaults returns the set of the shipped templates, for With.
func Defaults() *Set { return &Set{m: defaults} }

// Hooks returns the domain's text hooks: the defaults, with each
// project's own texts on top.
func Hooks() vmt.TextHooks {
	set := Defaults()
	return vmt.TextHooks{
		Check:   Check,
		Preview: Preview,
		Default: func(name string) (string, error) { return DefaultText(Name(name)) },
		Impact: func(overrides map[string]string, f vmt.ImpactFacts) (string, error) {
			ps, err := set.With(overrides)
			if err != nil {
				return "", err
			}
			doc, err := ps.Render(ImpactDescription, ImpactFromReport(f))
			return doc.Body, err
		},
		Reminder: func(overrides map[string]string, f vmt.ReminderFacts) (string, error) {
			ps, err := set.With(overrides)
			if err != nil {
				return "", err
			}
			doc, err := ps.Render(EmbargoReminder, ReminderData{Project: f.Project.Name, Days: f.Days, Until: f.Until.UTC().Format(time.DateOnly)})
			return doc.Body, err
		},
		Incomplete: func(overrides map[string]string, project string) (string, error) {
			ps, err := set.With(overrides)
			if err != nil {
				return "", err
			}
			doc, err := ps.Render(ReceptionIncomplete, IncompleteData{Project: project})
			return doc.Body, err
		},
	}
}

// ImpactFromReport fills the impact description from a report:
// $DESCRIPTION is the reporter's text without the embargo reminder,
// $COMPONENTS and $AFFECTED_VERSIONS the report's, $CREDIT as f gives it.
func ImpactFromReport(f vmt.ImpactFacts) ImpactData {
	r := f.Report
	return ImpactData{Title: cveSuffixRE.ReplaceAllString(r.Title, ""), Credit: f.Credit,
		Components: r.Components(), AffectedVersions: r.AffectedVersions(), Description: r.BodyWithoutReminder()}
}
