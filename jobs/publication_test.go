package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-message"
	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/cvss"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/render"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// hookServer is a chat webhook receiver that fails its first failures
// calls with 503 and records every body it accepts.
type hookServer struct {
	*httptest.Server
	mu       sync.Mutex
	failures int
	calls    int
	bodies   []string
}

func newHookServer(t *testing.T, failures int) *hookServer {
	h := &hookServer{failures: failures}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		defer h.mu.Unlock()
		h.calls++
		if h.calls <= h.failures {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		h.bodies = append(h.bodies, string(b))
		w.Write([]byte("ok"))
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) got() (int, []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.calls, append([]string(nil), h.bodies...)
}

// publishing sets the world up for publication: the announcement hooks,
// the project's lists (announce@, signed, then extra) and webhook, and a
// worker that calls webhooks.
func (w *world) publishing(hookURL string, extra ...vmt.AnnouncementList) *jobs.Worker {
	w.setDeps(func(d *app.Deps) {
		d.Publication = site.PublicationHooks()
		d.CheckAdvisory = cvss.Check
		d.Texts = render.Hooks()
	})
	_, err := w.svc.SetPublicationSettings(context.Background(), w.coord, "p",
		vmt.PublicationSettings{Lists: append([]vmt.AnnouncementList{{Address: "announce@lists.example.org", Signing: vmt.SignAnnouncement}}, extra...),
			WebhookURL: hookURL})
	must(w.t, err)
	wk := w.worker(w.svc)
	wk.Handlers = map[string]jobs.Handler{vmt.KindWebhook: jobs.Webhook(jobs.WebhookHandler{AllowPrivate: true})}
	return wk
}

// finalAdvisory classifies r as A and makes its document final.
func (w *world) finalAdvisory(r *vmt.Report) *vmt.Advisory {
	ctx := context.Background()
	must(w.t, w.store.Update(ctx, func(tx vmt.Tx) error {
		got, err := tx.Report(r.ID)
		if err != nil {
			return err
		}
		got.Class = "A"
		return tx.UpdateReport(got)
	}))
	d, err := w.svc.DraftAdvisory(ctx, w.coord, r.ID, vmt.Advisory{Vendor: "P", Title: "Agent buffer overflow",
		Summary: "A guest can overflow the agent's buffer.", Description: "A guest can overflow the agent's buffer and run code on the host.",
		Affected: []vmt.Affected{{Component: "agent", Versions: "<3.2.1"}}, CVEs: []string{"CVE-2026-1234"},
		Credits:    []vmt.Credit{{Name: "Ada", Type: vmt.CreditFinder}},
		References: []vmt.Reference{{Type: "FIX", URL: "https://example.org/p/pull/1"}}})
	must(w.t, err)
	d, err = w.svc.EmbargoAdvisory(ctx, w.coord, d.RecordID)
	must(w.t, err)
	return d
}

// At the disclosure hour the report's final document is published with
// it; its announcement reaches each list by SMTP: the signed one signed
// (gpg verifies it) and not encrypted, the one set to none in plain text,
// the same words; the chat webhook gets one message; a restarted worker
// sends none of them again.
func TestPublicationAtDisclosureHour(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			hook := newHookServer(t, 0)
			wk := w.publishing(hook.URL+"/hooks/T0/B0", vmt.AnnouncementList{Address: "dev@lists.example.org", Signing: vmt.SignNone})
			// The project's own KCSA template writes the announcement.
			_, err := w.svc.SetProjectTemplate(ctx, w.coord, "p", "kcsa",
				`{{define "subject"}}[{{.ID}}] {{.Title}} ({{join .CVEs ", "}}){{end}}OUR OWN WORDS: {{.Description}}`)
			must(t, err)
			r := w.embargoed(1, time.Hour)[0]
			d := w.finalAdvisory(r)
			// A second document still a draft at the hour stays one.
			draft, err := w.svc.DraftAdvisory(ctx, w.coord, r.ID, vmt.Advisory{Vendor: "P", Title: "Unfinished",
				Description: "Not ready.", Affected: []vmt.Affected{{Component: "agent", Versions: "all"}}})
			must(t, err)
			if _, err := w.svc.PublishAdvisory(ctx, w.coord, d.RecordID); vmt.ErrorCode(err) != vmt.ECONFLICT {
				t.Fatalf("publication before the disclosure: %v", err)
			}
			if n, err := wk.Deliver(ctx); err != nil || n != 0 {
				t.Fatalf("before the hour: %d delivered, %v", n, err)
			}

			w.clock.Add(time.Hour)
			if n, err := wk.Disclose(ctx); err != nil || n != 1 {
				t.Fatalf("at the hour: %d disclosed, %v", n, err)
			}
			got, err := w.svc.Advisory(ctx, vmt.Actor{}, d.RecordID)
			must(t, err)
			if got.State != vmt.AdvisoryPublished || !got.Published.Equal(w.clock.Now()) {
				t.Fatalf("after the hour the document is %s, published %v", got.State, got.Published)
			}
			if got, err := w.svc.Advisory(ctx, w.coord, draft.RecordID); err != nil || got.State != vmt.AdvisoryDraft {
				t.Errorf("the draft after the hour: %v, %+v", err, got)
			}
			if ds, _, err := w.svc.PublishedAdvisories(ctx, "p"); err != nil || len(ds) != 1 || ds[0].RecordID != d.RecordID {
				t.Errorf("published after the hour: %v, %d documents", err, len(ds))
			}
			n, err := wk.Deliver(ctx)
			must(t, err)
			msgs := w.srv.Messages()
			calls, bodies := hook.got()
			// The two lists' announcements, and the coordinator (who
			// filed the report) hears that it is public.
			if n != 4 || len(msgs) != 3 || calls != 1 {
				t.Fatalf("delivered %d; %d mails, %d webhook calls; want 4, 3, 1", n, len(msgs), calls)
			}
			byList := map[string][]byte{}
			for _, m := range msgs {
				if len(m.To) != 1 {
					t.Fatalf("an announcement to %v: one list per mail", m.To)
				}
				byList[m.To[0]] = m.Data
			}
			signed, plain := byList["announce@lists.example.org"], byList["dev@lists.example.org"]
			if signed == nil || plain == nil || byList["coord@example.org"] == nil {
				t.Fatalf("announcements went to %v", keysOf(byList))
			}

			// The mail: to the list, multipart/signed, verified by gpg.
			h, parts := rawParts(t, signed)
			if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/signed") {
				t.Fatalf("announcement is %s, want multipart/signed (signed, not encrypted)", ct)
			}
			g := newGnuPG(t)
			g.run(armored(t, w.signer, false), "--import")
			code, _, status := g.run(parts[0], "--verify", g.file(bodyOf(t, parts[1])), "-")
			if code != 0 || !has(status, "GOODSIG") {
				t.Errorf("gpg --verify of the announcement: exit %d, status %v", code, status)
			}
			text := textOf(t, parts[0])
			for _, want := range []string{"PSA-2026-001", "Agent buffer overflow", "CVE-2026-1234", "https://vmt.example.org/advisories/PSA-2026-001", "OUR OWN WORDS"} {
				if !strings.Contains(text, want) && !strings.Contains(h.Get("Subject"), want) {
					t.Errorf("announcement lacks %q:\nSubject: %s\n%s", want, h.Get("Subject"), text)
				}
			}

			// The plain one: text/plain, no signature anywhere, the same
			// subject and words.
			pe, err := message.Read(bytes.NewReader(plain))
			must(t, err)
			if ct, _, _ := pe.Header.ContentType(); ct != "text/plain" || bytes.Contains(plain, []byte("PGP")) {
				t.Errorf("the announcement to the list set to none is %s:\n%s", ct, plain)
			}
			if pt := textOf(t, plain); pt != text || pe.Header.Get("Subject") != h.Get("Subject") {
				t.Errorf("the plain announcement differs:\nSubject: %s\n%s", pe.Header.Get("Subject"), pt)
			}

			// The webhook: one Slack-compatible message.
			var msg map[string]string
			must(t, json.Unmarshal([]byte(bodies[0]), &msg))
			if len(msg) != 1 || !strings.Contains(msg["text"], "PSA-2026-001 published") ||
				!strings.Contains(msg["text"], "https://vmt.example.org/advisories/PSA-2026-001") {
				t.Errorf("webhook body %s", bodies[0])
			}

			// A restart sends nothing again.
			again := w.worker(w.service(w.open()))
			again.Handlers = map[string]jobs.Handler{vmt.KindWebhook: jobs.Webhook(jobs.WebhookHandler{AllowPrivate: true})}
			if n, err := again.Disclose(ctx); err != nil || n != 0 {
				t.Errorf("restart: %d disclosed, %v", n, err)
			}
			if n, err := again.Deliver(ctx); err != nil || n != 0 {
				t.Errorf("restart: %d delivered, %v", n, err)
			}
			if calls, _ := hook.got(); calls != 1 || len(w.srv.Messages()) != 3 {
				t.Errorf("after a restart: %d webhook calls, %d mails", calls, len(w.srv.Messages()))
			}
			if c := countAudit(t, w, "advisory.publish")[r.ID]; c != 1 {
				t.Errorf("advisory.publish audited %d times", c)
			}
		})
	}
}

