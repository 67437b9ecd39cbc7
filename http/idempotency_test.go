package http_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/sqldb"
)

// faultyStore is the store of a failing disk as a client meets it: its
// Update commits, then answers an error (failAfter Updates to come), or
// waits for release before running (hold).
type faultyStore struct {
	*sqldb.DB
	failAfter atomic.Int32
	hold      chan struct{} // nil: no wait
	entered   chan struct{}
}

func (f *faultyStore) Update(ctx context.Context, fn func(vmt.Tx) error) error {
	if f.hold != nil {
		f.entered <- struct{}{}
		<-f.hold
	}
	err := f.DB.Update(ctx, fn)
	if err == nil && f.failAfter.Add(-1) >= 0 {
		return errors.New("injected: the disk failed after the commit")
	}
	return err
}

// post sends a POST with an Idempotency-Key ("" for none) and returns the
// answer.
func (e *env) post(path, token, key, body string) (*http.Response, string) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	if key != "" {
		req.Header.Set(vmthttp.IdempotencyKeyHeader, key)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// countReports is how many reports the store holds.
func (e *env) countReports() int {
	e.t.Helper()
	_, n, err := e.svc.Reports(context.Background(), e.admin, vmt.ReportFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func errorCode(t *testing.T, body string) string {
	t.Helper()
	var eb vmthttp.ErrorBody
	if err := json.Unmarshal([]byte(body), &eb); err != nil {
		t.Fatalf("not an error answer: %v: %s", err, body)
	}
	return eb.Error.Code
}

// TestIdempotentRetryAfterStoreFailure is issue 17's fault 3: with the
// disk failing, a report was committed and answered 500; the retry with
// the same key gets the report, and no second one is made.
func TestIdempotentRetryAfterStoreFailure(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		fs := &faultyStore{DB: e.svc.Deps().Store.(*sqldb.DB)}
		e.setDeps(func(d *app.Deps) { d.Store = fs })
		const body = `{"title":"Guest escape","description":"The agent lets a guest read host files."}`

		fs.failAfter.Store(1)
		resp, got := e.post("/api/v1/reports", e.token, "retry-1", body)
		if resp.StatusCode != http.StatusInternalServerError {
			t.Fatalf("first attempt: %d %s, want the injected 500", resp.StatusCode, got)
		}
		if n := e.countReports(); n != 1 {
			t.Fatalf("after the failed answer the store holds %d reports, want the 1 committed", n)
		}
		resp, got = e.post("/api/v1/reports", e.token, "retry-1", body)
		if resp.StatusCode != http.StatusCreated || resp.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry: %d %s, want the replayed 201", resp.StatusCode, got)
		}
		var v vmt.ReportView
		if err := json.Unmarshal([]byte(got), &v); err != nil || v.Title != "Guest escape" || v.ID == 0 {
			t.Fatalf("retry answered %s (%v), want the report", got, err)
		}
		if loc := resp.Header.Get("Location"); loc != "/api/v1/reports/"+itoa(v.ID) {
			t.Errorf("retry Location %q", loc)
		}
		if n := e.countReports(); n != 1 {
			t.Fatalf("after the retry the store holds %d reports, want 1", n)
		}

		// A key whose answer was kept gets it byte for byte.
		resp, first := e.post("/api/v1/reports", e.token, "retry-2", body)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("second report: %d %s", resp.StatusCode, first)
		}
		resp, again := e.post("/api/v1/reports", e.token, "retry-2", body)
		if resp.StatusCode != http.StatusCreated || again != first || resp.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("replay: %d %s, want the first answer %s", resp.StatusCode, again, first)
		}
		if n := e.countReports(); n != 2 {
			t.Fatalf("store holds %d reports, want 2", n)
		}

		// The same key with another body is refused, and makes nothing.
		resp, got = e.post("/api/v1/reports", e.token, "retry-2", `{"title":"Other","description":"x"}`)
		if resp.StatusCode != http.StatusUnprocessableEntity || errorCode(t, got) != "idempotency_key_reused" {
			t.Fatalf("reused key: %d %s, want 422 idempotency_key_reused", resp.StatusCode, got)
		}
		// The same key on another route too.
		resp, got = e.post("/api/v1/stakeholders", e.token, "retry-2", `{"organisation":"Distro"}`)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("key on another route: %d %s, want 422", resp.StatusCode, got)
		}
		// Keys are per user: another user's same key is theirs.
		_, tok := e.user("reporter@example.org", vmt.RoleReporter)
		resp, got = e.post("/api/v1/reports", tok, "retry-2", body)
		if resp.StatusCode != http.StatusCreated || resp.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("another user's key: %d %s, want a new 201", resp.StatusCode, got)
		}
		if n := e.countReports(); n != 3 {
			t.Fatalf("store holds %d reports, want 3", n)
		}
	})
}

