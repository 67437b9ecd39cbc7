package main

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// invitationLink reads the invitation mailed to addr from the outbox, as
// the worker would send it, and returns its link's secret.
func invitationLink(t *testing.T, s *apiServer, addr string) string {
	t.Helper()
	var secret string
	err := s.svc.Deps().Store.View(context.Background(), func(tx vmt.Tx) error {
		items, err := tx.OutboxItems(0)
		for _, o := range items {
			var m vmt.NoticeMail
			if o.Kind != vmt.KindInvite || json.Unmarshal(o.Payload, &m) != nil || len(m.To) != 1 || m.To[0] != addr {
				continue
			}
			if l := regexp.MustCompile(`/welcome\?token=(vmtl_[a-z2-7]+)`).FindStringSubmatch(m.Body); l != nil {
				secret = l[1]
			}
		}
		return err
	})
	if err != nil || secret == "" {
		t.Fatalf("no invitation to %s in the outbox (%v)", addr, err)
	}
	return secret
}

// TestUserInviteAndPasswd: `vmt user invite` makes the account and mails
// its link; the invited person sets a password with it, and changes it
// later with `vmt user passwd` from standard input, which needs the
// current one and keeps to the server's limits. An account with no
// password sets its first one with a single line.
func TestUserInviteAndPasswd(t *testing.T) {
	ctx := context.Background()
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)

	out := admin.ok("user", "invite", "Carol@Example.org", "--role", "vmt", "--name", "Carol")
	if !strings.Contains(out, "Invited Carol <carol@example.org> as vmt") || !strings.Contains(out, "works once, until") {
		t.Errorf("user invite printed %q", out)
	}
	admin.fails(exitUsage, "--role is required", "user", "invite", "dan@example.org")
	admin.fails(exitUsage, "usage: vmt user invite", "user", "invite", "--role", "vmt")
	secret := invitationLink(t, s, "carol@example.org")
	if _, err := s.svc.SetPasswordByLink(ctx, secret, "carol's first password"); err != nil {
		t.Fatal(err)
	}
	admin.fails(exitConflict, "has an account with a password already", "user", "invite", "carol@example.org", "--role", "vmt")

	tok := strings.TrimSpace(admin.ok("token", "new", "--user", "carol@example.org", "--name", "laptop"))
	carol := newCLIUser(t)
	carol.login(s, tok)
	if r := carol.vmt("short\n", "user", "passwd"); r.code != exitUsage || !strings.Contains(r.stderr, "at least 12 characters") {
		t.Errorf("a short password: exit %d, %q", r.code, r.stderr)
	}
	if r := carol.vmt("carol's second password\n", "user", "passwd"); r.code != exitUsage || !strings.Contains(r.stderr, "current_password") {
		t.Errorf("without the current password: exit %d, %q", r.code, r.stderr)
	}
	if r := carol.vmt("not carol's password\ncarol's second password\n", "user", "passwd"); r.code != exitUsage || !strings.Contains(r.stderr, "is wrong") {
		t.Errorf("with a wrong current password: exit %d, %q", r.code, r.stderr)
	}
	r := carol.vmt("carol's first password\ncarol's second password\n", "user", "passwd")
	if r.code != 0 || !strings.Contains(r.stdout, "The password of carol@example.org is set") {
		t.Fatalf("user passwd: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if _, err := s.svc.Login(ctx, "carol@example.org", "carol's second password"); err != nil {
		t.Errorf("sign in with the new password: %v", err)
	}
	if _, err := s.svc.Login(ctx, "carol@example.org", "carol's first password"); err == nil {
		t.Error("the old password still works")
	}

	// The administrator, made by the first start with a token only, sets
	// a first password from one line.
	if r := admin.vmt("the administrator's password\n", "user", "passwd"); r.code != 0 {
		t.Fatalf("user passwd with no password yet: exit %d\n%s", r.code, r.stderr)
	}
	if _, err := s.svc.Login(ctx, "admin@example.org", "the administrator's password"); err != nil {
		t.Errorf("sign in with the first password: %v", err)
	}
	if r := admin.vmt("a\nb\nc\n", "user", "passwd"); r.code != exitUsage || !strings.Contains(r.stderr, "3 lines") {
		t.Errorf("three lines: exit %d, %q", r.code, r.stderr)
	}
}
