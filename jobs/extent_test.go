package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/pgpmail"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// privateOf returns the texts of report r that only those told may know:
// a mail holding any of them carries its private content, whatever its
// kind says.
func privateOf(r *vmt.Report) []string {
	return []string{r.Title, r.Description, r.ImpactDescription}
}

// carriesPrivate reports whether the payload of a mail item holds any of
// the private texts, in its subject, body or attachments.
func carriesPrivate(t *testing.T, o *vmt.OutboxItem, private []string) (vmt.NoticeMail, bool) {
	t.Helper()
	var m vmt.NoticeMail
	must(t, json.Unmarshal(o.Payload, &m))
	all := m.Subject + "\n" + m.Body
	for _, a := range m.Attachments {
		all += "\n" + string(a.Data)
	}
	for _, p := range private {
		if p != "" && strings.Contains(all, p) {
			return m, true
		}
	}
	return m, false
}

// Those told are in the extent: after the notice (to a keyed and an
// unkeyed stakeholder, one with two contacts, a private list and the
// linux-distros list) and the stage reminder and escalation that follow,
// the extent names every address the notice went to, with when, the key
// and whether it was encrypted. And the class: every mail item of the
// report that holds any of its private texts, and every message the SMTP
// server received for such an item, goes only to addresses the extent
// shows; a mail kind that is declared free of private content (the
// reminder, the escalation) is checked by its content, not trusted.
func TestExtentNamesEveryoneMailed(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			distro := w.stakeholder("Distro", true)
			w.stakeholder("Cloud", false)
			_, err := w.svc.CreateStakeholder(ctx, w.coord, vmt.StakeholderInput{Organisation: "Multi",
				Contacts: []string{"a@multi.example", "b@multi.example"}})
			must(t, err)
			listKey := newEntity(t, "Distros list")
			set, err := w.svc.DisclosureSettingsOf(ctx, w.coord, "p")
			must(t, err)
			set.Lists = []vmt.NoticeList{{Name: "embargo-notice", Address: "embargo@lists.example.org", Rules: vmt.ListPrivate},
				{Name: "distros", Address: "distros@lists.example.org", Rules: vmt.ListLinuxDistros, PublicKey: string(armored(t, listKey, false))}}
			set.Timers = vmt.StageTimers{LimitDays: map[vmt.Status]int{vmt.StatusFixCommitted: 1},
				EscalateAfterDays: 1, EscalationContacts: []string{"ttx@foundation.example"}}
			_, err = w.svc.SetDisclosureSettings(ctx, w.coord, "p", *set)
			must(t, err)
			r := w.readyReport("Secret title of an embargoed overflow")

			_, err = w.svc.SendNotice(ctx, w.coord, r.ID)
			must(t, err)
			wk := w.worker(w.svc)
			_, err = wk.Deliver(ctx)
			must(t, err)
			for range 2 { // the reminder a day on, the escalation a day later
				w.clock.Add(25 * time.Hour)
				must(t, wk.Watch(ctx))
				_, err = wk.Deliver(ctx)
				must(t, err)
			}

			ex, err := w.svc.Extent(ctx, w.coord, r.ID)
			must(t, err)
			mailed := map[string]vmt.ExtentEntry{}
			for _, e := range ex {
				if e.Mail != nil {
					mailed[e.Mail.Address] = e
				}
			}
			distroKey, err := pgpmail.ParsePublicKey(armored(t, distro, false), w.clock.Now())
			must(t, err)
			listPub, err := pgpmail.ParsePublicKey(armored(t, listKey, false), w.clock.Now())
			must(t, err)
			noticeAt := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
			for addr, want := range map[string]string{
				"distro@distro.example":     distroKey.Fingerprint,
				"distros@lists.example.org": listPub.Fingerprint,
				"cloud@distro.example":      "",
				"a@multi.example":           "",
				"b@multi.example":           "",
				"embargo@lists.example.org": "",
			} {
				e, ok := mailed[addr]
				switch {
				case !ok:
					t.Errorf("the extent does not name %s", addr)
				case e.Mail.Kind != vmt.KindNotice || e.Mail.Encrypted != (want != "") || e.Mail.Fingerprint != want ||
					e.Mail.State != "delivered" || !e.Since.Equal(noticeAt) || e.Reason != vmt.ExtentMailed:
					t.Errorf("%s in the extent: %+v since %s, want encrypted to %q, delivered at %s", addr, *e.Mail, e.Since, want, noticeAt)
				}
			}
			for _, never := range []string{"coord@example.org", "ttx@foundation.example"} {
				if _, ok := mailed[never]; ok {
					t.Errorf("%s is in the extent as mailed: its mail carries nothing private", never)
				}
			}

			// The class: every mail of the report with private content
			// went only to addresses the extent shows.
			items, err := w.svc.Outbox(ctx, w.coord, r.ID)
			must(t, err)
			private := privateOf(r)
			byMessageID := map[string]*vmt.OutboxItem{}
			kinds := map[string]int{}
			for _, o := range items {
				if !vmt.IsMailKind(o.Kind) {
					continue
				}
				kinds[o.Kind]++
				byMessageID[w.mailer.MessageID(o.Key)] = o
				m, ok := carriesPrivate(t, o, private)
				for _, to := range m.To {
					if ok && mailed[to].Mail == nil {
						t.Errorf("%s (%s) carries the report's private content to %s, which the extent does not show", o.Key, o.Kind, to)
					}
				}
			}
			if kinds[vmt.KindNotice] != 5 || kinds[vmt.KindReminder] != 1 || kinds[vmt.KindEscalation] != 1 {
				t.Fatalf("mail items %v, want 5 notices, a reminder and an escalation", kinds)
			}
			sent := 0
			for _, msg := range w.srv.Messages() {
				h, err := mail.ReadMessage(bytes.NewReader(msg.Data))
				must(t, err)
				o := byMessageID[h.Header.Get("Message-Id")]
				if o == nil {
					t.Errorf("a message to %v is of no item of the report", msg.To)
					continue
				}
				sent++
				if _, ok := carriesPrivate(t, o, private); !ok {
					continue
				}
				for _, to := range msg.To {
					if mailed[to].Mail == nil {
						t.Errorf("the relay took %s for %s, which the extent does not show", o.Key, to)
					}
				}
			}
			if sent != 7 {
				t.Errorf("%d messages at the relay, want 7", sent)
			}
			if len(mailed) != 6 {
				t.Errorf("%d addresses mailed in the extent, want 6", len(mailed))
			}
		})
	}
}
