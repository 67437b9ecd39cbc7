package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestReportTriageAndDuplicate: through a real server, vmt report triage
// lists the report most like a new one with why and the reporter's
// record, and vmt report duplicate marks it in one command, after which
// show says so and the record counts it.
func TestReportTriageAndDuplicate(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			s := newAPIServerOn(t, engine)
			admin := newCLIUser(t)
			admin.login(s, s.adminToken)
			dir := t.TempDir()
			file := func(title, text string) {
				t.Helper()
				p := filepath.Join(dir, "d.md")
				if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
				admin.ok("report", "new", "--title", title, "--description-file", p, "--component", "agent")
			}
			file("Agent follows symlinks out of the shared directory", "The agent follows a symlink in the shared directory and writes on the host.")
			file("Guest kernel panics on a large balloon", "Inflating the memory balloon past the guest's memory panics its kernel.")
			file("Symlink in the shared folder lets the agent write on the host", "A symlink placed in the shared folder makes the agent write files on the host.")

			out := admin.ok("report", "triage", "3")
			lines := strings.Split(out, "\n")
			if !strings.Contains(out, "3 sent, 0 confirmed, 0 duplicates") {
				t.Errorf("no reporter record:\n%s", out)
			}
			first := ""
			for _, l := range lines {
				if strings.HasPrefix(l, "#") {
					first = l
					break
				}
			}
			if !strings.HasPrefix(first, "#1 ") || !strings.Contains(first, "words in common") || !strings.Contains(first, "symlink") {
				t.Errorf("report #1 is not the first suggestion, with why:\n%s", out)
			}
			admin.fails(exitUsage, "--of is required", "report", "duplicate", "3")
			admin.ok("report", "duplicate", "3", "--of", "1")
			if show := admin.ok("report", "show", "3"); !strings.Contains(show, "A duplicate of report #1.") {
				t.Errorf("show does not say it is a duplicate:\n%s", show)
			}
			if out := admin.ok("report", "triage", "2"); !strings.Contains(out, "1 duplicates") {
				t.Errorf("the record does not count the duplicate:\n%s", out)
			}
			admin.fails(exitConflict, "already a duplicate", "report", "duplicate", "3", "--of", "1")
		})
	}
}
