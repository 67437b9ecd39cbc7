package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestReportMoveDateRefusals: the command wants a reason and a date, and
// the server refuses a report whose notice has not gone out (its date is
// set by the notice). The move itself, with the follow-ups checked by
// GnuPG, is jobs' TestNoticeUpdates.
func TestReportMoveDateRefusals(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	desc := filepath.Join(t.TempDir(), "d.md")
	if err := os.WriteFile(desc, []byte("It breaks.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	admin.ok("report", "new", "--title", "A bug", "--description-file", desc)
	admin.fails(exitUsage, "--reason is required", "report", "move-date", "1", "2026-12-15")
	admin.fails(exitUsage, "disclosure_at", "report", "move-date", "1", "next tuesday", "--reason", "later")
	admin.fails(exitConflict, "the notice has not gone out", "report", "move-date", "1", "2099-12-15", "--reason", "later")
}
