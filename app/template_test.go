package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/render"
)

// TestProjectTemplates: the project's VMT and administrators show, set and
// reset its templates; a template that fails rendering's checks is refused
// naming the field, with nothing stored; the draft of the impact
// description uses the override; each change is audited with its text.
func TestProjectTemplates(t *testing.T) {
	w := newImpactWorld(t, "sqlite")
	ctx, coord := context.Background(), w.people["coord"]
	const name = "impact-description"
	v, err := w.svc.ProjectTemplate(ctx, coord, "p", name)
	must(t, err)
	if v.Overridden || !strings.Contains(v.Text, "{{.Description}}") {
		t.Errorf("before any override: %+v", v)
	}
	for _, who := range []string{"reporter", "reviewer", "committee", "stakeholder"} {
		_, err := w.svc.ProjectTemplate(ctx, w.people[who], "p", name)
		wantCode(t, who+" showing a template", err, "forbidden")
		_, err = w.svc.SetProjectTemplate(ctx, w.people[who], "p", name, "{{.Title}}")
		wantCode(t, who+" setting a template", err, "forbidden")
	}
	_, err = w.svc.SetProjectTemplate(ctx, coord, "p", name, "{{.Title}} by {{.Reporter}}")
	if err == nil || !strings.Contains(err.Error(), "unknown field Reporter") {
		t.Errorf("a template with an unknown field: %v", err)
	}
	_, err = w.svc.SetProjectTemplate(ctx, coord, "p", "kcsb", "x")
	wantCode(t, "an unknown template", err, "invalid")
	_, err = w.svc.SetProjectTemplate(ctx, coord, "nope", name, "{{.Title}}")
	wantCode(t, "an unknown project", err, "not_found")
	if v, _ := w.svc.ProjectTemplate(ctx, coord, "p", name); v.Overridden {
		t.Error("a refused template was stored")
	}

	own := "PROJECT P IMPACT\n{{.Title}} ({{join .Components \"/\"}}), credit {{.Credit}}.\n{{.Description}}\n"
	v, err = w.svc.SetProjectTemplate(ctx, coord, "p", name, own)
	must(t, err)
	if !v.Overridden || v.UpdatedBy != coord.ID() {
		t.Errorf("after set: %+v", v)
	}
	r, err := w.svc.DraftImpact(ctx, coord, w.reportID, false)
	must(t, err)
	if !strings.HasPrefix(r.ImpactDescription, "PROJECT P IMPACT\nGuest reads host files (runtime/agent), credit Rose Reporter (Example Corp).") {
		t.Errorf("draft with the override:\n%s", r.ImpactDescription)
	}
	must(t, w.svc.ResetProjectTemplate(ctx, w.admin, "p", name))
	err = w.svc.ResetProjectTemplate(ctx, coord, "p", name)
	wantCode(t, "a second reset", err, "not_found")
	if v, _ := w.svc.ProjectTemplate(ctx, coord, "p", name); v.Overridden {
		t.Error("still overridden after the reset")
	}

	events, err := w.svc.AuditEvents(ctx, w.admin, 0, 0)
	must(t, err)
	var set, reset int
	for _, e := range events {
		switch e.Action {
		case "project.template_set":
			set++
			if !strings.Contains(string(e.After), "PROJECT P IMPACT") || e.ActorID != coord.ID() {
				t.Errorf("set event: %s by %d", e.After, e.ActorID)
			}
		case "project.template_reset":
			reset++
			if !strings.Contains(string(e.Before), "PROJECT P IMPACT") || e.After != nil {
				t.Errorf("reset event: %s / %s", e.Before, e.After)
			}
		}
	}
	if set != 1 || reset != 1 {
		t.Errorf("audited %d sets and %d resets, want 1 and 1", set, reset)
	}
}

