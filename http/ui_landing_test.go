package http_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/vmtproject/vmt"
)

// TestSignInLandsOnInbox: a sign-in with no return path ends on the inbox
// at "/" (what waits on the person), with or without the code step; a
// return path on this site is kept, and one that leaves it is dropped
// for the inbox.
func TestSignInLandsOnInbox(t *testing.T) {
	e := newEnv(t, "sqlite")
	plain, _ := e.user("plain@example.org", vmt.RoleReporter)
	e.withPassword(plain)
	// A code is good once: each case has its own account with a second
	// factor.
	coded := make([]vmt.Actor, 5)
	for i := range coded {
		coded[i], _ = e.user("coded"+itoa(int64(i))+"@example.org", vmt.RoleReporter)
		e.withPassword(coded[i])
	}
	own := e.embargoedFor(append([]vmt.Actor{plain}, coded...)...)

	for i, tc := range []struct {
		name, next, want string
	}{
		{"no return path", "", "/"},
		{"a report of theirs", own, own},
		{"another site", "//evil.example/x", "/"},
		{"another site, backslash", `/\evil.example`, "/"},
		{"a full URL", "https://evil.example/", "/"},
	} {
		codedUser := coded[i]
		t.Run(tc.name, func(t *testing.T) {
			b := e.browser()
			p := b.post("/login", url.Values{"email": {"plain@example.org"}, "password": {testPassword}, "next": {tc.next}})
			if p.status != http.StatusOK || p.url.Path != tc.want || p.url.Host != mustURL(t, e.srv.URL).Host {
				t.Fatalf("signed in: %d at %s, want %s", p.status, p.url, tc.want)
			}
			if tc.want == "/" && p.doc.Find("#inbox-mine").Length() != 1 {
				t.Errorf("the landing page is not the inbox: %s", p.doc.Find("h1").Text())
			}

			// The same through the second factor's step, which carries
			// the return path.
			b = e.browser()
			secret := e.withTOTP(codedUser)
			p = b.post("/login", url.Values{"email": {codedUser.User.Email}, "password": {testPassword}, "next": {tc.next}})
			if p.url.Path != "/login/code" {
				t.Fatalf("password step went to %s", p.url)
			}
			next, _ := p.doc.Find(`input[name=next]`).Attr("value")
			code, err := totp.GenerateCode(secret, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			p = b.post("/login/code", url.Values{"code": {code}, "next": {next}})
			if p.status != http.StatusOK || p.url.Path != tc.want {
				t.Fatalf("code step: %d at %s, want %s: %s", p.status, p.url, tc.want, p.doc.Find(".error").Text())
			}
		})
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
