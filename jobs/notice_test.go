package jobs_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/render"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// Sending the notice: the report moves to Fix committed with the date the
// calendar gives (Monday 2 March 2026 → Thursday 5 March, 00:00 UTC), one
// mail per stakeholder and list is enqueued, and the worker delivers them
// through a real SMTP server: gpg decrypts the keyed stakeholder's mail
// and verifies the VMT's signature, verifies the signed-only ones, and the
// text is the rendered template.
func TestNoticeArrivesSignedAndEncrypted(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			distro := w.stakeholder("Distro", true)
			w.stakeholder("Cloud", false)
			_, err := w.svc.SetDisclosureSettings(ctx, w.coord, "p", vmt.DisclosureSettings{EmbargoLimitDays: 14, MaxEmbargoDays: 90,
				Lists: []vmt.NoticeList{{Name: "embargo-notice", Address: "embargo@lists.example.org", Rules: vmt.ListPrivate}}})
			must(t, err)
			r := w.readyReport("Overflow")

			if _, err := w.svc.SendNotice(ctx, vmt.Actor{User: mustUser(t, w, "admin@example.org")}, r.ID+100); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("notice of a missing report: %v", err)
			}
			res, err := w.svc.SendNotice(ctx, w.coord, r.ID)
			must(t, err)
			wantAt := time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
			if !res.Disclosure.Equal(wantAt) || res.Report.Status != vmt.StatusFixCommitted || res.Report.NoticeSentAt == nil ||
				!res.Report.DisclosureAt.Equal(wantAt) || res.Report.Visibility != vmt.Private {
				t.Fatalf("SendNotice: disclosure %v, report %+v", res.Disclosure, res.Report.Report)
			}
			if got := strings.Join(res.Recipients, " "); got != "stakeholder:2 stakeholder:1 list:embargo-notice" {
				t.Errorf("recipients %q", got)
			}
			if _, err := w.svc.SendNotice(ctx, w.coord, r.ID); vmt.ErrorCode(err) != vmt.ECONFLICT {
				t.Errorf("second notice: %v, want conflict", err)
			}
			if len(w.srv.Messages()) != 0 {
				t.Fatal("mail left before the worker ran")
			}

			n, err := w.worker(w.svc).Deliver(ctx)
			must(t, err)
			msgs := w.srv.Messages()
			if n != 3 || len(msgs) != 3 {
				t.Fatalf("delivered %d, server has %d, want 3", n, len(msgs))
			}
			items, err := w.svc.Outbox(ctx, w.coord, r.ID)
			must(t, err)
			for _, o := range items {
				if o.State != vmt.OutboxDone || o.Attempts != 1 {
					t.Errorf("outbox %s: %s after %d attempts", o.Key, o.State, o.Attempts)
				}
			}

			want := renderedNotice(t, w, r, wantAt)
			g := newGnuPG(t)
			g.run(armored(t, w.signer, false), "--import")
			g.run(armored(t, distro, true), "--import")
			byTo := map[string][]byte{}
			for _, m := range msgs {
				byTo[m.To[0]] = m.Data
			}
			// The keyed stakeholder: encrypted, signed inside.
			_, parts := rawParts(t, byTo["distro@distro.example"])
			code, out, status := g.run(bodyOf(t, parts[1]), "--decrypt")
			if code != 0 || !has(status, "DECRYPTION_OKAY") || !has(status, "GOODSIG") {
				t.Fatalf("decrypting the stakeholder's notice: exit %d, status %v", code, status)
			}
			if got := textOf(t, out); got != want.Body {
				t.Errorf("decrypted text:\n%s\nwant the rendered template:\n%s", got, want.Body)
			}
			// The stakeholder is told where to ask for access to the report.
			if access := fmt.Sprintf("%s/reports/%d/access", site.BaseURL, r.ID); !strings.Contains(textOf(t, out), access) {
				t.Errorf("decrypted text lacks the access request URL %s", access)
			}
			// The others: signed in clear, same text.
			for _, to := range []string{"cloud@distro.example", "embargo@lists.example.org"} {
				h, parts := rawParts(t, byTo[to])
				sig := g.file(bodyOf(t, parts[1]))
				code, _, status := g.run(parts[0], "--verify", sig, "-")
				if code != 0 || !has(status, "GOODSIG") {
					t.Errorf("%s: verify exit %d, status %v", to, code, status)
				}
				if got := textOf(t, parts[0]); got != want.Body {
					t.Errorf("%s: text differs from the rendered template", to)
				}
				if s := h.Get("Subject"); s != want.Subject {
					t.Errorf("%s: subject %q, want %q", to, s, want.Subject)
				}
			}
			// Who was told is on the record.
			var told bool
			for e, err := range w.store.AuditLog(ctx) {
				must(t, err)
				if e.Action == "report.told" && strings.Contains(string(e.After), "stakeholder:1") {
					told = true
				}
			}
			if !told {
				t.Error("no report.told event naming the stakeholders")
			}
		})
	}
}