// TestProjectEmbargoReminder: a project's own embargo reminder is what its
// new reports are prefixed with (filled with the project, the maximum
// embargo and its last day), and it comes off exactly at the end of the
// embargo; reports filed before keep theirs.
func TestProjectEmbargoReminder(t *testing.T) {
	w := newImpactWorld(t, "sqlite")
	ctx, coord := context.Background(), w.people["coord"]
	before, err := w.svc.Report(ctx, coord, w.reportID)
	must(t, err)
	_, err = w.svc.SetProjectTemplate(ctx, coord, "p", "embargo-reminder", "> **Embargoed** ({{.Project}}): public by {{.Until}} at the latest, {{.Days}} days.")
	must(t, err)
	r, err := w.svc.CreateReport(ctx, w.people["other-reporter"], vmt.ReportInput{Project: "p", Title: "Another", Description: "Body."})
	must(t, err)
	if want := "> **Embargoed** (p): public by 2026-06-02 at the latest, 90 days.\n\nBody."; r.Description != want {
		t.Errorf("description %q, want %q", r.Description, want)
	}
	v, err := w.svc.MakePublic(ctx, coord, r.ID, "fixed")
	must(t, err)
	if v.Description != "Body." {
		t.Errorf("after the embargo: %q", v.Description)
	}
	after, err := w.svc.Report(ctx, coord, w.reportID)
	must(t, err)
	if after.Description != before.Description {
		t.Errorf("an older report's reminder changed: %q", after.Description)
	}
}

// TestShippedEmbargoReminder: without a text of its own, a project's
// reports carry the shipped template's reminder, the text that
// ProjectTemplate (`vmt project template show`) shows, filled in.
func TestShippedEmbargoReminder(t *testing.T) {
	w := newImpactWorld(t, "sqlite")
	ctx, coord := context.Background(), w.people["coord"]
	tpl, err := w.svc.ProjectTemplate(ctx, coord, "p", "embargo-reminder")
	must(t, err)
	r, err := w.svc.CreateReport(ctx, w.people["other-reporter"], vmt.ReportInput{Project: "p", Title: "Another", Description: "Body."})
	must(t, err)
	want, err := render.Hooks().Reminder(nil, vmt.ReminderFacts{Project: &vmt.Project{Name: "p"}, Days: 90, Until: r.CreatedAt.AddDate(0, 0, 90)})
	must(t, err)
	if r.Reminder != strings.TrimSpace(want)+"\n\n" || !strings.HasSuffix(r.Description, "Body.") {
		t.Errorf("the reminder of a new report:\n%q\nwant the shipped template's:\n%q", r.Reminder, want)
	}
	if first := strings.SplitN(tpl.Text, "\n", 2)[0]; strings.Contains(first, "{{") || !strings.Contains(r.Reminder, first) {
		t.Errorf("the reminder does not start as the template shown (%q): %q", first, r.Reminder)
	}
	if strings.Contains(r.Description, vmt.EmbargoReminder()) {
		t.Errorf("the domain's built-in reminder is used: %q", r.Description)
	}
}

// TestPreviewProjectTemplate: the preview renders the text given, or the
// one in use, against the sample report, for the project's VMT and the
// administrators only; a text that would be refused is refused with the
// reason; nothing is stored.
func TestPreviewProjectTemplate(t *testing.T) {
	w := newImpactWorld(t, "sqlite")
	ctx, coord := context.Background(), w.people["coord"]
	const name = "downstream-notification"
	p, err := w.svc.PreviewProjectTemplate(ctx, coord, "p", name, "")
	must(t, err)
	if p.Subject == "" || !strings.Contains(p.Body, "CVE-2026-12345") || strings.Contains(p.Body, "{{") {
		t.Errorf("the shipped text's preview: %+v", p)
	}
	own := "{{define \"subject\"}}[{{.Prefix}}] notice{{end}}{{.Project}} / {{join .CVEs \",\"}}\n"
	p, err = w.svc.PreviewProjectTemplate(ctx, w.admin, "p", name, own)
	must(t, err)
	if p.Subject != "[KCSA] notice" || p.Body != "Kata Containers / CVE-2026-12345\n" {
		t.Errorf("an own text's preview: %q %q", p.Subject, p.Body)
	}
	_, err = w.svc.PreviewProjectTemplate(ctx, coord, "p", name, "{{.Title}}")
	wantCode(t, "a mail without a subject", err, "invalid")
	_, err = w.svc.PreviewProjectTemplate(ctx, coord, "p", "impact-description", "{{.Reporter}}")
	if err == nil || !strings.Contains(err.Error(), "unknown field Reporter") {
		t.Errorf("an unknown field: %v", err)
	}
	for _, who := range []string{"reporter", "reviewer", "committee", "stakeholder"} {
		_, err := w.svc.PreviewProjectTemplate(ctx, w.people[who], "p", name, own)
		wantCode(t, who+" previewing", err, "forbidden")
	}
	if v, _ := w.svc.ProjectTemplate(ctx, coord, "p", name); v.Overridden {
		t.Error("a preview stored the text")
	}
}
