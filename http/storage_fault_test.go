package http_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// syncBuffer is a log sink the server's goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// brokenStoreEnv is a server on a store that was bootstrapped, then opened
// again in the state break puts it in (break returns the DSN to open).
func brokenStoreEnv(t *testing.T, engine string, breakStore func(dsn string) string) (*env, *syncBuffer) {
	t.Helper()
	ctx := context.Background()
	dsn := sqldbtest.DSN(t, engine)
	st, err := sqldb.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc := app.Must(app.New(app.Deps{
		Store:  st,
		Hasher: testHasher,
		Now:    time.Now,
		Log:    slog.New(slog.DiscardHandler),
	}))
	secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "kata-containers", AdvisoryPrefix: "KCSA", NotePrefix: "KCSN", Branches: []string{"main"}}})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	broken, err := sqldb.Open(ctx, breakStore(dsn), nil, sqldb.NoMigrate())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { broken.Close() })
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	svc = app.Must(app.New(app.Deps{
		Store:  broken,
		Hasher: testHasher,
		Now:    time.Now,
		Log:    log,
	}))
	admin, err := svc.Authenticate(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(vmthttp.NewServer(svc, log))
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, svc: svc, admin: admin, token: secret}, logs
}

// TestStorageTroubleIsVisible is issue 17's fault 4: on a full disk or a
// read-only store a write is answered 503 store_unavailable with
// Retry-After, health says alive but not writable and why, the readiness
// check answers 503, and the log names the route and the operation.
func TestStorageTroubleIsVisible(t *testing.T) {
	for _, tc := range []struct {
		name, engine, cause string
		breakStore          func(t *testing.T, dsn string) string
	}{
		// max_page_count caps the file at its present size: SQLite then
		// fails a growing write with SQLITE_FULL, as on a full disk.
		{"sqlite full", sqldb.SQLite, "disk is full", func(t *testing.T, dsn string) string {
			return dsn + "?_pragma=max_page_count(1)"
		}},
		// A read-only file system makes SQLite open the file read-only
		// (SQLITE_READONLY on writes); mode=ro is that state, also as root.
		{"sqlite read-only", sqldb.SQLite, "read-only", func(t *testing.T, dsn string) string {
			return "file:" + dsn + "?mode=ro"
		}},
		{"postgres read-only", sqldb.Postgres, "read-only", func(t *testing.T, dsn string) string {
			u, err := url.Parse(dsn)
			if err != nil {
				t.Fatal(err)
			}
			db, err := sql.Open("pgx", dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			name := strings.TrimPrefix(u.Path, "/")
			if _, err := db.Exec(`ALTER DATABASE "` + name + `" SET default_transaction_read_only = on`); err != nil {
				t.Fatal(err)
			}
			return dsn
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, logs := brokenStoreEnv(t, tc.engine, func(dsn string) string { return tc.breakStore(t, dsn) })
			resp, got := e.post("/api/v1/reports", e.token, "", `{"title":"Guest escape","description":"`+strings.Repeat("A long description. ", 400)+`"}`)
			if resp.StatusCode != http.StatusServiceUnavailable || errorCode(t, got) != vmt.EUNAVAILABLE {
				t.Fatalf("write: %d %s, want 503 %s", resp.StatusCode, got, vmt.EUNAVAILABLE)
			}
			if resp.Header.Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
			if !strings.Contains(got, tc.cause) {
				t.Errorf("answer %s does not name the cause %q", got, tc.cause)
			}
			if l := logs.String(); !strings.Contains(l, "POST /api/v1/reports") || !strings.Contains(l, "sqldb:") {
				t.Errorf("the log does not say which route and operation failed:\n%s", l)
			}

			code, body := e.do("GET", "/api/v1/health", "", "")
			var h vmthttp.Health
			if err := json.Unmarshal([]byte(body), &h); err != nil || code != http.StatusOK {
				t.Fatalf("health: %d %s (%v), want 200: the server is alive", code, body, err)
			}
			if h.Writable || !strings.Contains(h.Cause, tc.cause) {
				t.Errorf("health %+v, want not writable because %q", h, tc.cause)
			}
			req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/health/ready", nil)
			rr, err := e.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			rr.Body.Close()
			if rr.StatusCode != http.StatusServiceUnavailable || rr.Header.Get("Retry-After") == "" {
				t.Errorf("ready: %d, want 503 with Retry-After", rr.StatusCode)
			}
			// Reads still work: the store is alive for what it holds.
			if code, body := e.do("GET", "/api/v1/reports", e.token, ""); code != http.StatusOK {
				t.Errorf("read on a store that cannot write: %d %s", code, body)
			}
		})
	}
}

// TestHealthReadyOnAGoodStore: a store that writes is ready.
func TestHealthReadyOnAGoodStore(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		code, body := e.do("GET", "/api/v1/health/ready", "", "")
		if code != http.StatusOK || !strings.Contains(body, `"writable":true`) {
			t.Fatalf("ready: %d %s", code, body)
		}
	})
}
