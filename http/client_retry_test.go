package http_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/sqldb"
)

// TestClientRetriesWithItsKey is fault 3 as the CLI meets it: the server
// commits the report and answers 500; the client sends the request again
// with the same key and gets the report, and the store holds one.
func TestClientRetriesWithItsKey(t *testing.T) {
	e := newEnv(t, sqldb.SQLite)
	fs := &faultyStore{DB: e.svc.Deps().Store.(*sqldb.DB)}
	e.setDeps(func(d *app.Deps) { d.Store = fs })
	fs.failAfter.Store(1)
	c := &vmthttp.Client{BaseURL: e.srv.URL, Token: e.token}
	v, err := c.CreateReport(context.Background(), vmt.ReportInput{Title: "Guest escape", Description: "d"})
	if err != nil {
		t.Fatalf("create through a failing store: %v, want the report after a retry", err)
	}
	if v.ID == 0 || v.Title != "Guest escape" {
		t.Fatalf("answer %+v", v)
	}
	if n := e.countReports(); n != 1 {
		t.Fatalf("%d reports, want 1", n)
	}
}

// TestClientKeyPerCall: each POST gets its own key, kept on its retries
// after a cut connection; GETs carry none.
func TestClientKeyPerCall(t *testing.T) {
	var mu sync.Mutex
	var keys []string
	cut := true
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, r.Method+" "+r.Header.Get(vmthttp.IdempotencyKeyHeader))
		first := cut
		cut = false
		mu.Unlock()
		if first {
			// The connection is cut before any answer.
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"id":1,"title":"t"}`))
	}))
	defer srv.Close()
	c := &vmthttp.Client{BaseURL: srv.URL, Token: "vmt_x"}
	ctx := context.Background()
	if _, err := c.CreateReport(ctx, vmt.ReportInput{Title: "t"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateReport(ctx, vmt.ReportInput{Title: "t"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Report(ctx, 1); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(keys) != 4 || keys[0] != keys[1] || keys[1] == keys[2] || keys[0] == "POST " || keys[3] != "GET " {
		t.Fatalf("keys sent %q: want the retry with the first key, a fresh one for the second call, none on the GET", keys)
	}
}
