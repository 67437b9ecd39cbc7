package http_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/jobs"
)

// armoredKey makes an armored v4 EdDSA/Curve25519 public key made an hour
// ago, expiring after life (0: never).
func armoredKey(t *testing.T, name string, life time.Duration) string {
	t.Helper()
	made := time.Now().Add(-time.Hour)
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Curve: packet.Curve25519, Time: func() time.Time { return made },
		KeyLifetimeSecs: uint32(life / time.Second)}
	e, err := openpgp.NewEntity(name, "", strings.ToLower(name)+"@example.org", cfg)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	aw, err := armor.Encode(&b, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Serialize(aw); err != nil {
		t.Fatal(err)
	}
	if err := aw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestUIAccountKeyFillsCVEForm: the coordinator's account page refuses a
// bad key next to its field with what was typed kept and nothing stored,
// saves a good one and shows its fingerprint and expiry; the CVE request
// form of their private report then carries that key's armor, with no
// field to paste one. Without a stored key the paste field links to the
// account page.
func TestUIAccountKeyFillsCVEForm(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		e.setDeps(func(d *app.Deps) { d.Disclosure.Keys = jobs.CheckKey })
		path, _, b, _ := advisoryReport(t, e)
		b.post(path+"/classify", url.Values{"class": {"B2"}}) // the CVE step comes with a document's kind
		ctx := context.Background()
		users, err := e.svc.Users(ctx, e.admin)
		if err != nil {
			t.Fatal(err)
		}
		var coord *vmt.User
		for _, u := range users {
			if u.Email == "coord@example.org" {
				coord = u
			}
		}
		if coord == nil {
			t.Fatal("no coordinator")
		}

		p := b.get(path)
		if p.doc.Find(`#cve-form textarea[name="openpgp_key"]`).Length() != 1 || p.doc.Find(`#cve-key-hint a[href="/account#openpgp-key"]`).Length() != 1 {
			t.Errorf("without a stored key the CVE form should ask for one and link to the account page: %q", p.doc.Find("#cve-form").Text())
		}

		p = b.get("/account")
		if p.status != http.StatusOK || !strings.Contains(p.doc.Find("#openpgp-key-state").Text(), "No key") ||
			p.doc.Find(`label[for="openpgp-key-text"]`).Length() != 1 {
			t.Fatalf("account page %d: %q", p.status, p.doc.Find("#openpgp-key").Text())
		}
		p = b.post("/account/openpgp-key", url.Values{"openpgp_key": {"not a key"}})
		if p.status != http.StatusBadRequest || p.doc.Find("#openpgp-key-text").AttrOr("aria-invalid", "") != "true" ||
			p.doc.Find("#openpgp-key-error").Text() == "" || strings.TrimSpace(p.doc.Find("#openpgp-key-text").Text()) != "not a key" {
			t.Errorf("bad key: %d, error %q, text %q", p.status, p.doc.Find("#openpgp-key-error").Text(), p.doc.Find("#openpgp-key-text").Text())
		}
		if u := e.userNamed(t, coord.ID); u.OpenPGPKey != "" {
			t.Errorf("a refused key was stored: %q", u.OpenPGPKey)
		}

		key := armoredKey(t, "Coord", 365*24*time.Hour)
		p = b.post("/account/openpgp-key", url.Values{"openpgp_key": {key}})
		stored := e.userNamed(t, coord.ID)
		if p.status != http.StatusOK || p.url.Path != "/account" || len(stored.OpenPGPFingerprint) != 40 ||
			strings.TrimSpace(p.doc.Find("#openpgp-fingerprint").Text()) != stored.OpenPGPFingerprint ||
			!strings.Contains(p.doc.Find("#openpgp-key-state").Text(), "expires") {
			t.Errorf("after saving: %d %s, state %q, stored %q", p.status, p.url, p.doc.Find("#openpgp-key-state").Text(), stored.OpenPGPFingerprint)
		}

		p = b.get(path)
		if p.doc.Find(`[name="openpgp_key"]`).Length() != 0 || !strings.Contains(p.doc.Find("#cve-key-stored").Text(), stored.OpenPGPFingerprint) {
			t.Errorf("with a stored key the page still asks for one, or does not say which: %q", p.doc.Find("#cve-form").Text())
		}
		p = b.post(path+"/cve/form", url.Values{"other_type": {"Container escape"}})
		text := p.doc.Find("#cve-form-text").Text()
		if !strings.Contains(text, strings.TrimSpace(key)) || !strings.Contains(text, "coord@example.org") || !strings.Contains(text, "currently under embargo") {
			t.Errorf("the form lacks the stored key's armor: %q (%s)", text, p.doc.Find("#err-cve-form").Text())
		}
		if p.doc.Find(`[name="openpgp_key"]`).Length() != 0 {
			t.Error("the filled form still has a field to paste a key")
		}

		// Removing it brings the paste field back.
		b.post("/account/openpgp-key", url.Values{"openpgp_key": {key}, "remove": {"1"}})
		if u := e.userNamed(t, coord.ID); u.OpenPGPKey != "" {
			t.Errorf("remove left the key: %q", u.OpenPGPFingerprint)
		}
		if p = b.get(path); p.doc.Find(`#cve-form textarea[name="openpgp_key"]`).Length() != 1 {
			t.Error("after removing the key the form does not ask for one")
		}
	})
}