// A webhook that fails three times (503) then answers 200 gets exactly
// one successful delivery, the retries spaced by the worker's backoff.
func TestWebhookRetried(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			hook := newHookServer(t, 3)
			wk := w.publishing(hook.URL + "/hook")
			wk.Mailer = nil // the mail waits; this test is of the webhook
			r := w.embargoed(1, time.Hour)[0]
			w.finalAdvisory(r)
			w.clock.Add(time.Hour)
			if n, err := wk.Disclose(ctx); err != nil || n != 1 {
				t.Fatalf("disclose: %d, %v", n, err)
			}
			delivered := 0
			for round := range 8 {
				n, err := wk.Deliver(ctx)
				must(t, err)
				delivered += n
				calls, _ := hook.got()
				if want := min(round+1, 4); calls != want {
					t.Fatalf("round %d: %d calls, want %d", round, calls, want)
				}
				// The next round comes before the backoff ends: no call.
				if n, err := wk.Deliver(ctx); err != nil || n != 0 {
					t.Fatalf("round %d, within the backoff: %d, %v", round, n, err)
				}
				w.clock.Add(time.Minute)
			}
			calls, bodies := hook.got()
			if delivered != 1 || calls != 4 || len(bodies) != 1 {
				t.Errorf("%d delivered, %d calls, %d accepted; want 1, 4, 1", delivered, calls, len(bodies))
			}
			items, err := w.svc.Outbox(ctx, w.coord, r.ID)
			must(t, err)
			for _, o := range items {
				if o.Kind == vmt.KindWebhook && (o.State != vmt.OutboxDone || o.Attempts != 4) {
					t.Errorf("webhook item %s after %d attempts (last error %q)", o.State, o.Attempts, o.LastError)
				}
			}
		})
	}
}

