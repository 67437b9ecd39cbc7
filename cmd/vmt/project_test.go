package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

func TestProjectCommands(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	_, repID := addUser(t, s, admin, "reporter@example.org", "reporter")
	_, vmtID := addUser(t, s, admin, "coord@example.org", "vmt")

	list := admin.ok("project", "list")
	if len(lines(list, "1", "kata-containers", "KCSA", "KCSN", "main")) != 1 {
		t.Errorf("project list:\n%s", list)
	}
	admin.fails(exitUsage, "vmt project: role: a user with the reporter role cannot be a vmt member",
		"project", "member", "kata-containers", strconv.FormatInt(repID, 10), "vmt")
	admin.fails(exitNotFound, "vmt project: project not found", "project", "show", "nope")

	vid := strconv.FormatInt(vmtID, 10)
	if out := admin.ok("project", "member", "kata-containers", vid, "VMT"); out != "User "+vid+" is now a vmt member of kata-containers.\n" {
		t.Errorf("project member printed %q", out)
	}
	type shown struct {
		*vmt.Project
		Members []vmt.Member `json:"members"`
	}
	p := decodeJSON[shown](t, admin.ok("project", "show", "kata-containers", "--json"))
	if p.Name != "kata-containers" || p.AdvisoryPrefix != "KCSA" || len(p.Members) != 2 || p.Members[1].UserID != vmtID {
		t.Errorf("project show --json: %+v, members %+v", p.Project, p.Members)
	}
	show := admin.ok("project", "show", "kata-containers")
	if !strings.Contains(show, "Advisory prefix: KCSA") || len(lines(show, vid, "vmt")) != 1 || !strings.Contains(show, "Members (2)") {
		t.Errorf("project show:\n%s", show)
	}
	admin.ok("project", "member", "kata-containers", vid, "--remove")
	if show := admin.ok("project", "show", "kata-containers"); !strings.Contains(show, "Members (1)") {
		t.Errorf("after removal:\n%s", show)
	}
}
