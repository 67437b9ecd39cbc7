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

// TestReportGitHubFork: the temporary fork is for the report's VMT, and
// for a project with its GitHub repository set up.
func TestReportGitHubFork(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	rep, _ := addUser(t, s, admin, "reporter@example.org", "reporter")
	rep.ok("report", "new", "--title", "Guest escape", "--description", "The agent trusts the guest.", "--component", "agent")
	rep.fails(exitAuth, "coordinate this report", "report", "github-fork", "1")
	admin.fails(exitUsage, "no GitHub repository set up here", "report", "github-fork", "1")
}

// TestReportFixFromFork: a branch of the fork is taken in by one who may
// attach a fix, for a project with its GitHub repository set up.
func TestReportFixFromFork(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	rep, _ := addUser(t, s, admin, "reporter@example.org", "reporter")
	other, _ := addUser(t, s, admin, "other@example.org", "reporter")
	rep.ok("report", "new", "--title", "Guest escape", "--description", "The agent trusts the guest.", "--component", "agent")
	admin.fails(exitUsage, "give --branch and --ref", "report", "fix-from-fork", "1", "--branch", "main")
	other.fails(exitNotFound, "", "report", "fix-from-fork", "1", "--branch", "main", "--ref", "fix-1")
	admin.fails(exitUsage, "no GitHub repository set up here", "report", "fix-from-fork", "1", "--branch", "main", "--ref", "fix-1")
}
