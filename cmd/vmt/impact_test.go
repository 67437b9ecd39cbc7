package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// TestImpactAndTemplateCommands: a project's own impact template is checked
// when set (an unknown field is refused by name), shown, and used by
// report impact-draft; the reporter and a committee member approve with
// report impact-approve, which Triaged waits for; reset goes back to the
// shipped text.
func TestImpactAndTemplateCommands(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	rep, _ := addUser(t, s, admin, "reporter@example.org", "reporter")
	com, comID := addUser(t, s, admin, "carl@example.org", "committee")
	rep.ok("report", "new", "--title", "Guest escape", "--description", "The agent trusts the guest.",
		"--component", "agent", "--versions", "<= 3.2", "--credit", "R. Eporter")
	admin.ok("report", "classify", "1", "A")
	admin.ok("report", "status", "1", "confirmed")
	admin.ok("report", "subscribe", "1", strconv.FormatInt(comID, 10))

	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.tmpl")
	os.WriteFile(bad, []byte("{{.Title}} by {{.Reporter}}\n"), 0o600)
	admin.fails(exitUsage, "unknown field Reporter", "project", "template", "set", "kata-containers", "impact-description", "-f", bad)
	admin.fails(exitUsage, `"kcsb" is not a template`, "project", "template", "show", "kata-containers", "kcsb")
	rep.fails(exitAuth, "only the project's VMT may manage its templates", "project", "template", "show", "kata-containers", "kcsa")
	// The preview renders a text against the sample report and stores
	// nothing; a refused one is refused as set would.
	admin.fails(exitUsage, "unknown field Reporter", "project", "template", "preview", "kata-containers", "impact-description", "-f", bad)
	rep.fails(exitAuth, "only the project's VMT may manage its templates", "project", "template", "preview", "kata-containers", "kcsa")
	if out := admin.ok("project", "template", "preview", "kata-containers", "downstream-notification"); !strings.HasPrefix(out, "Subject: [pre-KCSA] Vulnerability in Kata Containers") ||
		!strings.Contains(out, "CVE-2026-12345") {
		t.Errorf("template preview of the shipped notice:\n%s", out)
	}
	mine := filepath.Join(dir, "mine.tmpl")
	os.WriteFile(mine, []byte("{{.Title}} ({{.AffectedVersions}})\n"), 0o600)
	if out := admin.ok("project", "template", "preview", "kata-containers", "impact-description", "-f", mine); out != "Guest can read host files through a crafted virtio-fs mount (<3.2.1, >=3.3.0 <3.3.2)\n" {
		t.Errorf("template preview of a file: %q", out)
	}
	if v := decodeJSON[vmt.TemplateView](t, admin.ok("project", "template", "show", "kata-containers", "impact-description", "--json")); v.Overridden {
		t.Errorf("a preview stored the text")
	}
	good := filepath.Join(dir, "impact.tmpl")
	os.WriteFile(good, []byte("OUR IMPACT: {{.Title}}\nFound by {{.Credit}} in {{join .Components \", \"}} ({{.AffectedVersions}}).\n\n{{.Description}}\n"), 0o600)
	admin.ok("project", "template", "set", "kata-containers", "impact-description", "-f", good)
	if v := decodeJSON[vmt.TemplateView](t, admin.ok("project", "template", "show", "kata-containers", "impact-description", "--json")); !v.Overridden || !strings.HasPrefix(v.Text, "OUR IMPACT") {
		t.Errorf("template show: %+v", v)
	}

	out := admin.ok("report", "impact-draft", "1")
	for _, want := range []string{"OUR IMPACT: Guest escape", "Found by R. Eporter in agent (<=3.2).", "The agent trusts the guest.", "Reporter:", "not yet approved"} {
		if !strings.Contains(out, want) {
			t.Errorf("impact-draft lacks %q:\n%s", want, out)
		}
	}
	admin.fails(exitConflict, "already has an impact description", "report", "impact-draft", "1")
	admin.fails(exitConflict, "not yet approved by the reporter and the architecture committee", "report", "status", "1", "triaged")
	admin.fails(exitAuth, "only the reporter and the architecture committee", "report", "impact-approve", "1")
	rep.ok("report", "impact-approve", "1")
	st := decodeJSON[vmt.ImpactState](t, com.ok("report", "impact-approve", "1", "--json"))
	if st.Reporter == nil || st.Committee == nil || st.Committee.UserID != comID {
		t.Errorf("after both approvals: %+v", st)
	}
	// The second approval moves the report to Triaged by itself.
	if out := admin.ok("report", "show", "1"); !strings.Contains(out, "Status:            Triaged") {
		t.Errorf("after both approvals the report is not Triaged:\n%s", out)
	}

	admin.ok("project", "template", "reset", "kata-containers", "impact-description")
	admin.fails(exitNotFound, "not found", "project", "template", "reset", "kata-containers", "impact-description")
	if out := admin.ok("project", "template", "show", "kata-containers", "impact-description"); strings.Contains(out, "OUR IMPACT") || !strings.Contains(out, "Mitigation") {
		t.Errorf("after reset, show printed:\n%s", out)
	}
}