// The guards of the notice: only the report's VMT, only from In Progress
// with a CVE and an impact description.
func TestNoticeRefusals(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "sqlite")
	r := w.readyReport("Overflow")
	other, err := w.svc.CreateUser(ctx, w.admin, vmt.UserInput{Email: "o@example.org", Role: vmt.RoleReporter})
	must(t, err)
	if _, err := w.svc.SendNotice(ctx, vmt.Actor{User: other}, r.ID); vmt.ErrorCode(err) != vmt.ENOTFOUND {
		t.Errorf("an outsider: %v, want not found", err)
	}
	fresh, err := w.svc.CreateReport(ctx, w.coord, vmt.ReportInput{Project: "p", Title: "New", Description: "x"})
	must(t, err)
	if _, err := w.svc.SendNotice(ctx, w.coord, fresh.ID); vmt.ErrorCode(err) != vmt.ECONFLICT || !strings.Contains(err.Error(), "In Progress") {
		t.Errorf("a new report: %v, want conflict on the status", err)
	}
	items, err := w.svc.Outbox(ctx, w.coord, r.ID)
	must(t, err)
	if len(items) != 0 {
		t.Errorf("%d items enqueued by refused notices", len(items))
	}
}

func mustUser(t *testing.T, w *world, email string) *vmt.User {
	var u *vmt.User
	must(t, w.store.View(context.Background(), func(tx vmt.Tx) (err error) { u, err = tx.UserByEmail(email); return err }))
	return u
}

// renderedNotice renders the notice as the service should have, for a
// report whose only branch was waived (readyReport): no patch attached.
func renderedNotice(t *testing.T, w *world, r *vmt.Report, at time.Time) render.Doc {
	set, err := render.NewSet(nil)
	must(t, err)
	subj, body, err := site.Notice(set)(vmt.NoticeFacts{Report: r, Project: w.project, Coordinator: w.coord.User, Disclosure: at,
		Patches: vmt.NoticePatches{Without: []string{"master"}}})
	must(t, err)
	return render.Doc{Subject: subj, Body: body}
}

// rawParts splits a multipart mail into its parts as sent, headers
// included: a signature covers the bytes of the first part.
func rawParts(t *testing.T, data []byte) (message.Header, [][]byte) {
	t.Helper()
	e, err := message.Read(bytes.NewReader(data))
	must(t, err)
	_, params, err := e.Header.ContentType()
	must(t, err)
	all, _ := io.ReadAll(e.Body)
	var parts [][]byte
	for _, c := range bytes.Split(all, []byte("\r\n--"+params["boundary"]))[1:] {
		if bytes.HasPrefix(c, []byte("--")) {
			break
		}
		parts = append(parts, bytes.TrimPrefix(c, []byte("\r\n")))
	}
	if len(parts) != 2 {
		t.Fatalf("%d parts, want 2", len(parts))
	}
	return e.Header, parts
}

