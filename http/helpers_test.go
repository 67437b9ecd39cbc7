package http_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/render"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// fast hashing keeps tests quick; the parameters are checked in package password.
var testHasher = password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}

// env is a running API server on a fresh store, with its administrator.
type env struct {
	t     testing.TB
	srv   *httptest.Server
	svc   *app.Service
	admin vmt.Actor
	token string // the administrator's token
	proj  *vmt.Project

	log *slog.Logger
	mu  sync.Mutex
	h   http.Handler // the server of svc; setDeps replaces both
}

// setDeps changes the dependencies of the service a test runs on: a built
// service is never written into, so the env builds a new one, and a new
// server on it, from the changed copy of its dependencies. The store, and
// so the sessions, stay.
func (e *env) setDeps(f func(d *app.Deps)) {
	e.t.Helper()
	d := e.svc.Deps()
	f(&d)
	svc, err := app.New(d)
	if err != nil {
		e.t.Fatal(err)
	}
	h := vmthttp.NewServer(svc, e.log)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.svc, e.h = svc, h
}

func (e *env) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	h := e.h
	e.mu.Unlock()
	h.ServeHTTP(w, r)
}

func newEnv(t testing.TB, engine string) *env {
	t.Helper()
	st := sqldbtest.Open(t, engine)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := app.Must(app.New(app.Deps{
		Store:  st,
		Hasher: testHasher,
		Now:    time.Now,
		Log:    log,
		Texts:  render.Hooks(),
	}))
	ctx := context.Background()
	secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{
		AdminEmail: "admin@example.org",
		Project:    vmt.Project{Name: "kata-containers", AdvisoryPrefix: "KCSA", NotePrefix: "KCSN", Branches: []string{"main", "stable-3.2"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := svc.Authenticate(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	p, err := svc.Project(ctx, admin, "kata-containers")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, svc: svc, admin: admin, token: secret, proj: p, log: log, h: vmthttp.NewServer(svc, log)}
	e.srv = httptest.NewServer(e)
	t.Cleanup(e.srv.Close)
	return e
}

// user makes a user with a role and returns it with a token. The
// administrator vouches for the address (a stakeholder's contact holds
// its rights at once); accounts with an unproven address are made through
// the report form, as in email_proof_test.go.
func (e *env) user(email string, role vmt.Role) (vmt.Actor, string) {
	e.t.Helper()
	ctx := context.Background()
	u, err := e.svc.CreateUser(ctx, e.admin, vmt.UserInput{Email: email, Role: role, EmailProven: true})
	if err != nil {
		e.t.Fatal(err)
	}
	tok, err := e.svc.CreateToken(ctx, e.admin, u.ID, "test")
	if err != nil {
		e.t.Fatal(err)
	}
	return vmt.Actor{User: u}, tok.Secret
}

// do sends a request with a bearer token ("" for none) and returns the
// status and body.
func (e *env) do(method, path, token, body string) (int, string) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func forEachEngine(t *testing.T, fn func(t *testing.T, engine string)) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) { fn(t, engine) })
	}
}
