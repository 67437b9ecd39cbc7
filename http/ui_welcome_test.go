package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
)

// inviteSecret reads the last invitation mailed to addr from the outbox
// and returns its link's secret.
func (e *env) inviteSecret(addr string) string {
	e.t.Helper()
	var secret string
	tbNoErr(e.t, e.svc.Deps().Store.View(context.Background(), func(tx vmt.Tx) error {
		items, err := tx.OutboxItems(0)
		for _, o := range items {
			var m vmt.NoticeMail
			if o.Kind != vmt.KindInvite || json.Unmarshal(o.Payload, &m) != nil || !slices.Equal(m.To, []string{addr}) {
				continue
			}
			if l := regexp.MustCompile(regexp.QuoteMeta(vmt.AccountLinkPath) + `\?token=(vmtl_[a-z2-7]+)`).FindStringSubmatch(m.Body); l != nil {
				secret = l[1]
			}
		}
		return err
	}))
	if secret == "" {
		e.t.Fatalf("no invitation to %s in the outbox", addr)
	}
	return secret
}

// TestWelcomeLink: the first administrator's link opens a page that sets
// the password and signs in, once: a refused password keeps the link
// good, a used link shows why and sets nothing, and a link past its day
// is refused. The GET changes nothing.
func TestWelcomeLink(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		secret, u, err := e.svc.FirstSignInLink(ctx)
		noErr(t, err)
		if u.ID != e.admin.ID() {
			t.Fatalf("link for user %d, want the administrator %d", u.ID, e.admin.ID())
		}
		link := vmt.AccountLinkPath + "?token=" + secret
		b := e.browser()
		for range 2 { // a link preview's GET uses nothing
			p := b.get(link)
			if p.status != http.StatusOK || !strings.Contains(p.doc.Find("#welcome-who").Text(), "admin@example.org") || p.doc.Find("#welcome-set").Length() != 1 {
				t.Fatalf("link page: %d %q", p.status, p.doc.Find("main").Text())
			}
			checkLabels(t, "welcome", p)
		}
		p := b.post(vmt.AccountLinkPath, url.Values{"token": {secret}, "password": {"the admin's password"}, "password_again": {"the admin password"}})
		if p.status != http.StatusBadRequest || !strings.Contains(p.doc.Find("#welcome-error").Text(), "differ") {
			t.Errorf("two different passwords: %d %q", p.status, p.doc.Find("#welcome-error").Text())
		}
		p = b.post(vmt.AccountLinkPath, url.Values{"token": {secret}, "password": {"short"}, "password_again": {"short"}})
		if p.status != http.StatusBadRequest || !strings.Contains(p.doc.Find("#welcome-error").Text(), "at least 12") {
			t.Errorf("a short password: %d %q", p.status, p.doc.Find("#welcome-error").Text())
		}
		if v, _ := p.doc.Find(`input[name=token]`).Attr("value"); v != secret {
			t.Errorf("the refused form lost the link")
		}
		p = b.post(vmt.AccountLinkPath, url.Values{"token": {secret}, "password": {"the admin's password"}, "password_again": {"the admin's password"}})
		if p.status != http.StatusOK || p.url.Path != "/" {
			t.Fatalf("setting the password: %d at %s: %s", p.status, p.url, p.doc.Find(".error").Text())
		}
		if !slices.Contains(e.signIns(), e.admin.ID()) {
			t.Error("the sign-in by link was not audited")
		}
		if _, err := e.svc.Login(ctx, "admin@example.org", "the admin's password"); err != nil {
			t.Errorf("sign in with the new password: %v", err)
		}
		// Used: the page says so, and a second POST sets nothing.
		other := e.browser()
		if p := other.get(link); p.status != http.StatusBadRequest || !strings.Contains(p.doc.Find("#welcome-error").Text(), "already used") || p.doc.Find("form[action='/welcome']").Length() != 0 {
			t.Errorf("used link page: %d %q", p.status, p.doc.Find("main").Text())
		}
		p = other.post(vmt.AccountLinkPath, url.Values{"token": {secret}, "password": {"an attacker's password"}, "password_again": {"an attacker's password"}})
		if p.status != http.StatusBadRequest || p.url.Path != vmt.AccountLinkPath {
			t.Errorf("used link POST: %d at %s", p.status, p.url)
		}
		if got := other.get("/account"); got.url.Path == "/account" && got.status == http.StatusOK {
			t.Error("the used link signed a second browser in")
		}
		if _, err := e.svc.Login(ctx, "admin@example.org", "an attacker's password"); err == nil {
			t.Error("the used link changed the password")
		}

		// A link past its day.
		inv, _ := e.user("late@example.org", vmt.RoleReviewer)
		_, _, err = e.svc.InviteUser(ctx, e.admin, vmt.UserInput{Email: inv.User.Email, Role: vmt.RoleReviewer})
		noErr(t, err)
		late := e.inviteSecret(inv.User.Email)
		e.setDeps(func(d *app.Deps) {
			d.Now = func() time.Time { return time.Now().Add(vmt.AccountLinkTTL + time.Minute) }
		})
		if p := e.browser().get(vmt.AccountLinkPath + "?token=" + late); p.status != http.StatusBadRequest || !strings.Contains(p.doc.Find("#welcome-error").Text(), "expired") {
			t.Errorf("expired link: %d %q", p.status, p.doc.Find("#welcome-error").Text())
		}
		if p := e.browser().get(vmt.AccountLinkPath + "?token=vmtl_madeup"); p.status != http.StatusBadRequest || !strings.Contains(p.doc.Find("#welcome-error").Text(), "not one we made") {
			t.Errorf("made-up link: %d %q", p.status, p.doc.Find("#welcome-error").Text())
		}
	})
}