// The webhook handler's answers: 2xx done; 5xx, 429 and a timeout
// temporary; 4xx, a redirect and a URL in clear text permanent. An
// answer is read only up to a bound, and no error names the URL.
func TestWebhookAnswers(t *testing.T) {
	big := strings.Repeat("x", 8<<20)
	// The hanging receiver answers when the client goes away, or at the
	// latest when the test ends: httptest's Close waits for every handler.
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the body first: only then does the server watch the
		// connection and end r.Context() when the client hangs up.
		_, _ = io.Copy(io.Discard, r.Body)
		switch strings.TrimSuffix(r.URL.Path, "/SECRET") {
		case "/ok":
			w.WriteHeader(http.StatusNoContent)
		case "/big":
			w.Write([]byte(big))
		case "/busy":
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/slow-down":
			w.WriteHeader(http.StatusTooManyRequests)
		case "/gone":
			w.WriteHeader(http.StatusGone)
		case "/moved":
			http.Redirect(w, r, "https://elsewhere.example.org/", http.StatusFound)
		case "/hang":
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}
	}))
	defer srv.Close()
	defer close(release) // before Close, which waits for the handler
	item := func(url string) *vmt.OutboxItem {
		b, _ := json.Marshal(vmt.WebhookCall{URL: url, Text: "PSA-2026-001 published"})
		return &vmt.OutboxItem{Key: "k", Kind: vmt.KindWebhook, Payload: b}
	}
	send := jobs.Webhook(jobs.WebhookHandler{AllowPrivate: true})
	for _, tc := range []struct {
		path          string
		ok, permanent bool
		url           string
		clientTimeout time.Duration
	}{
		{path: "/ok", ok: true},
		{path: "/big", ok: true},
		{path: "/busy"},
		{path: "/slow-down"},
		{path: "/gone", permanent: true},
		{path: "/moved", permanent: true},
		{path: "/hang", clientTimeout: 200 * time.Millisecond},
		{url: "http://chat.example.org/SECRET", permanent: true},
		{url: "ftp://127.0.0.1/SECRET", permanent: true},
	} {
		url := tc.url
		if url == "" {
			url = srv.URL + tc.path + "/SECRET"
		}
		h := send
		if tc.clientTimeout > 0 {
			h = jobs.Webhook(jobs.WebhookHandler{AllowPrivate: true, Timeout: tc.clientTimeout})
		}
		start := time.Now()
		err := h(context.Background(), item(url))
		var p jobs.PermanentError
		switch {
		case tc.ok && err != nil:
			t.Errorf("%s: %v", url, err)
		case !tc.ok && err == nil:
			t.Errorf("%s: no error", url)
		case err != nil && errors.As(err, &p) != tc.permanent:
			t.Errorf("%s: %v, permanent %v, want %v", url, err, !tc.permanent, tc.permanent)
		}
		if err != nil && strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%s: the error names the URL: %v", url, err)
		}
		if time.Since(start) > 5*time.Second {
			t.Errorf("%s took %v", url, time.Since(start))
		}
	}
}

