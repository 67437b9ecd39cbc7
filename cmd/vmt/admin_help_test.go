package main

import (
	"strings"
	"testing"
)

// TestAdminCommandsHelp: every command of issue 14's administration has
// its --help, with an example of itself, and is listed by its group.
func TestAdminCommandsHelp(t *testing.T) {
	u := newCLIUser(t)
	for _, args := range [][]string{
		{"stakeholder", "add"}, {"stakeholder", "list"}, {"stakeholder", "show"}, {"stakeholder", "edit"},
		{"stakeholder", "remove"}, {"stakeholder", "apply"}, {"stakeholder", "requests"},
		{"stakeholder", "accept"}, {"stakeholder", "decline"},
		{"project", "branches"}, {"project", "notice-lists"},
		{"outbox", "list"}, {"outbox", "retry"},
		{"audit", "log"}, {"setup"},
	} {
		name := strings.Join(args, " ")
		r := u.vmt("", append(args, "--help")...)
		if r.code != exitOK || !strings.Contains(r.stderr, "usage: vmt "+name) ||
			(!strings.Contains(r.stderr, "example: vmt "+name+" ") && !strings.Contains(r.stderr, "example: vmt "+name+"\n")) {
			t.Errorf("vmt %s --help: exit %d, no example of itself:\n%s", name, r.code, r.stderr)
		}
		if len(args) == 2 {
			g := u.vmt("", args[0], "help")
			if !strings.Contains(g.stdout, "  "+args[1]+" ") {
				t.Errorf("vmt %s help does not list %s:\n%s", args[0], args[1], g.stdout)
			}
		}
	}
	if r := u.vmt("", "help"); !strings.Contains(r.stdout, "stakeholder") || !strings.Contains(r.stdout, "outbox") || !strings.Contains(r.stdout, "setup") {
		t.Errorf("vmt help does not list the new commands:\n%s", r.stdout)
	}
}
