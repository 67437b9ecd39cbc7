package http_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/vmtproject/vmt"
)

// testPassword is every test user's password.
const testPassword = "correct horse battery staple"

// browser is a web client with its own cookies, as one person's browser.
// Its forms carry the Origin of the site, as a browser's do.
type browser struct {
	t    testing.TB
	base string
	c    *http.Client
}

func (e *env) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	c := &http.Client{Jar: jar, Transport: e.srv.Client().Transport}
	return &browser{t: e.t, base: e.srv.URL, c: c}
}

// page is an answer: its status, final URL and parsed HTML.
type page struct {
	status int
	url    *url.URL
	body   string
	doc    *goquery.Document
}

func (b *browser) do(req *http.Request) *page {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		b.t.Fatal(err)
	}
	return &page{status: resp.StatusCode, url: resp.Request.URL, body: string(body), doc: doc}
}

func (b *browser) get(path string) *page {
	b.t.Helper()
	req, err := http.NewRequest("GET", b.base+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form as a same-origin browser page would.
func (b *browser) post(path string, form url.Values) *page {
	b.t.Helper()
	return b.postFrom(b.base, path, form)
}

// postFrom sends a form from the page of origin ("" for no Origin header,
// as a non-browser client does).
func (b *browser) postFrom(origin, path string, form url.Values) *page {
	b.t.Helper()
	req, err := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return b.do(req)
}

// login signs in and checks that it worked.
func (b *browser) login(email string) {
	b.t.Helper()
	p := b.post("/login", url.Values{"email": {email}, "password": {testPassword}})
	if p.status != http.StatusOK || p.url.Path != "/" {
		b.t.Fatalf("sign-in as %s: %d at %s: %s", email, p.status, p.url, p.doc.Find(".error").Text())
	}
}

// withPassword gives an existing user the test password.
func (e *env) withPassword(a vmt.Actor) {
	e.t.Helper()
	pw := testPassword
	if _, err := e.svc.UpdateUser(context.Background(), e.admin, a.ID(), vmt.UserPatch{Password: &pw}); err != nil {
		e.t.Fatal(err)
	}
}

// signedIn returns a browser signed in as a new user of role.
func (e *env) signedIn(email string, role vmt.Role) (vmt.Actor, *browser) {
	e.t.Helper()
	a, _ := e.user(email, role)
	e.withPassword(a)
	b := e.browser()
	b.login(email)
	return a, b
}

// checkLabels fails for every form field of p without a label: a
// <label for> naming its id, or an enclosing <label>.
func checkLabels(t *testing.T, name string, p *page) {
	t.Helper()
	p.doc.Find("input, select, textarea").Each(func(_ int, s *goquery.Selection) {
		if typ, _ := s.Attr("type"); typ == "hidden" || typ == "submit" {
			return
		}
		id, _ := s.Attr("id")
		nm, _ := s.Attr("name")
		if s.ParentsFiltered("label").Length() > 0 {
			return
		}
		if id == "" || p.doc.Find(`label[for="`+id+`"]`).Length() == 0 {
			t.Errorf("%s: field %q (id %q) has no label", name, nm, id)
		}
	})
	if n := len(p.body); n >= 100<<10 {
		t.Errorf("%s: page is %d bytes, over 100 KB", name, n)
	}
}
