package vmt_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/cvss"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/render"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestDraftFromReport: what a document takes from its report, and what it
// leaves out (a credit never to be disclosed, a fix with no link).
func TestDraftFromReport(t *testing.T) {
	p := &vmt.Project{ID: 3, Name: "kata-containers", Branches: []string{"main", "stable-3.2"}}
	r := &vmt.Report{ID: 7, ProjectID: 3, Class: "B2", Title: "Escape via virtio-fs (CVE-2026-1234)",
		Components: []string{"runtime", "agent"}, AffectedVersions: "<3.2.1", Credit: "Jane Doe (Acme), John Roe",
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
		Affected: []vmt.Affected{{Component: "runtime", Versions: "<3.2.1"}, {Component: "agent", Versions: "<3.2.1"}},
		Credits:  []vmt.Credit{{Name: "Jane Doe", Affiliation: "Acme", Type: vmt.CreditReporter}, {Name: "John Roe", Type: vmt.CreditReporter}},
		CVEs:     []string{"CVE-2026-1234"},
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
		"class D":             {func(r *vmt.Report) { r.Class = "D" }, vmt.ECONFLICT, ""},
		"unclassified":        {func(r *vmt.Report) { r.Class = "" }, vmt.ECONFLICT, ""},
		"no impact":           {func(r *vmt.Report) { r.ImpactDescription = " " }, vmt.EINVALID, "impact_description"},
		"no affected version": {func(r *vmt.Report) { r.AffectedVersions = "" }, vmt.EINVALID, "affected_versions"},
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

// TestDraftAdvisoryFromReport: only the report's VMT drafts; not before
// both approvals of the impact description; not twice; audited.
func TestDraftAdvisoryFromReport(t *testing.T) {
	ctx := context.Background()
	svc := vmt.NewService(sqldbtest.Open(t, "sqlite"), password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}, nil)
	svc.CheckAdvisory = cvss.Check
	svc.Texts = render.Hooks()
	secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"master"}}})
	must(t, err)
	admin, _ := svc.Authenticate(ctx, secret)
	mk := func(email string, role vmt.Role) vmt.Actor {
		u, err := svc.CreateUser(ctx, admin, vmt.UserInput{Email: email, Role: role})
		must(t, err)
		return vmt.Actor{User: u}
	}
	reporter, outsider, com := mk("r@example.org", vmt.RoleReporter), mk("o@example.org", vmt.RoleReporter), mk("c@example.org", vmt.RoleCommittee)
	r, err := svc.CreateReport(ctx, reporter, vmt.ReportInput{Project: "p", Title: "Escape", Description: "It escapes.",
		Components: []string{"runtime"}, AffectedVersions: "<1.2", Credit: "Ada"})
	must(t, err)
	_, err = svc.Classify(ctx, admin, r.ID, "A")
	must(t, err)
	_, err = svc.DraftImpact(ctx, admin, r.ID, false)
	must(t, err)
	if _, err := svc.DraftAdvisoryFromReport(ctx, admin, r.ID); vmt.ErrorCode(err) != vmt.ECONFLICT || vmt.ErrorField(err) != "impact_description" {
		t.Errorf("before the approvals: %v", err)
	}
	_, err = svc.ApproveImpact(ctx, reporter, r.ID)
	must(t, err)
	_, err = svc.Subscribe(ctx, admin, r.ID, com.ID())
	must(t, err)
	_, err = svc.ApproveImpact(ctx, com, r.ID)
	must(t, err)
	if _, err := svc.DraftAdvisoryFromReport(ctx, reporter, r.ID); vmt.ErrorCode(err) != vmt.EFORBIDDEN {
		t.Errorf("by the reporter: %v", err)
	}
	if _, err := svc.DraftAdvisoryFromReport(ctx, outsider, r.ID); vmt.ErrorCode(err) != vmt.ENOTFOUND {
		t.Errorf("by an outsider: %v", err)
	}
	if ds, _ := svc.ReportAdvisories(ctx, admin, r.ID); len(ds) != 0 {
		t.Fatalf("refused drafts were stored: %d", len(ds))
	}
	d, err := svc.DraftAdvisoryFromReport(ctx, admin, r.ID)
	must(t, err)
	if d.Kind != vmt.KindAdvisory || d.Title != "Escape" || d.Description != "It escapes." || len(d.Affected) != 1 {
		t.Errorf("draft %+v", d)
	}
	if _, err := svc.DraftAdvisoryFromReport(ctx, admin, r.ID); vmt.ErrorCode(err) != vmt.ECONFLICT {
		t.Errorf("a second draft: %v", err)
	}
	evs, err := svc.ReportAudit(ctx, admin, r.ID)
	must(t, err)
	found := false
	for _, e := range evs {
		found = found || e.Action == "advisory.draft_from_report"
	}
	if !found {
		t.Error("the draft is not audited")
	}
}
