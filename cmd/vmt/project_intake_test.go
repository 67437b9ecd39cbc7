package main

import (
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

// TestProjectIntakeCommands: an administrator sets a project's intake
// mailbox with its secrets by reference (the secret itself is refused),
// its VMT may turn it off but not point it elsewhere, anyone else may not
// see it; the failures the worker kept are listed for the VMT; --help
// shows an example.
func TestProjectIntakeCommands(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	coord, coordID := addUser(t, s, admin, "coord@example.org", "vmt")
	rep, _ := addUser(t, s, admin, "reporter@example.org", "reporter")
	c := &vmthttp.Client{BaseURL: s.url, Token: s.adminToken}
	p, err := c.Project(t.Context(), "kata-containers")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetMember(t.Context(), p.Name, coordID, vmt.MemberVMT); err != nil {
		t.Fatal(err)
	}

	help := admin.vmt("", "project", "intake", "set", "--help")
	if help.code != 0 || !strings.Contains(help.stderr, "example:") || !strings.Contains(help.stderr, "--password file:/etc/vmt/imap-password") {
		t.Errorf("--help: exit %d\n%s", help.code, help.stderr)
	}
	admin.fails(exitUsage, "never the secret itself", "project", "intake", "set", "kata-containers", "--addr", "imap.example.org:993",
		"--user", "security", "--password", "hunter2", "--key", "file:/etc/vmt/intake.asc")
	admin.fails(exitUsage, "only to a loopback address", "project", "intake", "set", "kata-containers", "--addr", "imap.example.org:143",
		"--security", "plain", "--user", "security", "--password", "env:PW", "--key", "file:/etc/vmt/intake.asc")
	admin.ok("project", "intake", "set", "kata-containers", "--addr", "imap.example.org:993", "--user", "security@example.org",
		"--password", "env:VMT_IMAP_PASSWORD", "--key", "file:/etc/vmt/intake.asc")
	got := decodeJSON[vmt.IntakeSettings](t, coord.ok("project", "intake", "show", "kata-containers", "--json"))
	if !got.Enabled || got.Addr != "imap.example.org:993" || got.Security != vmt.IntakeTLS || got.PasswordRef != "env:VMT_IMAP_PASSWORD" || got.Folder != "INBOX" {
		t.Errorf("intake show: %+v", got)
	}
	rep.fails(exitAuth, "only the project's VMT may manage its intake mailbox", "project", "intake", "show", "kata-containers")
	coord.fails(exitAuth, "only an administrator", "project", "intake", "set", "kata-containers", "--addr", "evil.example.net:993",
		"--user", "security@example.org", "--password", "env:VMT_IMAP_PASSWORD", "--key", "file:/etc/vmt/intake.asc")
	coord.ok("project", "intake", "set", "kata-containers", "--addr", "imap.example.org:993", "--user", "security@example.org",
		"--password", "env:VMT_IMAP_PASSWORD", "--key", "file:/etc/vmt/intake.asc", "--disable")

	if out := coord.ok("project", "intake", "failures", "kata-containers"); strings.Count(out, "\n") != 1 {
		t.Errorf("failures before any: %q", out)
	}
	if err := s.svc.RecordIntakeFailure(t.Context(), &vmt.IntakeFailure{ProjectID: p.ID, Key: "bad@example.net",
		From: "x@example.net", Subject: "broken", Reason: "cannot read the message: malformed multipart"}); err != nil {
		t.Fatal(err)
	}
	out := coord.ok("project", "intake", "failures", "kata-containers")
	if !strings.Contains(out, "bad@example.net") || !strings.Contains(out, "malformed multipart") {
		t.Errorf("failures:\n%s", out)
	}
	rep.fails(exitAuth, "only the project's VMT", "project", "intake", "failures", "kata-containers")
}
