package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/jobs"
)

// A webhook to this host is refused at dial time, by address or by a name
// that resolves to it, as a permanent failure that says why without the
// URL; with AllowPrivate it is delivered.
func TestWebhookPrivateRefused(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	item := func(url string) *vmt.OutboxItem {
		b, _ := json.Marshal(vmt.WebhookCall{URL: url, Text: "KCSA-2026-001 published"})
		return &vmt.OutboxItem{Key: "k", Kind: vmt.KindWebhook, Payload: b}
	}
	guarded := jobs.Webhook(jobs.WebhookHandler{})
	// localhost passes the settings' check only as https; the guard is
	// what stops it (the TLS handshake would come after the dial).
	for _, u := range []string{srv.URL + "/hooks/SECRET", "https://localhost" + port + "/hooks/SECRET"} {
		err := guarded(context.Background(), item(u))
		var p jobs.PermanentError
		switch {
		case err == nil:
			t.Fatalf("%s: delivered, want refused", u)
		case !errors.As(err, &p):
			t.Errorf("%s: %v is temporary, want permanent", u, err)
		case !strings.Contains(err.Error(), "refused to call the receiver") || !strings.Contains(err.Error(), "--webhook-allow-private"):
			t.Errorf("%s: unclear error %v", u, err)
		case strings.Contains(err.Error(), "SECRET"):
			t.Errorf("%s: the error names the URL: %v", u, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the receiver was called %d times without the opt-in", n)
	}
	if err := jobs.Webhook(jobs.WebhookHandler{AllowPrivate: true})(context.Background(), item(srv.URL+"/hooks/SECRET")); err != nil {
		t.Fatalf("with AllowPrivate: %v", err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("the receiver was called %d times, want 1", n)
	}
}
