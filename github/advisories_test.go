package github_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/github/githubtest"
)

// A private report in triage is read with its reporter, severity, CWE and
// package; its state moves once; an advisory written by vmt is found by
// its marker, says every field, and is not written again when it says
// them already; a CVE is requested once.
func TestAdvisories(t *testing.T) {
	g, f, gs := tokenForge(t)
	ctx := context.Background()
	ghsa := gs.AddReport(githubtest.Advisory{Summary: "Escape", Description: "The agent lets a guest out.", Severity: "high",
		CWEs: []string{"CWE-22"}, Vulnerabilities: []githubtest.Vulnerability{{Ecosystem: "go", Name: "github.com/kata-containers/kata-containers/src/runtime", VulnerableRange: "< 3.2.1"}},
		Author: "octo", AuthorID: 77, AuthorEmail: "octo@example.org"})
	as, err := g.TriageAdvisories(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 {
		t.Fatalf("%d in triage, want 1", len(as))
	}
	a := as[0]
	if a.GHSA != ghsa || a.Reporter != "octo" || a.ReporterID != 77 || a.ReporterEmail != "octo@example.org" || a.Severity != "high" ||
		!slices.Equal(a.CWEs, []string{"CWE-22"}) || len(a.Packages) != 1 || a.Packages[0].Ecosystem != "go" ||
		a.Packages[0].VulnerableRange != "< 3.2.1" || a.Description != "The agent lets a guest out." || !strings.HasSuffix(a.URL, "/"+ghsa) {
		t.Errorf("read %+v", a)
	}
	for range 2 {
		if _, err := g.SetAdvisoryState(ctx, f, ghsa, vmt.GHSADraft); err != nil {
			t.Fatal(err)
		}
	}
	if st := gs.Advisory(ghsa).States; !slices.Equal(st, []string{"triage", "draft"}) {
		t.Errorf("states %v", st)
	}
	if as, _ := g.TriageAdvisories(ctx, f); len(as) != 0 {
		t.Errorf("an accepted report still in triage: %v", as)
	}

	if id, err := g.FindAdvisory(ctx, f, "report:9"); err != nil || id != "" {
		t.Fatalf("found %q, %v before any", id, err)
	}
	doc := &vmt.ForgeAdvisory{Summary: "S", Description: "D", CVE: "CVE-2026-1234", CWEs: []string{"CWE-79"},
		CVSS: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", Credits: []vmt.ForgeCredit{{Login: "octo", Type: "finder"}},
		Packages: []vmt.ForgePackage{{Ecosystem: "go", Name: "example.org/x", VulnerableRange: "< 1.2.3", Patched: "1.2.3"}}}
	id, url, err := g.WriteAdvisory(ctx, f, "", "report:9", doc)
	if err != nil || id == "" || !strings.HasSuffix(url, id) {
		t.Fatalf("created %q %q, %v", id, url, err)
	}
	if got, err := g.FindAdvisory(ctx, f, "report:9"); err != nil || got != id {
		t.Fatalf("found %q, %v, want %s", got, err, id)
	}
	before := len(gs.Changes())
	if got, _, err := g.WriteAdvisory(ctx, f, id, "report:9", doc); err != nil || got != id {
		t.Fatalf("again: %q, %v", got, err)
	}
	if n := len(gs.Changes()); n != before {
		t.Errorf("writing what it says changed %d things", n-before)
	}
	s := gs.Advisory(id)
	if s.State != "draft" || s.Summary != "S" || !strings.HasPrefix(s.Description, "D\n\n<!-- vmt:report:9 -->") || s.CVE != doc.CVE ||
		s.CVSS != doc.CVSS || s.Severity != "" || !slices.Equal(s.CWEs, doc.CWEs) || !slices.Equal(s.Credits, []githubtest.Credit{{Login: "octo", Type: "finder"}}) ||
		!slices.Equal(s.Vulnerabilities, []githubtest.Vulnerability{{Ecosystem: "go", Name: "example.org/x", VulnerableRange: "< 1.2.3", Patched: "1.2.3"}}) {
		t.Errorf("stored %+v", s)
	}

	if asked, err := g.RequestCVE(ctx, f, ghsa); err != nil || !asked {
		t.Fatalf("request: %v, %v", asked, err)
	}
	gs.AssignCVE(ghsa, "CVE-2026-9999")
	if asked, err := g.RequestCVE(ctx, f, ghsa); err != nil || asked {
		t.Fatalf("again: %v, %v", asked, err)
	}
	if _, err := g.SetAdvisoryState(ctx, f, "GHSA-nope-nope-nope", vmt.GHSAClosed); vmt.ErrorCode(err) != vmt.EINVALID {
		t.Errorf("an advisory not there: %v, want EINVALID", err)
	}
}
