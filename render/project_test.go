package render

import (
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/schematest"
)

// A project's own impact description and notification, as a project would
// write them: its own wording and order, the same fields.
const (
	ownImpact = `{{.Title}}
{{repeat "=" 40}}
Credit: {{.Credit}}
Affected: {{range $i, $c := .Components}}{{if $i}}, {{end}}{{$c}}{{end}} — {{.AffectedVersions}}

{{.Description}}
{{with .Mitigation}}
Workaround: {{.}}
{{end}}`
	ownNotice = `{{define "subject"}}[embargoed {{.Prefix}}] {{join .Components ", "}}: {{join .CVEs ", "}}{{end}}
Dear downstream stakeholder,

{{.Description}}

Embargo ends {{.Disclosure}}. Questions: {{.Coordinator}}, {{.ReportURL}}
-- 
{{.Team}}
`
)

// TestOverrideGolden renders a project's own templates with the samples:
// the project's text is used, the defaults of the other templates stay.
func TestOverrideGolden(t *testing.T) {
	own := strings.Replace(ownImpact, `{{repeat "=" 40}}`, "========================================", 1)
	set, err := Defaults().With(map[string]string{string(ImpactDescription): own, string(Notification): ownNotice})
	if err != nil {
		t.Fatal(err)
	}
	d, err := set.Render(ImpactDescription, sampleImpact())
	if err != nil {
		t.Fatal(err)
	}
	schematest.Golden(t, "override-impact-description.golden", docText(d))
	d, err = set.Render(Notification, sampleNotification())
	if err != nil {
		t.Fatal(err)
	}
	if d.Subject != "[embargoed KCSA] runtime, agent: CVE-2026-12345" {
		t.Errorf("subject %q", d.Subject)
	}
	schematest.Golden(t, "override-downstream-notification.golden", docText(d))
	kcsa, err := set.Render(AdvisoryDoc, sampleAdvisory())
	if err != nil {
		t.Fatal(err)
	}
	def, _ := Default(AdvisoryDoc).Execute(sampleAdvisory())
	if kcsa != def {
		t.Error("an override of two templates changed a third")
	}
	if d, _ := Default(ImpactDescription).Execute(sampleImpact()); strings.HasPrefix(d.Body, "Guest can read host files") && strings.Contains(d.Body, "Workaround:") {
		t.Error("With changed the defaults")
	}
}

// TestOverrideChecked: a project's template is held to the rendering's
// strictness: an unknown field, a function that does not exist, a mail
// without a subject, a template that is not one of the eight.
func TestOverrideChecked(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{string(ImpactDescription), "{{.Title}} {{.Reporter}}", "unknown field Reporter"},
		{string(ImpactDescription), "{{if .Mitigation}}{{.Mitgation}}{{end}}", "unknown field Mitgation"},
		{string(ImpactDescription), ownImpact, `function "repeat" not defined`},
		{string(Notification), "{{.Description}}", "defines no subject"},
		{"cve-form-request", "{{.Email}}", `"cve-form-request" cannot be overridden`},
		{"nope", "x", `"nope" cannot be overridden`},
	} {
		err := Check(c.name, c.text)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Check(%s, %q): %v, want %q", c.name, c.text, err, c.want)
		}
		if _, err := Defaults().With(map[string]string{c.name: c.text}); err == nil {
			t.Errorf("With(%s, %q) accepted it", c.name, c.text)
		}
	}
	// A required field left empty at render time fails by its name.
	set, err := Defaults().With(map[string]string{string(ImpactDescription): "{{.Title}}: {{.Credit}}"})
	if err != nil {
		t.Fatal(err)
	}
	data := sampleImpact()
	data.Credit = ""
	var mf *MissingFieldError
	if _, err := set.Render(ImpactDescription, data); err == nil || !asMissing(err, &mf) || mf.Field != "Credit" {
		t.Errorf("an empty credit: %v, want a MissingFieldError naming Credit", err)
	}
}

func asMissing(err error, mf **MissingFieldError) bool {
	m, ok := err.(*MissingFieldError)
	*mf = m
	return ok
}

// TestHooksDraftWithOverride: the domain's impact hook fills the project's
// own template from a report.
func TestHooksDraftWithOverride(t *testing.T) {
	r := &vmt.Report{Title: "Guest escape (CVE-2026-1234)", Description: vmt.EmbargoReminder() + "The agent trusts the guest.",
		Reminder: vmt.EmbargoReminder(), Affected: vmt.AffectedOf([]string{"agent"}, "<3.2.1"), CreatedAt: time.Now()}
	text, err := Hooks().Impact(map[string]string{"impact-description": "{{.Title}} / {{.Credit}} / {{join .Components \",\"}} / {{.AffectedVersions}} / {{.Description}}"},
		vmt.ImpactFacts{Report: r, Credit: "R. Eporter"})
	if err != nil || text != "Guest escape / R. Eporter / agent / <3.2.1 / The agent trusts the guest." {
		t.Errorf("draft: %q, %v", text, err)
	}
}
