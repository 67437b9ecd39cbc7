package github_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/github"
	"github.com/vmtproject/vmt/github/githubtest"
)

// tokenForge is a forge with a fine-grained token, against a stand-in.
func tokenForge(t *testing.T) (*github.Forge, *vmt.ForgeSettings, *githubtest.Server) {
	gs := githubtest.New(t, "kata-containers", "kata-containers")
	env := map[string]string{"GH_TOKEN": gs.Token, "HOOK": "s3cret"}
	f := &vmt.ForgeSettings{ProjectID: 1, Enabled: true, Owner: gs.Owner, Repo: gs.Repo, TokenRef: "env:GH_TOKEN",
		WebhookSecretRef: "env:HOOK", Endpoint: gs.URL}
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	return &github.Forge{Getenv: func(k string) string { return env[k] }}, f, gs
}

// The status labels are looked up and the missing ones created with
// their colours; a second run creates nothing, and a label that exists
// in another case is not created again.
func TestEnsureLabels(t *testing.T) {
	g, f, gs := tokenForge(t)
	gs.AddLabel(githubtest.Label{Name: "invalid", Color: "e4e669"})
	ctx := context.Background()
	created, err := g.EnsureLabels(ctx, f, vmt.StatusLabels())
	if err != nil {
		t.Fatal(err)
	}
	if len(created) != len(vmt.Statuses)-1 {
		t.Errorf("created %v, want every status label but Invalid", created)
	}
	if l := gs.Labels()["fix committed"]; l.Color != "0e8a16" || !strings.HasPrefix(l.Description, "vmt: ") {
		t.Errorf("the Fix committed label: %+v", l)
	}
	before := len(gs.Changes())
	if created, err = g.EnsureLabels(ctx, f, vmt.StatusLabels()); err != nil || len(created) != 0 {
		t.Fatalf("again: %v, %v", created, err)
	}
	if n := len(gs.Changes()); n != before {
		t.Errorf("the second run changed %d things", n-before)
	}
}

func TestIssueLabelsAndComment(t *testing.T) {
	g, f, gs := tokenForge(t)
	gs.AddIssue(7, "bug", "New")
	ctx := context.Background()
	got, err := g.IssueLabels(ctx, f, 7)
	if err != nil || !vmt.SameLabels(got, []string{"bug", "New"}) {
		t.Fatalf("IssueLabels = %v, %v", got, err)
	}
	want := vmt.WithStatusLabel(got, vmt.StatusConfirmed)
	if err := g.SetIssueLabels(ctx, f, 7, want); err != nil {
		t.Fatal(err)
	}
	if i := gs.Issue(7); !vmt.SameLabels(i.Labels, []string{"bug", "Confirmed"}) {
		t.Errorf("labels on the stand-in: %v", i.Labels)
	}
	for i, want := range []bool{true, false} {
		posted, err := g.Comment(ctx, f, 7, "refused:1", "Put back: a reason is required.")
		if err != nil || posted != want {
			t.Fatalf("comment %d: posted %v, %v", i, posted, err)
		}
	}
	if cs := gs.Issue(7).Comments; len(cs) != 1 || !strings.Contains(cs[0], "<!-- vmt:refused:1 -->") {
		t.Errorf("comments: %q", cs)
	}
	_, err = g.IssueLabels(ctx, f, 8)
	if vmt.ErrorCode(err) != vmt.EINVALID {
		t.Errorf("a missing issue: %v, want EINVALID", err)
	}
	gs.FailNext("issues/set-labels", http.StatusBadGateway)
	if err := g.SetIssueLabels(ctx, f, 7, want); err == nil || vmt.ErrorCode(err) == vmt.EINVALID {
		t.Errorf("a 502: %v, want an error worth a retry", err)
	}
	for endpoint, want := range map[string]string{
		"":                                "https://github.com/kata-containers/kata-containers/issues/7",
		"https://ghe.example.org/api/v3/": "https://ghe.example.org/kata-containers/kata-containers/issues/7",
	} {
		c := *f
		c.Endpoint = endpoint
		if got := g.IssueURL(&c, 7); got != want {
			t.Errorf("IssueURL at %q = %s, want %s", endpoint, got, want)
		}
	}
}

