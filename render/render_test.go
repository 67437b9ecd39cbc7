package render

import (
	"errors"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/schematest"
)

const team = "Kata Containers Vulnerability Management Team"

func docText(d Doc) []byte {
	if d.Subject == "" {
		return []byte(d.Body)
	}
	return []byte("Subject: " + d.Subject + "\n\n" + d.Body)
}

// TestDefaultsGolden renders every default template with its full sample.
func TestDefaultsGolden(t *testing.T) {
	for name, k := range kinds {
		t.Run(string(name), func(t *testing.T) {
			d, err := Default(name).Execute(k.sample())
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(d.Body, "<no value>") || strings.Contains(d.Subject, "<no value>") {
				t.Errorf("an empty value was printed:\n%s", d.Body)
			}
			schematest.Golden(t, string(name)+".golden", docText(d))
		})
	}
}

// TestFromAdvisoryGolden renders the KCSA, the KCSN and the impact
// description of the export tests' advisory.
func TestFromAdvisoryGolden(t *testing.T) {
	a := schematest.Advisory()
	ad, err := AdvisoryFrom(a, team)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Default(AdvisoryDoc).Execute(ad)
	if err != nil {
		t.Fatal(err)
	}
	if d.Subject != "[KCSA-2026-001] Guest can read host files through a crafted virtio-fs mount (CVE-2026-12345)" {
		t.Errorf("subject %q", d.Subject)
	}
	schematest.Golden(t, "KCSA-2026-001.golden", docText(d))

	n := schematest.Advisory()
	n.Kind, n.ID = vmt.KindNote, vmt.NewAdvisoryID("KCSN", 2026, 1)
	d, err = Default(NoteDoc).Execute(NoteFrom(n, NoteLinks{ReportURL: "https://vmt.example.org/reports/42"}))
	if err != nil {
		t.Fatal(err)
	}
	schematest.Golden(t, "KCSN-2026-001.golden", docText(d))

	d, err = Default(ImpactDescription).Execute(ImpactFrom(a))
	if err != nil {
		t.Fatal(err)
	}
	schematest.Golden(t, "impact-KCSA-2026-001.golden", docText(d))
}

// TestMissingFieldIsNamed: an empty required field fails with its name,
// for every template and every field its text refers to without a guard.
func TestMissingFieldIsNamed(t *testing.T) {
	tests := []struct {
		name  Name
		data  any
		field string
	}{
		{ImpactDescription, func() any { d := sampleImpact(); d.Credit = ""; return d }(), "Credit"},
		{ImpactDescription, func() any { d := sampleImpact(); d.Components = nil; return d }(), "Components"},
		{Notification, func() any { d := sampleNotification(); d.CVEs = nil; return d }(), "CVEs"},
		{Notification, func() any { d := sampleNotification(); d.Disclosure = ""; return d }(), "Disclosure"},
		{Notification, func() any { d := sampleNotification(); d.AccessURL = ""; return d }(), "AccessURL"},
		{AdvisoryDoc, func() any { d := sampleAdvisory(); d.Affected = nil; return d }(), "Affected"},
		{AdvisoryDoc, func() any { d := sampleAdvisory(); d.Affected[1].Versions = ""; return d }(), "Versions"},
		{NoteDoc, func() any { d := sampleNote(); d.Actions = ""; return d }(), "Actions"},
		{CVERequestPrivate, func() any { d := sampleCVERequest(); d.Coordinator = ""; return d }(), "Coordinator"},
		{CVERequestPublic, func() any { d := sampleCVERequest(); d.References = nil; return d }(), "References"},
		{EmbargoReminder, func() any { d := sampleReminder(); d.Until = ""; return d }(), "Until"},
		{ReceptionIncomplete, IncompleteData{}, "Project"},
	}
	for _, tt := range tests {
		_, err := Default(tt.name).Execute(tt.data)
		var mf *MissingFieldError
		if !errors.As(err, &mf) || mf.Field != tt.field || mf.Template != tt.name {
			t.Errorf("%s without %s: got %v", tt.name, tt.field, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.field) {
			t.Errorf("the error does not name the field: %v", err)
		}
	}
}

func TestParseRefusesBadTemplates(t *testing.T) {
	tests := []struct {
		name       Name
		text, want string
	}{
		{ImpactDescription, "Title: {{.Title", "does not parse"},
		{ImpactDescription, "Title: {{.Titel}}", `refers to a field its data does not have`},
		{AdvisoryDoc, `{{define "subject"}}[{{.ID}}]{{end}}{{range .Affected}}{{.Version}}{{end}}`, "Version"},
		{AdvisoryDoc, "# {{.ID}}", "defines no subject"},
		{AdvisoryDoc, `{{define "subject"}}{{.ID}}{{end}}{{if .CVEs}}x{{else}}{{.Bogus}}{{end}}`, "unknown field Bogus"},
		{NoteDoc, `{{define "subject"}}{{.ID}}{{end}}{{range .References}}{{.Link}}{{end}}`, "unknown field Link"},
		{ImpactDescription, `{{with .Mitigation}}{{$.Mitigaton}}{{end}}`, "unknown field Mitigaton"},
		{"kcsa-v2", "x", "unknown template"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.name, tt.text)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%s, %q) = %v, want an error with %q", tt.name, tt.text, err, tt.want)
		}
	}
}

func TestOverrides(t *testing.T) {
	s, err := NewSet(map[Name]string{ReceptionIncomplete: "{{.Project}}: we are looking into it."})
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Render(ReceptionIncomplete, sampleIncomplete())
	if err != nil || d.Body != "Kata Containers: we are looking into it." {
		t.Errorf("override: %q, %v", d.Body, err)
	}
	d, err = s.Render(EmbargoReminder, sampleReminder())
	if err != nil || !strings.Contains(d.Body, "90 days") {
		t.Errorf("the defaults stay for the others: %q, %v", d.Body, err)
	}
	if _, err := NewSet(map[Name]string{ImpactDescription: "{{.Nope}}"}); err == nil {
		t.Error("a bad override was loaded")
	}
	if _, err := NewSet(map[Name]string{cveFormRequest: "x"}); err == nil {
		t.Error("the CVE form's text was overridden")
	}
	if _, err := s.Render(AdvisoryDoc, sampleNote()); err == nil || !strings.Contains(err.Error(), "takes a render.AdvisoryData") {
		t.Errorf("wrong data type: %v", err)
	}
}

// TestNoEmptyValuesPrinted renders every default with a sample whose
// optional fields are all empty: nothing may print as "<no value>" or
// leave an empty label.
func TestNoEmptyValuesPrinted(t *testing.T) {
	a := sampleAdvisory()
	a.CVEs, a.Mitigation, a.Credits, a.Severity, a.CWEs, a.References, a.Patches, a.Notes, a.Errata, a.Revisions = nil, "", nil, nil, nil, nil, nil, nil, "", nil
	d, err := Default(AdvisoryDoc).Execute(a)
	if err != nil {
		t.Fatal(err)
	}
	if d.Subject != "[KCSA-2026-001] Guest can read host files through a crafted virtio-fs mount" || !strings.Contains(d.Body, "CVE: none assigned") {
		t.Errorf("subject %q\n%s", d.Subject, d.Body)
	}
	for _, bad := range []string{"<no value>", "## Credits", "## Mitigation", "Weakness:"} {
		if strings.Contains(d.Body, bad) {
			t.Errorf("%q printed for an empty field:\n%s", bad, d.Body)
		}
	}
}