// TestIdempotencyKeyInProgress: a retry while the first request with its
// key still runs is answered 409, and only one report is made.
func TestIdempotencyKeyInProgress(t *testing.T) {
	e := newEnv(t, sqldb.SQLite)
	fs := &faultyStore{DB: e.svc.Deps().Store.(*sqldb.DB), hold: make(chan struct{}), entered: make(chan struct{}, 2)}
	e.setDeps(func(d *app.Deps) { d.Store = fs })
	const body = `{"title":"Slow","description":"d"}`
	var wg sync.WaitGroup
	var first int
	wg.Go(func() {
		resp, _ := e.post("/api/v1/reports", e.token, "slow-1", body)
		first = resp.StatusCode
	})
	<-fs.entered
	type answer struct {
		status int
		body   string
	}
	second := make(chan answer, 1)
	go func() {
		resp, got := e.post("/api/v1/reports", e.token, "slow-1", body)
		second <- answer{resp.StatusCode, got}
	}()
	var got answer
	select {
	case got = <-second:
		close(fs.hold)
	case <-time.After(5 * time.Second):
		close(fs.hold) // let both finish before failing
		got = <-second
		t.Errorf("the second request waited for the first instead of being answered at once")
	}
	wg.Wait()
	if got.status != http.StatusConflict || errorCode(t, got.body) != "request_in_progress" {
		t.Fatalf("second while the first runs: %d %s, want 409 request_in_progress", got.status, got.body)
	}
	if first != http.StatusCreated {
		t.Fatalf("first: %d", first)
	}
	fs.hold = nil
	if n := e.countReports(); n != 1 {
		t.Fatalf("%d reports, want 1", n)
	}
}

