package http_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
	"github.com/PuerkitoBio/goquery"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
)

// securityTxt is a security.txt read by RFC 9116's rules: every field,
// by name, in order; comments and blank lines skipped.
type securityTxt map[string][]string

func parseSecurityTxt(t *testing.T, text string) securityTxt {
	t.Helper()
	f := securityTxt{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		name, value, ok := strings.Cut(l, ": ")
		if !ok {
			t.Fatalf("security.txt: %q is not a field", l)
		}
		f[strings.ToLower(name)] = append(f[strings.ToLower(name)], value)
	}
	return f
}

// check tests what RFC 9116 requires of any security.txt served at
// canonical: a Contact; one Expires, in RFC 3339, in the future and less
// than a year ahead; at most one Preferred-Languages; a Canonical that
// is where it was served.
func (f securityTxt) check(t *testing.T, canonical string) {
	t.Helper()
	if len(f["contact"]) == 0 {
		t.Error("no Contact")
	}
	if len(f["expires"]) != 1 {
		t.Fatalf("Expires: %q, want one", f["expires"])
	}
	exp, err := time.Parse(time.RFC3339, f["expires"][0])
	if err != nil {
		t.Fatalf("Expires is not RFC 3339: %v", err)
	}
	if now := time.Now(); !exp.After(now.AddDate(0, 0, 364)) || !exp.Before(now.AddDate(1, 0, 0)) {
		t.Errorf("Expires %s: want between 364 days and a year from now", exp)
	}
	if got := f["preferred-languages"]; len(got) != 1 || got[0] != "en" {
		t.Errorf("Preferred-Languages: %q", got)
	}
	if got := f["canonical"]; len(got) != 1 || got[0] != canonical {
		t.Errorf("Canonical: %q, want %s", got, canonical)
	}
}

