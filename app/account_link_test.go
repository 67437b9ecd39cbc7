package app_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// linkEnv is a fresh instance, bootstrapped with a token-only
// administrator, on a clock the test moves.
type linkEnv struct {
	svc   *app.Service
	st    vmt.Store
	now   time.Time
	admin vmt.Actor
}

func newLinkEnv(t *testing.T) *linkEnv {
	t.Helper()
	e := &linkEnv{st: sqldbtest.Open(t, "sqlite"), now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	e.svc = app.Must(app.New(app.Deps{
		Store:       e.st,
		Hasher:      password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		Now:         func() time.Time { return e.now },
		Log:         slog.New(slog.DiscardHandler),
		Publication: vmt.PublicationHooks{BaseURL: "https://vmt.example.org"},
	}))
	secret, err := e.svc.Bootstrap(context.Background(), vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"main"}}})
	if err != nil {
		t.Fatal(err)
	}
	if e.admin, err = e.svc.Authenticate(context.Background(), secret); err != nil {
		t.Fatal(err)
	}
	return e
}

func wantRefused(t *testing.T, what string, err error, says string) {
	t.Helper()
	if vmt.ErrorCode(err) != vmt.EINVALID || vmt.ErrorField(err) != "token" || !strings.Contains(vmt.ErrorMessage(err), says) {
		t.Errorf("%s: %v; want EINVALID on token saying %q", what, err, says)
	}
}

