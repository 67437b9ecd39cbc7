package http_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestUISessionCookie checks the cookie's flags: HttpOnly and SameSite=Lax
// always, and nothing that would let script or other sites read it.
func TestUISessionCookie(t *testing.T) {
	e := newEnv(t, "sqlite")
	a, _ := e.user("c@example.org", vmt.RoleVMT)
	e.withPassword(a)
	req, _ := http.NewRequest("POST", e.srv.URL+"/login", strings.NewReader(url.Values{"email": {"c@example.org"}, "password": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", resp.StatusCode)
	}
	var got *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "vmt_session" {
			got = ck
		}
	}
	if got == nil {
		t.Fatalf("no session cookie in %v", resp.Header["Set-Cookie"])
	}
	if !got.HttpOnly || got.SameSite != http.SameSiteLaxMode || got.Path != "/" || got.Secure {
		t.Errorf("cookie %s: HttpOnly %v SameSite %v Path %q Secure %v", got.Raw, got.HttpOnly, got.SameSite, got.Path, got.Secure)
	}
}

// TestUISecureCookie checks that with SetSecureCookies (a server behind a
// proxy that ends TLS) the cookie is Secure and carries the __Host- prefix.
func TestUISecureCookie(t *testing.T) {
	st := sqldbtest.Open(t, "sqlite")
	svc := app.Must(app.New(app.Deps{
		Store:  st,
		Hasher: testHasher,
		Now:    time.Now,
		Log:    slog.New(slog.DiscardHandler),
	}))
	_, err := svc.Bootstrap(t.Context(), vmt.BootstrapInput{AdminEmail: "admin@example.org", AdminPassword: testPassword,
		Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"main"}}})
	if err != nil {
		t.Fatal(err)
	}
	h := vmthttp.NewServer(svc, slog.New(slog.DiscardHandler))
	h.SetSecureCookies(true)
	srv := httptest.NewServer(h)
	defer srv.Close()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(srv.URL+"/login", url.Values{"email": {"admin@example.org"}, "password": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	set := strings.Join(resp.Header["Set-Cookie"], "\n")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(set, "__Host-vmt_session=") ||
		!strings.Contains(set, "; Secure") || !strings.Contains(set, "; HttpOnly") || !strings.Contains(set, "; SameSite=Lax") {
		t.Errorf("%d, Set-Cookie %q: want __Host-vmt_session, Secure, HttpOnly, SameSite=Lax", resp.StatusCode, set)
	}
}

// TestUILogoutEverywhere: two browsers signed in as one user; signing out
// everywhere from one ends the other's session too, and other users keep
// theirs.
func TestUILogoutEverywhere(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		a, laptop := e.signedIn("c@example.org", vmt.RoleVMT)
		phone := e.browser()
		phone.login(a.User.Email)
		_, other := e.signedIn("d@example.org", vmt.RoleVMT)
		p := laptop.post("/logout/everywhere", nil)
		if p.url.Path != "/login" || !strings.Contains(p.doc.Find(".flash").Text(), "every device") {
			t.Errorf("after signing out everywhere: %s %q", p.url, p.doc.Find(".flash").Text())
		}
		for name, b := range map[string]*browser{"laptop": laptop, "phone": phone} {
			if p := b.get("/reports"); p.url.Path != "/login" {
				t.Errorf("%s still signed in: %d at %s", name, p.status, p.url)
			}
		}
		if p := other.get("/reports"); p.url.Path != "/reports" || p.status != http.StatusOK {
			t.Errorf("another user's session ended too: %d at %s", p.status, p.url)
		}
		// Signing out ends only this session.
		other.post("/logout", nil)
		if p := other.get("/reports"); p.url.Path != "/login" {
			t.Errorf("signed out, still in: %s", p.url)
		}
		// The log tells who signed in, how and from where, and who ended
		// every session.
		evs, err := e.svc.AuditEvents(context.Background(), e.admin, 0, vmt.MaxPageSize)
		if err != nil {
			t.Fatal(err)
		}
		var signIns, everywhere []string
		for _, ev := range evs {
			switch {
			case ev.Action == "user.sign_in" && ev.ActorID == a.ID():
				signIns = append(signIns, string(ev.After))
			case ev.Action == "user.sign_out_everywhere":
				everywhere = append(everywhere, fmt.Sprintf("%d %s", ev.ActorID, ev.After))
			}
		}
		if len(signIns) != 2 || !strings.Contains(signIns[0], `"how":"password"`) || !strings.Contains(signIns[0], `"from":"127.0.0.1"`) {
			t.Errorf("sign-ins of %d audited as %v, want two by password from 127.0.0.1", a.ID(), signIns)
		}
		if want := fmt.Sprintf(`%d {"sessions":2}`, a.ID()); len(everywhere) != 1 || everywhere[0] != want {
			t.Errorf("sign-out everywhere audited as %v, want [%s]", everywhere, want)
		}
	})
}

