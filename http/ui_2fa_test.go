package http_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/vmtproject/vmt"
)

// TestUITwoFactor: a coordinator turns on the second factor with a code
// from the secret shown; a sign-in then needs a code as well as the
// password; a wrong code and a code used once already are refused; a
// reporter is not offered it; turning it off needs a code.
func TestUITwoFactor(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		a, b := e.signedIn("coord@example.org", vmt.RoleVMT)
		p := b.get("/account/two-factor")
		checkLabels(t, "two-factor page", p)
		secret := p.doc.Find("#totp-secret").Text()
		if len(secret) < 16 || p.doc.Find(`img[src^="data:image/png;base64,"]`).Length() != 1 {
			t.Fatalf("enrolment shows secret %q and %d QR images", secret, p.doc.Find("img").Length())
		}
		if p := b.post("/account/two-factor/enable", url.Values{"code": {"000000"}}); p.status != http.StatusBadRequest || p.doc.Find("#totp-secret").Text() != secret {
			t.Errorf("wrong enrolment code: %d, secret shown %q", p.status, p.doc.Find("#totp-secret").Text())
		}
		// Each step below uses a later 30-second period, as a code is good
		// once and one period of drift either way is allowed: enrol with
		// the previous period's code, sign in with this one's, turn off
		// with the next one's. The periods are counted from one instant,
		// so a step that falls in the next period still uses the code it
		// means (the enrolment's, for the replay) and not a fresh one.
		t0 := time.Now()
		code := func(at time.Time) string {
			c, err := totp.GenerateCode(secret, at)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		enrolCode := code(t0.Add(-30 * time.Second))
		p = b.post("/account/two-factor/enable", url.Values{"code": {enrolCode}})
		if !strings.Contains(p.doc.Find("#two-factor-state").Text(), "on") {
			t.Fatalf("after enrolling: %q %s", p.doc.Find("#two-factor-state").Text(), p.doc.Find(".error").Text())
		}
		b.post("/logout", nil)

		// The password alone no longer signs in.
		p = b.post("/login", url.Values{"email": {a.User.Email}, "password": {testPassword}})
		if p.url.Path != "/login/code" {
			t.Fatalf("sign-in with a second factor went to %s", p.url)
		}
		checkLabels(t, "code page", p)
		if p := b.get("/reports"); p.url.Path != "/login" {
			t.Errorf("half signed in, the dashboard answered at %s", p.url)
		}
		p = b.post("/login/code", url.Values{"code": {"123456"}})
		if p.status != http.StatusUnauthorized {
			t.Errorf("wrong code: %d", p.status)
		}
		// The enrolment's code again: refused as a replay.
		if p := b.post("/login/code", url.Values{"code": {enrolCode}}); p.status != http.StatusUnauthorized {
			t.Errorf("reused code: %d", p.status)
		}
		p = b.post("/login/code", url.Values{"code": {code(t0)}})
		if p.url.Path != "/" || p.status != http.StatusOK {
			t.Fatalf("right code: %d at %s: %s", p.status, p.url, p.doc.Find(".error").Text())
		}
		// Turning it off needs a fresh code too.
		if p := b.post("/account/two-factor/disable", url.Values{"code": {code(t0)}}); !strings.Contains(p.doc.Find(".error").Text(), "Not done") {
			t.Errorf("turning off with a used code was not refused")
		}
		p = b.post("/account/two-factor/disable", url.Values{"code": {code(t0.Add(30 * time.Second))}})
		if !strings.Contains(p.doc.Find("#two-factor-state").Text(), "off") {
			t.Errorf("after turning off: %q", p.doc.Find("#two-factor-state").Text())
		}
		evs, err := e.svc.AuditEvents(t.Context(), e.admin, 0, 500)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, ev := range evs {
			if ev.Action == "user.second_factor" {
				n++
				if strings.Contains(string(ev.After), secret) {
					t.Errorf("the audit log holds the secret")
				}
			}
		}
		if n != 2 {
			t.Errorf("%d second-factor audit events, want 2", n)
		}

		_, rb := e.signedIn("rep@example.org", vmt.RoleReporter)
		if p := rb.get("/account/two-factor"); p.status != http.StatusForbidden {
			t.Errorf("reporter's two-factor page: %d, want 403", p.status)
		}
	})
}