// As a GitHub App installation: a JWT signed with the App's key buys an
// installation token, kept for the next calls; the key is read from the
// file its reference names.
func TestAppInstallation(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "app.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	gs := githubtest.New(t, "o", "r")
	gs.AppID, gs.InstallationID, gs.AppKey = 1234, 5678, &key.PublicKey
	gs.AddIssue(1)
	f := &vmt.ForgeSettings{Enabled: true, Owner: "o", Repo: "r", AppID: 1234, InstallationID: 5678,
		PrivateKeyRef: "file:" + path, Endpoint: gs.URL}
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	g := &github.Forge{}
	for range 2 {
		if _, err := g.IssueLabels(context.Background(), f, 1); err != nil {
			t.Fatal(err)
		}
	}
	tokens := 0
	for _, c := range gs.Calls() {
		if c.Operation == "apps/create-installation-access-token" {
			tokens++
		}
	}
	if tokens != 1 {
		t.Errorf("%d installation tokens asked for, want 1 kept for both calls", tokens)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	gs.AppKey = &other.PublicKey
	g2 := &github.Forge{}
	if _, err := g2.IssueLabels(context.Background(), f, 1); err == nil {
		t.Error("a JWT signed with another key was taken")
	}
}

func TestVerifyWebhook(t *testing.T) {
	g, f, _ := tokenForge(t)
	body := []byte(`{"action":"labeled"}`)
	if err := g.VerifyWebhook(f, githubtest.Sign("s3cret", body), body); err != nil {
		t.Errorf("the right signature: %v", err)
	}
	for _, sig := range []string{githubtest.Sign("other", body), "", "sha1=00", githubtest.Sign("s3cret", []byte("x"))} {
		if err := g.VerifyWebhook(f, sig, body); vmt.ErrorCode(err) != vmt.EUNAUTHENTICATED {
			t.Errorf("signature %q: %v, want EUNAUTHENTICATED", sig, err)
		}
	}
	f.WebhookSecretRef = ""
	if err := g.VerifyWebhook(f, githubtest.Sign("s3cret", body), body); vmt.ErrorCode(err) != vmt.EUNAUTHENTICATED {
		t.Errorf("no secret: %v", err)
	}
}

// recorder is a testing.TB that keeps the stand-in's complaints.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// A request GitHub's description does not allow fails the test: a label
// without its name, a path GitHub does not have.
func TestStandInRefuses(t *testing.T) {
	rec := &recorder{TB: t}
	gs := githubtest.New(rec, "o", "r")
	for _, c := range []struct{ method, path, body string }{
		{"POST", "repos/o/r/labels", `{"color":"ffffff"}`},
		{"PUT", "repos/o/r/issues/abc/labels", `["x"]`},
		{"GET", "repos/o/r/no-such-thing", ``},
	} {
		req, _ := http.NewRequest(c.method, gs.URL+c.path, strings.NewReader(c.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+gs.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode < 400 {
			t.Errorf("%s %s: %d", c.method, c.path, resp.StatusCode)
		}
	}
	if len(rec.errs) != 3 {
		t.Errorf("the stand-in complained %d times, want 3: %q", len(rec.errs), rec.errs)
	}
}

// The webhook deliveries the stand-in makes follow the description.
func TestRelabelDelivery(t *testing.T) {
	gs := githubtest.New(t, "o", "r")
	gs.AddIssue(3, "New")
	body := gs.Relabel(3, "labeled", "Confirmed", "maintainer")
	if !strings.Contains(string(body), `"login":"maintainer"`) || !vmt.SameLabels(gs.Issue(3).Labels, []string{"New", "Confirmed"}) {
		t.Errorf("delivery %s, labels %v", body, gs.Issue(3).Labels)
	}
}

// A push at the hour gets credentials only for the project's own
// repository on its GitHub: the fine-grained token, or a token of the
// App's installation asked for with Contents write alone.
func TestPushCredential(t *testing.T) {
	ctx := context.Background()
	g, f, gs := tokenForge(t)
	// The stand-in serves the API over http; the repository's address on
	// its host is the https one git pushes to.
	host := "https://" + strings.TrimPrefix(gs.URL, "http://")
	repo := host + f.Owner + "/" + f.Repo
	for _, tc := range []struct {
		remote string
		ok     bool
	}{
		{repo, true},
		{repo + ".git", true},
		{gs.URL + f.Owner + "/" + f.Repo, false}, // not over https
		{host + f.Owner + "/other.git", false},
		{host + "someone/" + f.Repo + ".git", false},
		{host + f.Owner + "/" + f.Repo + "/../other.git", false},
		{"https://evil.example/" + f.Owner + "/" + f.Repo + ".git", false},
		{"https://github.com/" + f.Owner + "/" + f.Repo + ".git", false}, // not this forge's host
		{repo + ".git?x=1", false},
		{"file:///srv/" + f.Repo + ".git", false},
		{"/srv/" + f.Repo + ".git", false},
	} {
		user, pass, ok, err := g.PushCredential(ctx, f, tc.remote)
		if err != nil || ok != tc.ok {
			t.Errorf("PushCredential(%q) = %v, %v; want %v", tc.remote, ok, err, tc.ok)
		}
		if ok && (user != "x-access-token" || pass != gs.Token) || !ok && pass != "" {
			t.Errorf("PushCredential(%q) = %q, %q", tc.remote, user, pass)
		}
	}
	off := *f
	off.Enabled = false
	if _, _, ok, err := g.PushCredential(ctx, &off, repo); ok || err != nil {
		t.Errorf("a disabled forge gave credentials: %v, %v", ok, err)
	}
	// github.com's own form, for the settings without an endpoint.
	pub := *f
	pub.Endpoint = ""
	if _, _, ok, _ := g.PushCredential(ctx, &pub, "https://github.com/"+f.Owner+"/"+f.Repo+".git"); !ok {
		t.Error("no credentials for the repository on github.com")
	}

	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "app.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), 0o600); err != nil {
		t.Fatal(err)
	}
	gs.AppID, gs.InstallationID, gs.AppKey = 1234, 5678, &key.PublicKey
	app := &vmt.ForgeSettings{Enabled: true, Owner: f.Owner, Repo: f.Repo, AppID: 1234, InstallationID: 5678,
		PrivateKeyRef: "file:" + path, Endpoint: gs.URL}
	user, pass, ok, err := (&github.Forge{}).PushCredential(ctx, app, repo+".git")
	if err != nil || !ok || user != "x-access-token" || !strings.HasPrefix(pass, "ghs_") {
		t.Fatalf("the App's push credential = %q, %q, %v, %v", user, pass, ok, err)
	}
	var asked string
	for _, c := range gs.Calls() {
		if c.Operation == "apps/create-installation-access-token" {
			asked = c.Body
		}
	}
	if !strings.Contains(asked, `"contents":"write"`) || strings.Contains(asked, `"issues"`) ||
		!strings.Contains(asked, `"repositories":["`+f.Repo+`"]`) {
		t.Errorf("the push token was asked for with %s, want Contents write on the repository alone", asked)
	}
}