// bodyOf is the body of a part, decoded.
func bodyOf(t *testing.T, part []byte) []byte {
	e, err := message.Read(bytes.NewReader(part))
	must(t, err)
	b, err := io.ReadAll(e.Body)
	must(t, err)
	return b
}

// textOf is the text of the first text/plain part of an entity, with LF
// line ends.
func textOf(t *testing.T, entity []byte) string {
	e, err := message.Read(bytes.NewReader(entity))
	must(t, err)
	var text string
	err = e.Walk(func(_ []int, p *message.Entity, err error) error {
		if err != nil {
			return err
		}
		if mt, _, _ := p.Header.ContentType(); mt == "text/plain" && text == "" {
			b, err := io.ReadAll(p.Body)
			text = string(b)
			return err
		}
		return nil
	})
	must(t, err)
	return strings.ReplaceAll(text, "\r\n", "\n")
}

func (g *gnupg) file(data []byte) string {
	f, err := osCreateTemp(g.home)
	must(g.t, err)
	_, err = f.Write(data)
	must(g.t, err)
	must(g.t, f.Close())
	return f.Name()
}

// Coordinators sending the notice of one report at the same moment, from
// two instances: one notice goes out, the others are refused.
func TestConcurrentNoticesOnce(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "postgres")
	w.stakeholder("Distro", false)
	r := w.readyReport("Overflow")
	svcs := []*app.Service{w.svc, w.service(w.open()), w.service(w.open()), w.service(w.open())}
	errs := make(chan error, len(svcs))
	for _, svc := range svcs {
		go func() {
			_, err := svc.SendNotice(ctx, w.coord, r.ID)
			errs <- err
		}()
	}
	okCount := 0
	for range svcs {
		switch err := <-errs; vmt.ErrorCode(err) {
		case "":
			okCount++
		case vmt.ECONFLICT:
		default:
			t.Errorf("SendNotice: %v", err)
		}
	}
	if okCount != 1 {
		t.Errorf("%d notices went out, want 1", okCount)
	}
	items, err := w.svc.Outbox(ctx, w.coord, r.ID)
	must(t, err)
	if len(items) != 1 || countAudit(t, w, "report.notice")[r.ID] != 1 {
		t.Errorf("%d items and %d notice events, want 1 and 1", len(items), countAudit(t, w, "report.notice")[r.ID])
	}
}

// A notice with nobody to receive it is refused: the report would move on
// as if downstream had been told.
func TestNoticeToNobody(t *testing.T) {
	w := newWorld(t, "sqlite")
	r := w.readyReport("Overflow")
	_, err := w.svc.SendNotice(context.Background(), w.coord, r.ID)
	if e, ok := err.(*vmt.Error); !ok || e.Code != vmt.EINVALID || e.Field != "recipients" {
		t.Errorf("notice to nobody: %v, want invalid recipients", err)
	}
}

// A stakeholder whose key expires during the embargo still gets the notice
// (the key works today) and the coordinator is warned.
func TestNoticeWarnsOfKeyExpiringInEmbargo(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "sqlite")
	// Made an hour ago for a day: it expires on 3 March, the disclosure
	// is on 5 March.
	short := newEntityAt(t, "Brief", w.clock.Now().Add(-time.Hour), 24*time.Hour)
	_, err := w.svc.CreateStakeholder(ctx, w.coord, vmt.StakeholderInput{Organisation: "Brief", Contacts: []string{"b@brief.example"},
		PublicKey: string(armored(t, short, false))})
	must(t, err)
	r := w.readyReport("Overflow")
	res, err := w.svc.SendNotice(ctx, w.coord, r.ID)
	must(t, err)
	if len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0], "stakeholder:1: at the disclosure date") || !strings.Contains(res.Warnings[0], "expired") {
		t.Errorf("warnings %q, want one about stakeholder:1's key", res.Warnings)
	}
	if n, err := w.worker(w.svc).Deliver(ctx); err != nil || n != 1 {
		t.Errorf("delivered %d, %v: the key works today", n, err)
	}
}
