package main

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/http/cookiejar"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vmtproject/vmt/smtp/smtptest"
)

// TestServeFirstSignInAndInvite runs the real binary on an empty store,
// with a relay: the first start prints a one-time link for the
// administrator (on stderr, in the log); a browser follows it, sets the
// password and is signed in; the next start prints no link. The
// administrator then invites a coordinator, whose mail reaches the relay
// addressed to them, and whose link proves the address and sets the
// password.
func TestServeFirstSignInAndInvite(t *testing.T) {
	bin := buildVMT(t)
	relay := smtptest.Start(t, smtptest.Options{})
	key := filepath.Join(t.TempDir(), "vmt.sec.asc")
	if err := os.WriteFile(key, secretKey(t), 0o600); err != nil {
		t.Fatal(err)
	}
	token := "vmt_" + strings.Repeat("w", 32)
	data := filepath.Join(t.TempDir(), "d")
	args := []string{"--data", data, "--signing-key", key, "--smtp-addr", relay.Addr,
		"--smtp-security", "plain", "--mail-from", "Kata VMT <vmt@example.org>", "--worker-poll", "50ms"}
	env := []string{"VMT_ADMIN_TOKEN=" + token}
	s := startServe(t, bin, env, args...)
	linkRE := regexp.MustCompile(`https?://[^\s"]+/welcome\?token=vmtl_[a-z2-7]+`)
	var printed []string
	waitFor(t, "the sign-in link on stderr", func() bool { printed = linkRE.FindAllString(s.log.String(), -1); return len(printed) >= 2 })
	if !strings.Contains(s.log.String(), "no administrator can sign in") || !strings.Contains(s.log.String(), "msg=\"one-time sign-in link") {
		t.Errorf("the link is not said and logged:\n%s", s.log.String())
	}
	link := printed[0]
	if printed[1] != link {
		t.Errorf("stderr and the log print different links: %v", printed)
	}
	admin := welcome(t, s.url, link, "admin@localhost", "the administrator's password")
	if code := getWith(t, admin, s.url+"/account"); code != 200 {
		t.Errorf("the administrator's account page after the link: %d", code)
	}
	if code := welcomePost(t, newBrowserClient(t), s.url, link, "another password here"); code != http.StatusBadRequest {
		t.Errorf("the link a second time: %d, want 400", code)
	}
	s.stop(t)

	s = startServe(t, bin, env, args...)
	call := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, s.url+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := call("POST", "/api/v1/users/invite", `{"email":"coord@example.org","role":"vmt","name":"Coord"}`); code != 201 {
		t.Fatalf("invite: %d %s", code, body)
	}
	waitFor(t, "the invitation at the relay", func() bool { return relay.Count([]byte("coord@example.org")) > 0 })
	if strings.Contains(s.log.String(), "/welcome?token=") {
		t.Errorf("the second start printed a link though the administrator has a password:\n%s", s.log.String())
	}
	var text string
	for _, m := range relay.Messages() {
		if strings.Contains(strings.Join(m.To, ","), "coord@example.org") {
			text = mailText(t, m.Data)
		}
	}
	mailed := linkRE.FindString(text)
	if mailed == "" {
		t.Fatalf("no link in the invitation:\n%s", text)
	}
	// Mails name the site by --site-url, by default http://LISTEN, which
	// for the port 0 of this test is no address: the path and its token
	// are what the mail must carry.
	u, err := url.Parse(mailed)
	if err != nil || u.Path != "/welcome" {
		t.Fatalf("mailed link %q: %v", mailed, err)
	}
	welcome(t, s.url, s.url+u.RequestURI(), "coord@example.org", "the coordinator's password")
	code, body := call("GET", "/api/v1/users?email=coord@example.org", "")
	if code != 200 || !strings.Contains(body, `"email_verified_at"`) {
		t.Errorf("the invited address after the link: %d %s", code, body)
	}
	s.stop(t)
}

// newBrowserClient is an HTTP client with cookies, as a browser.
func newBrowserClient(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

// welcome opens link in a fresh browser, checks that its page names
// email, sets pw and checks that the browser is then signed in.
func welcome(t *testing.T, base, link, email, pw string) *http.Client {
	t.Helper()
	c := newBrowserClient(t)
	resp, err := c.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(b, []byte(email)) {
		t.Fatalf("link page: %d\n%s", resp.StatusCode, b)
	}
	if code := welcomePost(t, c, base, link, pw); code != 200 {
		t.Fatalf("setting the password from the link: %d", code)
	}
	if code := getWith(t, c, base+"/account"); code != 200 {
		t.Fatalf("not signed in after the link: %d", code)
	}
	return c
}

// welcomePost sends the form of the link's page and returns the status
// at the end of its redirects.
func welcomePost(t *testing.T, c *http.Client, base, link, pw string) int {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"token": {u.Query().Get("token")}, "password": {pw}, "password_again": {pw}}
	req, _ := http.NewRequest("POST", base+"/welcome", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func getWith(t *testing.T, c *http.Client, u string) int {
	t.Helper()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	defer func() { c.CheckRedirect = nil }()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// mailText is the text of a signed mail: the first text/plain part,
// decoded.
func mailText(t *testing.T, raw []byte) string {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(ctype string, h func(string) string, body io.Reader) string
	walk = func(ctype string, h func(string) string, body io.Reader) string {
		mt, params, _ := mime.ParseMediaType(ctype)
		if strings.HasPrefix(mt, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err := mr.NextRawPart()
				if err != nil {
					return ""
				}
				if s := walk(p.Header.Get("Content-Type"), p.Header.Get, p); s != "" {
					return s
				}
			}
		}
		if mt != "text/plain" && mt != "" {
			return ""
		}
		if strings.EqualFold(h("Content-Transfer-Encoding"), "quoted-printable") {
			body = quotedprintable.NewReader(body)
		}
		b, _ := io.ReadAll(body)
		return string(b)
	}
	return walk(m.Header.Get("Content-Type"), m.Header.Get, m.Body)
}