// TestIdempotencyKeyRefusals: bad keys, anonymous keys, and a token's
// secret not kept for replay.
func TestIdempotencyKeyRefusals(t *testing.T) {
	e := newEnv(t, sqldb.SQLite)
	for _, key := range []string{strings.Repeat("k", 256), "clé"} {
		resp, got := e.post("/api/v1/reports", e.token, key, `{"title":"t","description":"d"}`)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(got, `"field":"Idempotency-Key"`) {
			t.Errorf("key %q: %d %s, want 400 naming the header", key, resp.StatusCode, got)
		}
	}
	if n := e.countReports(); n != 0 {
		t.Fatalf("refused keys made %d reports", n)
	}
	resp, first := e.post("/api/v1/users/"+itoa(e.admin.User.ID)+"/tokens", e.token, "tok-1", `{"name":"laptop"}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("token: %d %s", resp.StatusCode, first)
	}
	resp, got := e.post("/api/v1/users/"+itoa(e.admin.User.ID)+"/tokens", e.token, "tok-1", `{"name":"laptop"}`)
	if resp.StatusCode != http.StatusConflict || strings.Contains(got, "vmt_") {
		t.Fatalf("token retry: %d %s, want 409 without a secret", resp.StatusCode, got)
	}
	toks, err := e.svc.Tokens(context.Background(), e.admin, e.admin.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(toks) != 2 { // the bootstrap token and the one made once
		t.Fatalf("%d tokens, want 2", len(toks))
	}
}

// TestEveryPostTakesIdempotencyKey walks every POST route of the API: each
// reads the key (a bad one is refused before anything runs), so that no
// creating route is left out of the mechanism.
func TestEveryPostTakesIdempotencyKey(t *testing.T) {
	e := newEnv(t, sqldb.SQLite)
	routes := vmthttp.Routes(vmthttp.NewServer(e.svc, slog.New(slog.DiscardHandler)))
	n := 0
	for _, p := range routes {
		path, ok := strings.CutPrefix(p, "POST /api/")
		if !ok {
			continue
		}
		n++
		path = "/api/" + strings.NewReplacer("{id}", "1", "{user}", "1", "{fix}", "1", "{name}", "kata-containers", "{template}", "x").Replace(path)
		resp, got := e.post(path, e.token, strings.Repeat("k", 300), `{}`)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(got, `"field":"Idempotency-Key"`) {
			t.Errorf("%s: %d %s, want the key refused", p, resp.StatusCode, got)
		}
	}
	if n < 20 {
		t.Fatalf("walked %d POST routes; the route list is not the server's", n)
	}
}

// TestIdempotentRetryOfALostComment: a comment committed with its answer
// lost is not made again on retry; the retry says it was carried out.
func TestIdempotentRetryOfALostComment(t *testing.T) {
	e := newEnv(t, sqldb.SQLite)
	v, err := e.svc.CreateReport(context.Background(), e.admin, vmt.ReportInput{Title: "t", Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	fs := &faultyStore{DB: e.svc.Deps().Store.(*sqldb.DB)}
	e.setDeps(func(d *app.Deps) { d.Store = fs })
	fs.failAfter.Store(1)
	path := "/api/v1/reports/" + itoa(v.ID) + "/comments"
	if resp, got := e.post(path, e.token, "c-1", `{"body":"Confirmed."}`); resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("first: %d %s, want the injected 500", resp.StatusCode, got)
	}
	resp, got := e.post(path, e.token, "c-1", `{"body":"Confirmed."}`)
	if resp.StatusCode != http.StatusConflict || errorCode(t, got) != "idempotency_answer_lost" || !strings.Contains(got, "carried out") {
		t.Fatalf("retry: %d %s, want 409 idempotency_answer_lost", resp.StatusCode, got)
	}
	cs, err := e.svc.Comments(context.Background(), e.admin, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 {
		t.Fatalf("%d comments, want the 1 committed", len(cs))
	}
}

// TestCleaningRemovesExpiredKeys: the cleaning round that removes expired
// sessions removes the keys older than a day, and keeps the others.
func TestCleaningRemovesExpiredKeys(t *testing.T) {
	e := newEnv(t, sqldb.SQLite)
	db := e.svc.Deps().Store.(*sqldb.DB)
	ctx := context.Background()
	for key, age := range map[string]time.Duration{"old": 25 * time.Hour, "new": time.Hour} {
		c := &vmt.IdempotencyClaim{Request: vmt.IdempotentRequest{ActorID: e.admin.ID(), Key: key, Fingerprint: "fp",
			Route: "POST /api/v1/reports", CreatedAt: time.Now().Add(-age)}}
		if err := db.Update(vmt.WithIdempotencyClaim(ctx, c), func(vmt.Tx) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	srv := vmthttp.NewServer(e.svc, slog.New(slog.DiscardHandler))
	cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	srv.CleanSessions(cctx, 20*time.Millisecond)
	if _, err := db.IdempotentRequest(ctx, e.admin.ID(), "old", time.Time{}); vmt.ErrorCode(err) != vmt.ENOTFOUND {
		t.Errorf("expired key after cleaning: %v, want ENOTFOUND", err)
	}
	if _, err := db.IdempotentRequest(ctx, e.admin.ID(), "new", time.Time{}); err != nil {
		t.Errorf("live key after cleaning: %v", err)
	}
}