// A document its announcement template cannot render (a note with no
// summary) is refused when it is made final, naming the field, and
// nothing changes; filled in, it goes through. (Before, it was published
// and mailed in a plain fallback text, with a WARN in the log.)
func TestDocumentThatCannotRenderRefused(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "sqlite")
	w.publishing("")
	r := w.embargoed(1, time.Hour)[0]
	must(t, w.store.Update(ctx, func(tx vmt.Tx) error {
		got, err := tx.Report(r.ID)
		if err != nil {
			return err
		}
		got.Class = "B1"
		return tx.UpdateReport(got)
	}))
	d, err := w.svc.DraftAdvisory(ctx, w.coord, r.ID, vmt.Advisory{Vendor: "P", Title: "Debug console on by default",
		Description: "The sample configuration enables the debug console.", Affected: []vmt.Affected{{Component: "runtime", Versions: "all"}}})
	must(t, err)
	if d.Kind != vmt.KindNote {
		t.Fatalf("a B1 report's document is a %s", d.Kind)
	}
	_, err = w.svc.EmbargoAdvisory(ctx, w.coord, d.RecordID)
	if vmt.ErrorCode(err) != vmt.EINVALID || vmt.ErrorField(err) != "summary" {
		t.Fatalf("a note with no summary made final: %v (field %q), want EINVALID naming summary", err, vmt.ErrorField(err))
	}
	got, err := w.svc.Advisory(ctx, w.coord, d.RecordID)
	must(t, err)
	if got.State != vmt.AdvisoryDraft {
		t.Errorf("the refused note is %s, want still a draft", got.State)
	}
	d.Summary = "The sample configuration turns the debug console on."
	_, err = w.svc.UpdateAdvisory(ctx, w.coord, d.RecordID, *d)
	must(t, err)
	// The note's "actions" are the document's mitigation: the error names
	// the field the coordinator fills in.
	_, err = w.svc.EmbargoAdvisory(ctx, w.coord, d.RecordID)
	if vmt.ErrorField(err) != "mitigation" {
		t.Fatalf("a note with no recommended actions made final: %v, want EINVALID naming mitigation", err)
	}
	d.Mitigation = "Turn the debug console off in production."
	d.Credits = []vmt.Credit{{Name: "Ada", Type: vmt.CreditFinder}}
	_, err = w.svc.UpdateAdvisory(ctx, w.coord, d.RecordID, *d)
	must(t, err)
	if _, err := w.svc.EmbargoAdvisory(ctx, w.coord, d.RecordID); err != nil {
		t.Errorf("the note with its summary made final: %v", err)
	}
}

func keysOf[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// The mailer sends plain text only for an announcement: a notice, a
// follow-up, a reminder asking for it, or an announcement with list rules,
// a key or a patch, is refused for good, never sent unsigned; an
// announcement that asks is plain, one that does not is signed.
func TestUnsignedOnlyForAnnouncements(t *testing.T) {
	w := newWorld(t, "sqlite")
	now := w.clock.Now()
	base := vmt.NoticeMail{ReportID: 1, Recipient: "announce:dev@lists.example.org", To: []string{"dev@lists.example.org"},
		Subject: "PSA-2026-001: x", Body: "text", Disclosure: now, Unsigned: true}
	item := func(kind string, m vmt.NoticeMail) *vmt.OutboxItem {
		b, err := json.Marshal(m)
		must(t, err)
		return &vmt.OutboxItem{Key: "k:" + kind, Kind: kind, Payload: b}
	}
	withRules, withKey, withPatch := base, base, base
	withRules.Rules = vmt.ListPrivate
	withKey.PublicKey = "x"
	withPatch.Attachments = []vmt.NoticeAttachment{{Name: "a.patch", Data: []byte("diff")}}
	for name, it := range map[string]*vmt.OutboxItem{
		"notice":                  item(vmt.KindNotice, base),
		"follow-up":               item(vmt.KindNoticeUpdate, base),
		"reminder":                item(vmt.KindReminder, base),
		"announcement with rules": item(vmt.KindPublicationMail, withRules),
		"announcement with a key": item(vmt.KindPublicationMail, withKey),
		"announcement with patch": item(vmt.KindPublicationMail, withPatch),
	} {
		out, _, err := w.mailer.Build(it, now)
		var perm jobs.PermanentError
		if !errors.As(err, &perm) || out != nil {
			t.Errorf("%s asking to go unsigned: %v (%d bytes)", name, err, len(out))
		}
	}
	out, _, err := w.mailer.Build(item(vmt.KindPublicationMail, base), now)
	must(t, err)
	if e, err := message.Read(bytes.NewReader(out)); err != nil || e.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("the unsigned announcement: %v\n%s", err, out)
	}
	base.Unsigned = false
	out, _, err = w.mailer.Build(item(vmt.KindPublicationMail, base), now)
	must(t, err)
	if !bytes.Contains(out, []byte("multipart/signed")) {
		t.Errorf("an announcement that did not ask is not signed:\n%s", out)
	}
}
