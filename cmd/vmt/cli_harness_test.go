package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/cveservices"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/render"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// apiServer is a real API server on a fresh SQLite store, with the
// bootstrapped administrator's token, for end-to-end tests of the client
// commands through run.
type apiServer struct {
	t          *testing.T
	url        string
	adminToken string
	svc        *app.Service // for a worker run by hand (outbox items)

	log *slog.Logger
	mu  sync.Mutex
	h   http.Handler // the server of svc; setDeps replaces both
}

// setDeps changes the dependencies of the service the server runs: a
// built service is never written into, so a new service, and a new server
// on it, are built from the changed copy of its dependencies. The store
// stays.
func (s *apiServer) setDeps(f func(d *app.Deps)) {
	s.t.Helper()
	d := s.svc.Deps()
	f(&d)
	svc, err := app.New(d)
	if err != nil {
		s.t.Fatal(err)
	}
	h := vmthttp.NewServer(svc, s.log)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.svc, s.h = svc, h
}

func (s *apiServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	h := s.h
	s.mu.Unlock()
	h.ServeHTTP(w, r)
}

func newAPIServer(t *testing.T) *apiServer {
	t.Helper()
	return newAPIServerOn(t, sqldb.SQLite)
}

// newAPIServerOn is newAPIServer on a fresh store of engine, for the
// tests that run on both (sqldbtest.Engines).
func newAPIServerOn(t *testing.T, engine string) *apiServer {
	t.Helper()
	log := sqldbtest.Logger(t)
	svc := app.Must(app.New(app.Deps{
		Store:  sqldbtest.Open(t, engine),
		Hasher: password.Hasher{P: password.Default},
		Now:    time.Now,
		Log:    log,
		Texts:  render.Hooks(),
		CVE:    &cveservices.Client{AllowPrivate: true}, // the key from the test's environment (t.Setenv)
	}))
	secret, err := svc.Bootstrap(t.Context(), vmt.BootstrapInput{
		AdminEmail: "admin@example.org",
		Project:    vmt.Project{Name: "kata-containers", AdvisoryPrefix: "KCSA", NotePrefix: "KCSN", Branches: []string{"main"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := &apiServer{t: t, adminToken: secret, svc: svc, log: log, h: vmthttp.NewServer(svc, log)}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

// cliUser is one person at a terminal: their own home and config directory.
type cliUser struct {
	t   *testing.T
	env map[string]string
}

// newCLIUser returns a user whose configuration lives in a fresh directory.
func newCLIUser(t *testing.T) *cliUser {
	home := t.TempDir()
	return &cliUser{t: t, env: map[string]string{"HOME": home, "XDG_CONFIG_HOME": home + "/config"}}
}

// result is what one run of the command printed and returned.
type result struct {
	code   int
	stdout string
	stderr string
}

// vmt runs the command line with args, the user's environment and stdin.
func (u *cliUser) vmt(stdin string, args ...string) result {
	u.t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string { return u.env[k] }}
	code := run(u.t.Context(), e, args)
	return result{code, out.String(), errb.String()}
}

// ok runs the command and fails the test unless it exits 0.
func (u *cliUser) ok(args ...string) string {
	u.t.Helper()
	r := u.vmt("", args...)
	if r.code != 0 {
		u.t.Fatalf("vmt %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// fails runs the command and checks its exit code and that stderr has want.
func (u *cliUser) fails(code int, want string, args ...string) result {
	u.t.Helper()
	r := u.vmt("", args...)
	if r.code != code || !strings.Contains(r.stderr, want) {
		u.t.Errorf("vmt %s: exit %d, stderr %q; want exit %d and %q", strings.Join(args, " "), r.code, r.stderr, code, want)
	}
	return r
}

// login signs the user in with token.
func (u *cliUser) login(s *apiServer, token string) {
	u.t.Helper()
	u.ok("login", "--server", s.url, "--token", token)
}

// decodeJSON decodes a command's --json output into v.
func decodeJSON[T any](t *testing.T, out string) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoding %q: %v", out, err)
	}
	return v
}

// lines returns the lines of s that contain every one of words.
func lines(s string, words ...string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		all := true
		for _, w := range words {
			all = all && strings.Contains(l, w)
		}
		if all {
			out = append(out, l)
		}
	}
	return out
}