// TestFirstSignInLink: the first start's link sets the administrator's
// first password once; it is refused after use, it is not made again once
// an administrator can sign in, a newer link ends the older one, and an
// unused one expires.
func TestFirstSignInLink(t *testing.T) {
	ctx := context.Background()
	e := newLinkEnv(t)
	old, u, err := e.svc.FirstSignInLink(ctx)
	if err != nil || old == "" || u == nil || u.Email != "admin@example.org" {
		t.Fatalf("FirstSignInLink = %q, %v, %v", old, u, err)
	}
	secret, _, err := e.svc.FirstSignInLink(ctx) // the service restarted
	if err != nil || secret == "" || secret == old {
		t.Fatalf("second FirstSignInLink = %q, %v", secret, err)
	}
	_, err = e.svc.SetPasswordByLink(ctx, old, "a first password 1")
	wantRefused(t, "the link a newer one replaced", err, "already used")
	h, err := e.svc.CheckAccountLink(ctx, secret)
	if err != nil || h.Email != "admin@example.org" || h.Purpose != vmt.LinkFirstAdmin || !h.ExpiresAt.Equal(e.now.Add(24*time.Hour)) {
		t.Fatalf("CheckAccountLink = %+v, %v", h, err)
	}
	_, err = e.svc.SetPasswordByLink(ctx, secret, "short")
	if vmt.ErrorField(err) != "password" {
		t.Errorf("a short password: %v", err)
	}
	a, err := e.svc.SetPasswordByLink(ctx, secret, "a first password 1")
	if err != nil || a.ID() != e.admin.ID() {
		t.Fatalf("SetPasswordByLink = %v, %v", a, err)
	}
	if _, err := e.svc.Login(ctx, "admin@example.org", "a first password 1"); err != nil {
		t.Errorf("sign in with the password the link set: %v", err)
	}
	_, err = e.svc.SetPasswordByLink(ctx, secret, "another password 2")
	wantRefused(t, "the link used", err, "already used")
	if _, err := e.svc.Login(ctx, "admin@example.org", "another password 2"); err == nil {
		t.Error("the used link changed the password")
	}
	if s, _, err := e.svc.FirstSignInLink(ctx); err != nil || s != "" {
		t.Errorf("FirstSignInLink once an administrator can sign in = %q, %v", s, err)
	}

	// A second instance: the link expires after a day.
	e = newLinkEnv(t)
	secret, _, err = e.svc.FirstSignInLink(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e.now = e.now.Add(24 * time.Hour)
	_, err = e.svc.SetPasswordByLink(ctx, secret, "a first password 1")
	wantRefused(t, "the link after a day", err, "expired")
	_, err = e.svc.SetPasswordByLink(ctx, "vmtl_"+strings.Repeat("a", 32), "a first password 1")
	wantRefused(t, "a made-up link", err, "not one we made")
}

// TestInviteUser: an administrator invites by address; the mail goes
// through the outbox to that address with a link that sets the password
// and proves the address; others may not invite, and an account with a
// password is not invited again.
func TestInviteUser(t *testing.T) {
	ctx := context.Background()
	e := newLinkEnv(t)
	if _, _, err := e.svc.InviteUser(ctx, vmt.Anonymous, vmt.UserInput{Email: "c@example.org", Role: vmt.RoleVMT}); err == nil {
		t.Error("an anonymous caller invited someone")
	}
	u, l, err := e.svc.InviteUser(ctx, e.admin, vmt.UserInput{Email: "Coord@Example.org", Name: "Coord", Role: vmt.RoleVMT})
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "coord@example.org" || u.EmailVerifiedAt != nil || u.PasswordHash != "" || l.Purpose != vmt.LinkInvite || l.CreatedBy != e.admin.ID() {
		t.Fatalf("invited %+v with %+v", u, l)
	}
	coord := vmt.Actor{User: u}
	if _, _, err := e.svc.InviteUser(ctx, coord, vmt.UserInput{Email: "x@example.org", Role: vmt.RoleAdmin}); vmt.ErrorCode(err) != vmt.EFORBIDDEN {
		t.Errorf("a VMT member invited someone: %v", err)
	}
	var mails []vmt.NoticeMail
	err = e.st.View(ctx, func(tx vmt.Tx) error {
		items, err := tx.OutboxItems(0)
		for _, o := range items {
			if o.Kind == vmt.KindInvite {
				var m vmt.NoticeMail
				if err := json.Unmarshal(o.Payload, &m); err != nil {
					return err
				}
				mails = append(mails, m)
			}
		}
		return err
	})
	if err != nil || len(mails) != 1 || len(mails[0].To) != 1 || mails[0].To[0] != "coord@example.org" {
		t.Fatalf("invitation mails %+v, %v", mails, err)
	}
	link := regexp.MustCompile(`https://vmt\.example\.org/welcome\?token=(vmtl_[a-z2-7]+)`).FindStringSubmatch(mails[0].Body)
	if link == nil {
		t.Fatalf("no link in the mail:\n%s", mails[0].Body)
	}
	a, err := e.svc.SetPasswordByLink(ctx, link[1], "coordinator password 1")
	if err != nil {
		t.Fatal(err)
	}
	if a.User.EmailVerifiedAt == nil || !a.User.EmailVerifiedAt.Equal(e.now) {
		t.Errorf("the invitation did not prove the address: %v", a.User.EmailVerifiedAt)
	}
	if _, err := e.svc.Login(ctx, "coord@example.org", "coordinator password 1"); err != nil {
		t.Errorf("sign in after the invitation: %v", err)
	}
	if _, _, err := e.svc.InviteUser(ctx, e.admin, vmt.UserInput{Email: "coord@example.org", Role: vmt.RoleVMT}); vmt.ErrorCode(err) != vmt.ECONFLICT {
		t.Errorf("inviting an account with a password: %v", err)
	}
	// An invitation not taken up can be sent again; the old link ends.
	_, first, err := e.svc.InviteUser(ctx, e.admin, vmt.UserInput{Email: "late@example.org", Role: vmt.RoleReviewer})
	if err != nil {
		t.Fatal(err)
	}
	_, second, err := e.svc.InviteUser(ctx, e.admin, vmt.UserInput{Email: "late@example.org", Role: vmt.RoleReviewer})
	if err != nil || second.ID == first.ID {
		t.Fatalf("second invitation: %+v, %v", second, err)
	}
	_ = e.st.View(ctx, func(tx vmt.Tx) error {
		items, _ := tx.OutboxItems(0)
		n := 0
		for _, o := range items {
			if o.Kind == vmt.KindInvite {
				n++
			}
		}
		if n != 3 {
			t.Errorf("%d invitation mails, want 3", n)
		}
		return nil
	})
}
