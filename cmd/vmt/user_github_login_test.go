package main

import (
	"strconv"
	"strings"
	"testing"
)

// TestUserGitHubLogin: an account sets, shows and takes off its own
// GitHub login; another account's is refused.
func TestUserGitHubLogin(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	rep, repID := addUser(t, s, admin, "reporter@example.org", "reporter")
	other, _ := addUser(t, s, admin, "other@example.org", "reporter")
	if out := rep.ok("user", "github-login"); !strings.Contains(out, "(none)") {
		t.Errorf("before any: %q", out)
	}
	// A login carries rights on GitHub: never set on its holder's word.
	rep.fails(exitAuth, "ask an administrator", "user", "github-login", "@Octo-Cat")
	rep.fails(exitAuth, "ask an administrator", "user", "github-login", "--clear")
	if out := admin.ok("user", "github-login", "@Octo-Cat"); !strings.Contains(out, "octo-cat") {
		t.Errorf("set: %q", out)
	}
	if out := admin.ok("user", "github-login"); !strings.Contains(out, "octo-cat") {
		t.Errorf("shown: %q", out)
	}
	admin.fails(exitConflict, "linked to another account", "user", "github-login", "--user", strconv.FormatInt(repID, 10), "octo-cat")
	admin.fails(exitUsage, "is not a GitHub login", "user", "github-login", "octo/cat")
	if out := admin.ok("user", "github-login", "--clear"); !strings.Contains(out, "(none)") {
		t.Errorf("cleared: %q", out)
	}
	// An administrator sets another account's; no one else may.
	other.fails(exitNotFound, "", "user", "github-login", "--user", strconv.FormatInt(repID, 10), "rep-gh")
	admin.fails(exitUsage, "give LOGIN or --clear", "user", "github-login", "--user", strconv.FormatInt(repID, 10))
	if out := admin.ok("user", "github-login", "--user", strconv.FormatInt(repID, 10), "rep-gh"); !strings.Contains(out, "rep-gh") {
		t.Errorf("set by the administrator: %q", out)
	}
	if out := rep.ok("user", "github-login"); !strings.Contains(out, "rep-gh") {
		t.Errorf("the account's own view: %q", out)
	}
}
