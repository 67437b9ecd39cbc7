package gitrepo

import (
	"context"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestPushSeriesOverHTTPS pushes to a real git server over HTTPS (git
// http-backend behind net/http/cgi, with its own certificate): the
// credentials go in every request's Authorization header and the push
// lands; without them the server refuses and the push fails. Credentials
// go over https only, and are kept off git's command line.
func TestPushSeriesOverHTTPS(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	root := t.TempDir()
	bare := filepath.Join(root, "review.git")
	f.up.git("init", "-q", "--bare", bare)
	f.up.git("--git-dir="+bare, "config", "http.receivepack", "true")
	execPath, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Fatal(err)
	}
	backend := &cgi.Handler{Path: filepath.Join(strings.TrimSpace(string(execPath)), "git-http-backend"),
		Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1"}}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:ghs_secret"))
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.Header.Get("Authorization") != want {
			w.Header().Set("WWW-Authenticate", `Basic realm="git"`)
			http.Error(w, "who are you?", http.StatusUnauthorized)
			return
		}
		backend.ServeHTTP(w, r)
	}))
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	repo, err := Open(f.up.mirror().Dir(), Options{CAFile: ca})
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseSeries([]byte(f.series), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	remote := srv.URL + "/review.git"

	if _, err := repo.PushSeries(ctx, "stable-1", s, remote, "vmt/CVE-2026-1/stable-1", HTTPAuth{}); err == nil {
		t.Fatal("a push without credentials went through")
	}
	head, err := repo.PushSeries(ctx, "stable-1", s, remote, "vmt/CVE-2026-1/stable-1", HTTPAuth{User: "x-access-token", Password: "ghs_secret"})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.up.git("--git-dir="+bare, "rev-parse", "vmt/CVE-2026-1/stable-1"); got != head {
		t.Errorf("the server's branch is at %s, the push returned %s", got, head)
	}
	mu.Lock()
	n := 0
	for _, h := range seen {
		if h == want {
			n++
		}
	}
	mu.Unlock()
	if n < 2 { // the refs, then the pack
		t.Errorf("%d requests carried the credentials, want the push's every request (%d seen)", n, len(seen))
	}

	// Over anything but https the credentials are not sent at all.
	local := filepath.Join(t.TempDir(), "local.git")
	f.up.git("init", "-q", "--bare", local)
	if _, err := repo.PushSeries(ctx, "stable-1", s, local, "x", HTTPAuth{User: "u", Password: "p"}); err == nil ||
		!strings.Contains(err.Error(), "https only") {
		t.Errorf("credentials to a local path: %v", err)
	}
	if _, err := repo.PushSeries(ctx, "stable-1", s, remote, "x", HTTPAuth{User: "u", Password: "p\nq"}); err == nil {
		t.Error("credentials with a line break were sent")
	}
}
