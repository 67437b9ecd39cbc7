package main

import "testing"

// TestReportCVEGitHub: asking GitHub's CNA for a CVE is for the report's
// VMT, and for a project whose CNA is GitHub with its repository set up.
func TestReportCVEGitHub(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	rep, _ := addUser(t, s, admin, "reporter@example.org", "reporter")
	rep.ok("report", "new", "--title", "Guest escape", "--description", "The agent trusts the guest.", "--component", "agent")
	rep.fails(exitAuth, "coordinate this report", "report", "cve-github", "1")
	admin.fails(exitUsage, "the project's CNA is not GitHub (GitHub_M)", "report", "cve-github", "1")
}
