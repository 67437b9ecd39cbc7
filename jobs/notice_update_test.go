package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// After the notice the date can move, for a reason, and every recipient
// hears of it encrypted to their key as the notice was; a date other
// than the reporter's needs the override; ending the embargo early
// publishes the final document, makes the date now and tells them why.
func TestNoticeUpdates(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			w.publishing("")
			distro := w.stakeholder("Distro", true)
			w.stakeholder("Cloud", false)
			r := w.readyReport("Overflow")
			res, err := w.svc.SendNotice(ctx, w.coord, r.ID)
			must(t, err)
			wk := w.worker(w.svc)
			if n, err := wk.Deliver(ctx); err != nil || n != 2 {
				t.Fatalf("the notice: %d delivered, %v", n, err)
			}

			later := res.Disclosure.AddDate(0, 0, 7)
			_, err = w.svc.MoveDisclosure(ctx, vmt.Actor{User: mustUser(t, w, "admin@example.org")}, r.ID+100, later, "x", "")
			if vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("moving the date of a missing report: %v", err)
			}
			_, err = w.svc.MoveDisclosure(ctx, w.coord, r.ID, later, "", "")
			if vmt.ErrorField(err) != "reason" {
				t.Errorf("a move without a reason: %v", err)
			}
			_, err = w.svc.MoveDisclosure(ctx, w.coord, r.ID, res.Disclosure.AddDate(0, 0, 200), "much later", "")
			if vmt.ErrorField(err) != "disclosure_at" {
				t.Errorf("a move past the maximum: %v", err)
			}
			v, err := w.svc.MoveDisclosure(ctx, w.coord, r.ID, later, "the fix needs another week", "")
			must(t, err)
			if !v.DisclosureAt.Equal(later) {
				t.Fatalf("moved to %v, want %v", v.DisclosureAt, later)
			}
			before := len(w.srv.Messages())
			if n, err := wk.Deliver(ctx); err != nil || n != 2 {
				t.Fatalf("the follow-ups: %d delivered, %v", n, err)
			}
			msgs := w.srv.Messages()[before:]
			g := newGnuPG(t)
			g.run(armored(t, w.signer, false), "--import")
			g.run(armored(t, distro, true), "--import")
			var sawDistro bool
			for _, m := range msgs {
				if m.To[0] != "distro@distro.example" {
					continue
				}
				sawDistro = true
				h, parts := rawParts(t, m.Data)
				if !strings.HasPrefix(h.Get("Subject"), "The disclosure date has moved: ") {
					t.Errorf("follow-up subject %q", h.Get("Subject"))
				}
				code, out, status := g.run(bodyOf(t, parts[1]), "--decrypt")
				if code != 0 || !has(status, "DECRYPTION_OKAY") || !has(status, "GOODSIG") {
					t.Fatalf("decrypting the follow-up: exit %d, status %v", code, status)
				}
				text := textOf(t, out)
				for _, want := range []string{later.Format("2006-01-02"), res.Disclosure.Format("2006-01-02"), "the fix needs another week"} {
					if !strings.Contains(text, want) {
						t.Errorf("the follow-up lacks %q:\n%s", want, text)
					}
				}
			}
			if !sawDistro {
				t.Errorf("the keyed stakeholder got no follow-up")
			}

			// The disclosure hour follows the new date, not the old one.
			w.clock.Add(res.Disclosure.Add(time.Minute).Sub(w.clock.Now()))
			if n, err := wk.Disclose(ctx); err != nil || n != 0 {
				t.Fatalf("at the old date: %d disclosed, %v", n, err)
			}

			// Ended early: public, the date now, everyone told why.
			d := w.finalAdvisory(r)
			v, err = w.svc.MakePublic(ctx, w.coord, r.ID, "the bug was discussed on a public list")
			must(t, err)
			if v.Visibility != vmt.Public || v.DisclosureAt == nil || !v.DisclosureAt.Equal(w.clock.Now().UTC().Truncate(time.Microsecond)) {
				t.Errorf("ended early: %s, date %v", v.Visibility, v.DisclosureAt)
			}
			if got, err := w.svc.Advisory(ctx, w.coord, d.RecordID); err != nil || got.State != vmt.AdvisoryPublished {
				t.Errorf("the final advisory after the early end: %v %v", got, err)
			}
			before = len(w.srv.Messages())
			if _, err := wk.Deliver(ctx); err != nil {
				t.Fatal(err)
			}
			ended := 0
			for _, m := range w.srv.Messages()[before:] {
				h, _ := rawParts(t, m.Data)
				if strings.HasPrefix(h.Get("Subject"), "The embargo has ended: ") {
					ended++
				}
			}
			if ended != 2 {
				t.Errorf("%d recipients told the embargo ended, want 2", ended)
			}
			// The follow-ups carried the report: they are in the extent.
			ext, err := w.svc.Extent(ctx, w.coord, r.ID)
			must(t, err)
			updates := 0
			for _, e := range ext {
				if e.Who == "mail" && e.Mail != nil && e.Mail.Kind == vmt.KindNoticeUpdate {
					updates++
				}
			}
			if updates != 4 {
				t.Errorf("%d follow-up addresses in the extent, want 4 (2 recipients, 2 updates)", updates)
			}
		})
	}
}
