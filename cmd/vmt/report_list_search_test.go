package main

import (
	"strings"
	"testing"
)

// TestReportListQuery searches with --query: the reporter finds their
// private report by its words, another reporter finds nothing, and a query
// the server refuses is reported with the field.
func TestReportListQuery(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	rep, _ := addUser(t, s, admin, "reporter@example.org", "reporter")
	other, _ := addUser(t, s, admin, "other@example.org", "reporter")
	rep.ok("report", "new", "--title", "Quokka escape through virtio-fs", "--description", "The daemon trusts the guest.")
	rep.ok("report", "new", "--title", "Verbose logs", "--description", "Logs show paths.")

	for _, u := range []*cliUser{rep, admin} {
		out := u.ok("report", "list", "--query", "virtio-fs quokka")
		if len(lines(out, "1", "Quokka escape")) != 1 || strings.Contains(out, "Verbose logs") {
			t.Errorf("search for the first report:\n%s", out)
		}
	}
	if out := other.ok("report", "list", "--query", "quokka"); out != "No reports match (0 reports in all).\n" {
		t.Errorf("another reporter's search: %q", out)
	}
	if out := admin.ok("report", "list", "--query", "wombat"); out != "No reports match (0 reports in all).\n" {
		t.Errorf("search without a match: %q", out)
	}
	admin.fails(exitUsage, "vmt report: q: has 201 characters", "report", "list", "--query", strings.Repeat("w", 201))
}