func httpGet(t *testing.T, c *http.Client, u string) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// TestSecurityTxt: /.well-known/security.txt says how to report (the
// VMT's address, the form, each project's policy), expires within the
// coming year, names itself as canonical, and /security.txt redirects to
// it. Without a key it is plain and names no key; with the site's key it
// is cleartext-signed, GnuPG verifies it with the key it names, and that
// URL serves that key.
func TestSecurityTxt(t *testing.T) {
	e := newEnv(t, "sqlite")
	e.setDeps(func(d *app.Deps) {
		d.Publication.BaseURL = e.srv.URL
		d.Publication.Contact = "vmt@example.org"
	})
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	canonical := e.srv.URL + "/.well-known/security.txt"
	policy := e.srv.URL + "/projects/kata-containers/policy"

	resp, body := httpGet(t, c, canonical)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("security.txt: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if bytes.Contains(body, []byte("BEGIN PGP")) {
		t.Errorf("signed without a key:\n%s", body)
	}
	f := parseSecurityTxt(t, string(body))
	f.check(t, canonical)
	if got, want := strings.Join(f["contact"], " "), "mailto:vmt@example.org "+e.srv.URL+"/report"; got != want {
		t.Errorf("Contact: %q, want %q", got, want)
	}
	if got := f["policy"]; len(got) != 1 || got[0] != policy {
		t.Errorf("Policy: %q, want %s", got, policy)
	}
	if len(f["encryption"]) != 0 {
		t.Errorf("Encryption without a key: %q", f["encryption"])
	}
	if resp, _ := httpGet(t, c, e.srv.URL+"/keys/vmt.asc"); resp.StatusCode != 404 {
		t.Errorf("the key without a key: %d", resp.StatusCode)
	}
	resp, _ = httpGet(t, c, e.srv.URL+"/security.txt")
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/.well-known/security.txt" {
		t.Errorf("/security.txt: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}

	// With the site's key: signed, and the key it names verifies it.
	signer := testSigner(t)
	e.setDeps(func(d *app.Deps) { d.Publication.Signer = signer })
	resp, body = httpGet(t, c, canonical)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("signed security.txt: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !bytes.HasPrefix(body, []byte("-----BEGIN PGP SIGNED MESSAGE-----\n")) {
		t.Fatalf("not cleartext-signed:\n%s", body)
	}
	b, _ := clearsign.Decode(body)
	if b == nil {
		t.Fatalf("no signed block:\n%s", body)
	}
	f = parseSecurityTxt(t, string(b.Plaintext))
	f.check(t, canonical)
	if got := f["encryption"]; len(got) != 1 || got[0] != e.srv.URL+"/keys/vmt.asc" {
		t.Fatalf("Encryption: %q", got)
	}
	resp, key := httpGet(t, c, f["encryption"][0])
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pgp-keys" ||
		!bytes.HasPrefix(key, []byte("-----BEGIN PGP PUBLIC KEY BLOCK-----")) || bytes.Contains(key, []byte("PRIVATE")) {
		t.Fatalf("the key: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), key)
	}
	g := newTestGPG(t)
	if _, st := g.run(key, "--import"); !strings.Contains(st, "IMPORT_OK") || !strings.Contains(st, signer.Fingerprint) {
		t.Fatalf("importing the served key: %s", st)
	}
	file := filepath.Join(g.home, "security.txt")
	if err := os.WriteFile(file, body, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, st := g.run(nil, "--verify", file); !strings.Contains(st, "[GNUPG:] VALIDSIG ") || !strings.Contains(st, signer.Fingerprint) {
		t.Errorf("gpg --verify: %s", st)
	}
	// The same file all day: it is signed once, not at every request.
	if _, again := httpGet(t, c, canonical); !bytes.Equal(again, body) {
		t.Errorf("a second request signed again")
	}
}

// TestPolicyPageAndForm: each project's policy page is public; without a
// text of its own it gives our wording with its embargo limits, with one
// its text, sanitized; the report form links to it, and its link to the
// form chooses the project.
func TestPolicyPageAndForm(t *testing.T) {
	e := newEnv(t, "sqlite")
	e.setDeps(func(d *app.Deps) {
		d.Publication.Contact = "vmt@example.org"
		d.Publication.Signer = testSigner(t)
	})
	anon := e.browser()
	p := anon.get("/projects/kata-containers/policy")
	if p.status != 200 || p.doc.Find("#policy-default").Length() != 1 || p.doc.Find("#policy-own").Length() != 0 {
		t.Fatalf("default policy page: %d %s", p.status, p.doc.Find("main").Text())
	}
	if txt := p.doc.Find("#policy-default").Text(); !strings.Contains(txt, "after 14 days") || !strings.Contains(txt, "more than 90 days") {
		t.Errorf("the default wording does not give the embargo limits: %q", txt)
	}
	if href, _ := p.doc.Find(`a[href^="mailto:"]`).Attr("href"); href != "mailto:vmt@example.org" {
		t.Errorf("mail link: %q", href)
	}
	if href, _ := p.doc.Find("#policy-key").Attr("href"); href != "/keys/vmt.asc" {
		t.Errorf("key link: %q", href)
	}
	if p := anon.get("/projects/no-such/policy"); p.status != 404 {
		t.Errorf("the policy of no project: %d", p.status)
	}

	ctx := context.Background()
	set, err := e.svc.DisclosureSettingsOf(ctx, e.admin, "kata-containers")
	noErr(t, err)
	set.PolicyText = "# Our process\n\nReport **privately**.<script>alert(1)</script>\n"
	_, err = e.svc.SetDisclosureSettings(ctx, e.admin, "kata-containers", *set)
	noErr(t, err)
	p = anon.get("/projects/kata-containers/policy")
	own := p.doc.Find("#policy-own")
	if own.Find("strong").Text() != "privately" || own.Find("script").Length() != 0 || strings.Contains(p.body, "alert(1)</script>") {
		html, _ := own.Html()
		t.Errorf("the project's own text: %s", html)
	}
	set.PolicyText = strings.Repeat("x", vmt.MaxPolicyTextLen+1)
	if _, err := e.svc.SetDisclosureSettings(ctx, e.admin, "kata-containers", *set); vmt.ErrorField(err) != "policy_text" {
		t.Errorf("a text too long: %v", err)
	}

	// The form links to each project's policy, and the policy's link
	// chooses its project.
	_, err = e.svc.CreateProject(ctx, e.admin, vmt.Project{Name: "runtime-rs", AdvisoryPrefix: "RRSA", NotePrefix: "RRSN", Branches: []string{"main"}})
	noErr(t, err)
	form := anon.get("/report")
	var links []string
	form.doc.Find("#policy-links a").Each(func(_ int, s *goquery.Selection) { links = append(links, s.AttrOr("href", "")) })
	if strings.Join(links, " ") != "/projects/kata-containers/policy /projects/runtime-rs/policy" {
		t.Errorf("the form's policy links: %q", links)
	}
	to, _ := anon.get("/projects/runtime-rs/policy").doc.Find("#policy-form").Attr("href")
	if got := anon.get(to).doc.Find(`#project option[selected]`).AttrOr("value", ""); got != "runtime-rs" {
		t.Errorf("the form from the policy (%s) chose %q", to, got)
	}
}

// testGPG is gpg on a home of its own, as pgpmail's tests run it.
type testGPG struct {
	t    *testing.T
	home string
}

func newTestGPG(t *testing.T) *testGPG {
	t.Helper()
	if _, err := exec.LookPath("gpg"); err != nil {
		t.Fatal("gpg is needed (Debian package gnupg; .ci/run installs it)")
	}
	home, err := os.MkdirTemp("", "gpg") // short: the agent's socket path is limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		kill := exec.Command("gpgconf", "--kill", "gpg-agent")
		kill.Env = append(os.Environ(), "GNUPGHOME="+home)
		_ = kill.Run()
		os.RemoveAll(home)
	})
	return &testGPG{t: t, home: home}
}

// run runs gpg in batch mode; it returns the output and the status lines
// (with gpg's messages), and fails the test if gpg fails.
func (g *testGPG) run(stdin []byte, args ...string) ([]byte, string) {
	g.t.Helper()
	cmd := exec.Command("gpg", append([]string{"--batch", "--no-tty", "--status-fd", "2"}, args...)...)
	cmd.Env = append(os.Environ(), "GNUPGHOME="+g.home)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, status bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &status
	if err := cmd.Run(); err != nil {
		g.t.Fatalf("gpg %v: %v\n%s", args, err, status.String())
	}
	return out.Bytes(), status.String()
}
