package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/jobs"
)

// TestReportCVEForm: the CVE request form of a private report comes filled
// from what the server knows (the coordinator's address and stored key,
// the embargo note, the record's components and versions); the command
// line gives only the choices, which are checked against the form's lists;
// to a reporter the form is not given.
func TestReportCVEForm(t *testing.T) {
	s := newAPIServer(t)
	s.setDeps(func(d *app.Deps) { d.Disclosure.Keys = jobs.CheckKey })
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	vera, _ := addUser(t, s, admin, "vera@example.org", "vmt")
	admin.ok("project", "member", "kata-containers", "vera@example.org", "vmt")
	rep, _ := addUser(t, s, admin, "rose@example.org", "reporter")
	if r := vera.vmt(publicKey(t), "user", "key", "-"); r.code != 0 {
		t.Fatalf("user key: %d %s", r.code, r.stderr)
	}

	desc := filepath.Join(t.TempDir(), "d.md")
	if err := os.WriteFile(desc, []byte("The agent trusts the guest.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep.ok("report", "new", "--title", "Guest escape", "--description-file", desc, "--component", "agent", "--versions", "<3.2.1", "--credit", "Rose")
	vera.ok("report", "assign", "1", "vera@example.org")
	impact := filepath.Join(t.TempDir(), "impact.md")
	if err := os.WriteFile(impact, []byte("Guest escape in the agent.\n\nA guest can run code in the agent.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	vera.ok("report", "edit", "1", "--impact-file", impact)

	out := vera.ok("report", "cve-form", "1", "--type", "Incorrect Access Control", "--impact", "Code Execution")
	for _, want := range []string{"Request a CVE ID", "E-mail address: vera@example.org", "BEGIN PGP PUBLIC KEY BLOCK",
		"currently under embargo", "Vulnerability type: Incorrect Access Control", "Product: agent", "Version: <3.2.1",
		"Impact: Code Execution", "Discoverer(s)/Credits: Rose", "/reports/1"} {
		if !strings.Contains(out, want) {
			t.Errorf("the form lacks %q:\n%s", want, out)
		}
	}
	vera.fails(exitUsage, "Spooky Action", "report", "cve-form", "1", "--type", "Spooky Action")
	vera.fails(exitUsage, "other_type", "report", "cve-form", "1")
	rep.fails(exitAuth, "", "report", "cve-form", "1", "--type", "Incorrect Access Control")
}