// TestUILoginRateLimit: wrong passwords for one account are limited, and
// then even the right password is refused for a while.
func TestUILoginRateLimit(t *testing.T) {
	e := newEnv(t, "sqlite")
	a, _ := e.user("c@example.org", vmt.RoleVMT)
	e.withPassword(a)
	b := e.browser()
	var last *page
	for i := 0; i < 25; i++ {
		last = b.post("/login", url.Values{"email": {"c@example.org"}, "password": {"wrong password " + itoa(int64(i))}})
		if last.status == http.StatusTooManyRequests {
			break
		}
		if last.status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, last.status)
		}
	}
	if last.status != http.StatusTooManyRequests {
		t.Fatalf("25 wrong passwords were not limited")
	}
	if p := b.post("/login", url.Values{"email": {"c@example.org"}, "password": {testPassword}}); p.status != http.StatusTooManyRequests {
		t.Errorf("right password while limited: %d", p.status)
	}
}

// TestUIDisabledUserSignedOut: disabling an account ends its sessions at
// the next request.
func TestUIDisabledUserSignedOut(t *testing.T) {
	e := newEnv(t, "sqlite")
	a, b := e.signedIn("c@example.org", vmt.RoleVMT)
	yes := true
	if _, err := e.svc.UpdateUser(t.Context(), e.admin, a.ID(), vmt.UserPatch{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	if p := b.get("/reports"); p.url.Path != "/login" {
		t.Errorf("disabled user still in: %s", p.url)
	}
}

// TestFaviconWithoutSession: the icon every browser asks for is answered
// outside the sessions, so that it never sets, reads or writes one (a flash
// meant for the next page stays there).
func TestFaviconWithoutSession(t *testing.T) {
	e := newEnv(t, "sqlite")
	_, b := e.signedIn("c@example.org", vmt.RoleVMT)
	resp, err := b.c.Get(e.srv.URL + "/favicon.ico")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || len(resp.Header.Values("Set-Cookie")) != 0 {
		t.Errorf("favicon: %d, Set-Cookie %q; want 204 and no cookie", resp.StatusCode, resp.Header.Values("Set-Cookie"))
	}
}

// browserFrom is a browser whose connections come from the loopback
// address ip, as another machine's would.
func (e *env) browserFrom(ip string) *browser {
	b := e.browser()
	tr := e.srv.Client().Transport.(*http.Transport).Clone()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	tr.DialContext = d.DialContext
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	b.c = &http.Client{Jar: jar, Transport: tr}
	return b
}

// TestUILoginLimitPerAddress: wrong passwords for an account sent from one
// address limit that address, even with the right password, but not the
// account's owner at another address.
func TestUILoginLimitPerAddress(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		a, _ := e.user("c@example.org", vmt.RoleVMT)
		e.withPassword(a)
		x, y := e.browserFrom("127.0.0.1"), e.browserFrom("127.0.0.2")
		limited := false
		for i := 0; i < 25 && !limited; i++ {
			p := x.post("/login", url.Values{"email": {"C@example.org"}, "password": {"wrong password " + itoa(int64(i))}})
			limited = p.status == http.StatusTooManyRequests
			if !limited && p.status != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d", i, p.status)
			}
		}
		if !limited {
			t.Fatalf("25 wrong passwords from one address were not limited")
		}
		if p := x.post("/login", url.Values{"email": {"c@example.org"}, "password": {testPassword}}); p.status != http.StatusTooManyRequests {
			t.Errorf("right password from the limited address: %d, want 429", p.status)
		}
		if p := y.post("/login", url.Values{"email": {"c@example.org"}, "password": {testPassword}}); p.status != http.StatusOK || p.url.Path != "/" {
			t.Errorf("the owner at another address: %d at %s: %s", p.status, p.url, p.doc.Find(".error").Text())
		}
		if p := x.post("/login", url.Values{"email": {"c@example.org"}, "password": {testPassword}}); p.status != http.StatusTooManyRequests {
			t.Errorf("the first address after the owner's sign-in: %d, want still 429", p.status)
		}
	})
}
