package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// TestAdvisoryOnServer: a coordinator drafts, makes final, publishes,
// exports, amends and withdraws a document from the command line, and
// sets where the project announces it; the reporter cannot publish.
func TestAdvisoryOnServer(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	rep, _ := addUser(t, s, admin, "reporter@example.org", "reporter")
	rep.ok("report", "new", "--title", "Guest escape", "--description", "The agent trusts the guest.")
	admin.ok("report", "classify", "1", "a")

	dir := t.TempDir()
	doc := vmt.Advisory{Vendor: "Kata Containers", Title: "Guest escape", Description: "The agent trusts the guest.",
		Affected: []vmt.Affected{{Component: "agent", Versions: "<3.2.1"}}, CVEs: []string{"CVE-2026-12345"},
		Credits:    []vmt.Credit{{Name: "R. Eporter", Type: vmt.CreditReporter}},
		References: []vmt.Reference{{Type: "FIX", URL: "https://github.com/kata-containers/kata-containers/pull/1"}}}
	file := filepath.Join(dir, "doc.json")
	b, _ := json.Marshal(doc)
	os.WriteFile(file, b, 0o600)

	if out := admin.ok("advisory", "draft", "1", file); !strings.Contains(out, "state:     draft") {
		t.Errorf("draft printed:\n%s", out)
	}
	if l := lines(admin.ok("advisory", "list", "1"), "1", "advisory", "draft", "Guest escape"); len(l) != 1 {
		t.Errorf("list lacks the draft")
	}
	if out := admin.ok("advisory", "embargo", "1"); !strings.Contains(out, "KCSA-2026-") {
		t.Errorf("embargo printed:\n%s", out)
	}
	admin.fails(exitConflict, "still private", "advisory", "publish", "1")
	other, _ := addUser(t, s, admin, "other@example.org", "reporter")
	other.fails(exitNotFound, "not found", "advisory", "show", "1")
	if out := rep.ok("advisory", "show", "1"); !strings.Contains(out, "embargoed") {
		t.Errorf("the reporter's view of the final document:\n%s", out)
	}

	// Several lists, each with its signing rule; an address at fault is
	// named by its place, a rule not known before anything is sent.
	admin.fails(exitUsage, "lists[1].address", "project", "publication", "kata-containers",
		"--list", "announce@example.org", "--list", "Dev <dev@example.org>:none")
	admin.fails(exitUsage, "ADDR:none", "project", "publication", "kata-containers", "--list", "dev@example.org:plain")
	if out := admin.ok("project", "publication", "kata-containers", "--list", "kata-dev@example.org:none",
		"--list", "oss-security@example.org:sign"); !strings.Contains(out, "kata-dev@example.org (unsigned), oss-security@example.org (signed)") {
		t.Errorf("two lists set, printed:\n%s", out)
	}
	if out := admin.ok("project", "publication", "kata-containers", "--json"); !strings.Contains(out, `"signing": "none"`) {
		t.Errorf("two lists as JSON:\n%s", out)
	}
	admin.ok("project", "publication", "kata-containers", "--list", "none")
	admin.ok("project", "publication", "kata-containers", "--list", "announce@example.org")
	admin.ok("project", "cna", "set", "kata-containers", "--short-name", "kata",
		"--org-id", "6d5b2f5c-0f3a-4c1e-9d7e-1b2c3d4e5f60", "--disable")
	admin.fails(exitUsage, "webhook_url", "project", "publication", "kata-containers", "--webhook-url", "http://chat.example.org/x")
	if out := admin.ok("project", "publication", "kata-containers"); !strings.Contains(out, "announce@example.org") {
		t.Errorf("settings printed:\n%s", out)
	}
	// When documents are numbered: a setting of the same command.
	admin.fails(exitUsage, "advisory_numbering", "project", "publication", "kata-containers", "--advisory-numbering", "sometimes")
	if out := admin.ok("project", "publication", "kata-containers", "--advisory-numbering", "publication"); !strings.Contains(out, "publication") ||
		!strings.Contains(out, "announce@example.org") {
		t.Errorf("numbering set, printed:\n%s", out)
	}
	admin.ok("project", "publication", "kata-containers", "--advisory-numbering", "embargo")

	rep.fails(exitAuth, "", "advisory", "publish", "1")
	// Ending the embargo publishes the final document with the report.
	admin.ok("report", "publicize", "1", "--reason", "fixed in the open")
	if out := admin.ok("advisory", "show", "1"); !strings.Contains(out, "state:     published") {
		t.Errorf("after publicize, show printed:\n%s", out)
	}
	admin.fails(exitConflict, "this one is published", "advisory", "publish", "1")
	out := filepath.Join(dir, "osv.json")
	admin.ok("advisory", "export", "--id", "1", "--format", "osv", "-o", out)
	got, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(got), `"id": "KCSA-2026-`) {
		t.Errorf("exported OSV: %v\n%s", err, got)
	}
	if rec := admin.ok("advisory", "export", "--id", "1", "--format", "cve"); !strings.Contains(rec, `"CVE-2026-12345"`) {
		t.Errorf("exported CVE record:\n%s", rec)
	}
	admin.fails(exitUsage, "--org-id is for files", "advisory", "export", "--id", "1", "--format", "cve", "--org-id", "x")

	admin.fails(exitUsage, "--change is required", "advisory", "errata", "1", file)
	if out := admin.ok("advisory", "errata", "1", file, "--change", "Named the fix."); !strings.Contains(out, "2 (Named the fix.)") {
		t.Errorf("errata printed:\n%s", out)
	}
	if out := admin.ok("advisory", "withdraw", "1", "--reason", "Not a flaw."); !strings.Contains(out, "state:     withdrawn") {
		t.Errorf("withdraw printed:\n%s", out)
	}
}