// userNamed reads user id as the administrator sees it.
func (e *env) userNamed(t *testing.T, id int64) *vmt.User {
	t.Helper()
	u, err := e.svc.User(context.Background(), e.admin, id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestUIAccountGitHubLogin: a GitHub login carries rights on GitHub, so
// the account page never takes one on its holder's word: a reporter reads
// the login an administrator linked and is told to ask one, and a post
// of their own is refused with nothing stored. An administrator's page
// sets their own, refuses one that is not a login or is another
// account's next to its field with what was typed kept, and takes it off.
func TestUIAccountGitHubLogin(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		rep, rb := e.signedIn("rep@example.org", vmt.RoleReporter)
		p := rb.get("/account")
		if p.status != http.StatusOK || !strings.Contains(p.doc.Find("#github-login-state").Text(), "No GitHub login") ||
			p.doc.Find(`form[action="/account/github-login"]`).Length() != 0 ||
			!strings.Contains(p.doc.Find("#github-login-hint").Text(), "ask one") {
			t.Fatalf("the reporter's account page %d: %q", p.status, p.doc.Find("#github-login").Text())
		}
		if p = rb.post("/account/github-login", url.Values{"github_login": {"rep-gh"}}); p.status != http.StatusForbidden {
			t.Errorf("a reporter's own login: %d", p.status)
		}
		if ls, err := e.svc.OwnForgeLogins(ctx, rep); err != nil || len(ls) != 0 {
			t.Errorf("the reporter's post stored %q, %v", ls, err)
		}
		if _, err := e.svc.SetForgeLogin(ctx, e.admin, rep.ID(), "taken"); err != nil {
			t.Fatal(err)
		}
		if p = rb.get("/account"); !strings.Contains(p.doc.Find("#github-login-state").Text(), "@taken") {
			t.Errorf("the login an administrator linked: %q", p.doc.Find("#github-login-state").Text())
		}

		adm, b := e.signedIn("adm@example.org", vmt.RoleAdmin)
		p = b.get("/account")
		if p.status != http.StatusOK || p.doc.Find(`label[for="github-login-text"]`).Length() != 1 || p.doc.Find("#github-login-remove").Length() != 0 {
			t.Fatalf("the administrator's account page %d: %q", p.status, p.doc.Find("#github-login").Text())
		}
		for _, bad := range []string{"not/a/login", "taken"} {
			p = b.post("/account/github-login", url.Values{"github_login": {bad}})
			if p.status != http.StatusBadRequest || p.doc.Find("#github-login-text").AttrOr("aria-invalid", "") != "true" ||
				p.doc.Find("#github-login-error").Text() == "" || p.doc.Find("#github-login-text").AttrOr("value", "") != bad {
				t.Errorf("%q: %d, error %q", bad, p.status, p.doc.Find("#github-login-error").Text())
			}
		}
		p = b.post("/account/github-login", url.Values{"github_login": {"@Adm-GH"}})
		if p.status != http.StatusOK || p.url.Path != "/account" || !strings.Contains(p.doc.Find("#github-login-state").Text(), "@adm-gh") ||
			!strings.Contains(p.doc.Find(".flash").Text(), "@adm-gh") {
			t.Errorf("after saving: %d %s %q", p.status, p.url, p.doc.Find("#github-login-state").Text())
		}
		if ls, err := e.svc.OwnForgeLogins(ctx, adm); err != nil || len(ls) != 1 || ls[0] != "adm-gh" {
			t.Errorf("stored %q, %v", ls, err)
		}
		p = b.post("/account/github-login", url.Values{"github_login": {"adm-gh"}, "remove": {"1"}})
		if p.status != http.StatusOK || !strings.Contains(p.doc.Find("#github-login-state").Text(), "No GitHub login") {
			t.Errorf("after taking it off: %d %q", p.status, p.doc.Find("#github-login-state").Text())
		}
	})
}
