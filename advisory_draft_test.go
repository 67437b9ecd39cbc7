package vmt_test

import (
	"reflect"
	"testing"

	"github.com/vmtproject/vmt"
)

// TestDraftFromReport: what a document takes from its report, and what it
// leaves out (a credit never to be disclosed, a fix with no link).
func TestDraftFromReport(t *testing.T) {
	p := &vmt.Project{ID: 3, Name: "kata-containers", Branches: []string{"main", "stable-3.2"}}
	r := &vmt.Report{ID: 7, ProjectID: 3, Class: "B2", Title: "Escape via virtio-fs (CVE-2026-1234)",
		Affected: []vmt.AffectedEntry{{Component: "runtime", Versions: "<3.2.1"},
			{Component: "agent", Ecosystem: "Go", Package: "github.com/kata-containers/kata-containers/src/agent", Versions: ">=3.0.0 <3.2.1, ==3.3.0-dev"}},
		Credit:            "Jane Doe (Acme), John Roe",
		CVEs:              []string{"CVE-2026-1234"},
		ImpactDescription: "Title: Escape\nReporter: Jane Doe\n\nDescription:\nA guest escapes.\nIt reads host files.\n\nMitigation:\nTurn virtio-fs off.\n"}
	fixes := []*vmt.Fix{
		{Branch: "stable-3.2", Version: 1, URL: "https://github.com/k/k/pull/2"},
		{Branch: "main", Version: 1, URL: "https://github.com/k/k/pull/1"},
		{Branch: "main", Version: 2, URL: "https://github.com/k/k/pull/3"},
		{Branch: "stable-3.3", Version: 1, Series: "From 1234 ..."},
	}
	d, err := vmt.DraftFromReport(vmt.DraftFacts{Report: r, Project: p, Fixes: fixes, ReportURL: "https://vmt.example.org/reports/7"})
	if err != nil {
		t.Fatal(err)
	}
	want := vmt.Advisory{Kind: vmt.KindNote, State: vmt.AdvisoryDraft, ProjectID: 3, ReportID: 7, Vendor: "Kata Containers",
		Title: "Escape via virtio-fs", Description: "A guest escapes.\nIt reads host files.", Mitigation: "Turn virtio-fs off.",
		Affected: []vmt.Affected{
			{Component: "runtime", Versions: "<3.2.1", Ranges: []vmt.VersionRange{{Introduced: "0", Fixed: "3.2.1"}}},
			{Component: "agent", Ecosystem: "Go", Package: "github.com/kata-containers/kata-containers/src/agent", Versions: ">=3.0.0 <3.2.1, ==3.3.0-dev",
				Ranges: []vmt.VersionRange{{Introduced: "3.0.0", Fixed: "3.2.1"}}, Enumerated: []string{"3.3.0-dev"}}},
		Credits: []vmt.Credit{{Name: "Jane Doe", Affiliation: "Acme", Type: vmt.CreditReporter}, {Name: "John Roe", Type: vmt.CreditReporter}},
		CVEs:    []string{"CVE-2026-1234"},
		Patches: []vmt.Patch{{Branch: "main", URLs: []string{"https://github.com/k/k/pull/3"}},
			{Branch: "stable-3.2", URLs: []string{"https://github.com/k/k/pull/2"}}},
		References: []vmt.Reference{{Type: "REPORT", URL: "https://vmt.example.org/reports/7"}}}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("draft\n got %+v\nwant %+v", d, want)
	}
	if err := d.Validate(); err != nil {
		t.Errorf("the draft does not validate: %v", err)
	}

	hidden := *r
	hidden.NeverDisclose = []string{"reporter_identity"}
	if d, _ := vmt.DraftFromReport(vmt.DraftFacts{Report: &hidden, Project: p}); d.Credits != nil {
		t.Errorf("credits of a reporter who is never to be named: %+v", d.Credits)
	}
	for name, c := range map[string]struct {
		change func(*vmt.Report)
		code   string
		field  string
	}{
		"class D":      {func(r *vmt.Report) { r.Class = "D" }, vmt.ECONFLICT, ""},
		"unclassified": {func(r *vmt.Report) { r.Class = "" }, vmt.ECONFLICT, ""},
		"no impact":    {func(r *vmt.Report) { r.ImpactDescription = " " }, vmt.EINVALID, "impact_description"},
		"no affected version": {func(r *vmt.Report) {
			r.Affected = []vmt.AffectedEntry{r.Affected[0], {Component: "agent"}}
		}, vmt.EINVALID, "affected[1].versions"},
	} {
		bad := *r
		c.change(&bad)
		_, err := vmt.DraftFromReport(vmt.DraftFacts{Report: &bad, Project: p})
		if vmt.ErrorCode(err) != c.code || vmt.ErrorField(err) != c.field {
			t.Errorf("%s: %v, want %s on %q", name, err, c.code, c.field)
		}
	}
	if d, m := vmt.ImpactSections("A project's own text.\n"); d != "A project's own text." || m != "" {
		t.Errorf("a text without headings: %q %q", d, m)
	}
}