// TestWelcomeLinkNeedsSecondFactor: an invited account that has a second
// factor (and no password) sets its password from the link, which proves
// the address, but is not signed in until it gives the code: the link is
// not a way around a factor the account has.
func TestWelcomeLinkNeedsSecondFactor(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		code, adminTok := e.do("POST", "/api/v1/users/invite", e.token, `{"email":"rev@example.org","role":"reviewer","name":"Rev"}`)
		if code != http.StatusCreated {
			t.Fatalf("invite: %d %s", code, adminTok)
		}
		rev := vmt.Actor{User: e.userByEmail("rev@example.org")}
		if rev.User.EmailVerifiedAt != nil {
			t.Fatal("an invited address starts proven")
		}
		secret := e.withTOTP(rev)
		path := e.embargoedFor(rev)
		b := e.browser()
		p := b.post(vmt.AccountLinkPath, url.Values{"token": {e.inviteSecret("rev@example.org")}, "password": {testPassword}, "password_again": {testPassword}})
		if p.url.Path != "/login/code" {
			t.Fatalf("the link with a second factor went to %d %s, want the code step", p.status, p.url)
		}
		if got := b.get(path); got.status == http.StatusOK && got.url.Path == path {
			t.Fatal("the link signed in an account with a second factor without its code")
		}
		if slices.Contains(e.signIns(), rev.ID()) {
			t.Error("a sign-in without the code was audited")
		}
		if u := e.userByEmail("rev@example.org"); u.EmailVerifiedAt == nil {
			t.Error("the invitation's link did not prove the address")
		}
		// The code step of the same browser completes the sign-in.
		if p := b.post("/login", url.Values{"email": {"rev@example.org"}, "password": {testPassword}}); p.url.Path != "/login/code" {
			t.Fatalf("password step went to %s", p.url)
		}
		c, err := totp.GenerateCode(secret, time.Now())
		noErr(t, err)
		if p := b.post("/login/code", url.Values{"code": {c}}); p.url.Path != "/" {
			t.Fatalf("code step: %d at %s", p.status, p.url)
		}
		if got := b.get(path); got.status != http.StatusOK || got.url.Path != path {
			t.Errorf("with the code, the subscribed report: %d at %s", got.status, got.url)
		}
		_, _, err = e.svc.InviteUser(ctx, e.admin, vmt.UserInput{Email: "rev@example.org", Role: vmt.RoleReviewer})
		if vmt.ErrorCode(err) != vmt.ECONFLICT {
			t.Errorf("inviting again once the password is set: %v", err)
		}
	})
}
