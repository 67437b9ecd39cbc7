package jobs_test

import (
	"context"
	"encoding/json"
	"regexp"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// The whole way of leak 4's fix with the real notice and the real relay:
// the notice records who it addressed (organisation, addresses, key
// fingerprint, encrypted or not) in its outbox items and its audit event;
// a newcomer who takes a contact's address through the report form gets
// the proof link in a signed mail delivered over SMTP, is no stakeholder
// (ENOTFOUND) until they open it, and is one after.
func TestEmailProofMailAndNoticeRecord(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			w.stakeholder("Distro", true)
			r := w.readyReport("Overflow")
			_, err := w.svc.SendNotice(ctx, w.coord, r.ID)
			must(t, err)
			items, err := w.svc.Outbox(ctx, w.coord, r.ID)
			must(t, err)
			told, err := vmt.NoticeRecipients(items)
			must(t, err)
			if len(told) != 1 || told[0].Organisation != "Distro" || len(told[0].Addresses) != 1 || told[0].Addresses[0] != "distro@distro.example" ||
				told[0].Fingerprint == "" || !told[0].Encrypted || told[0].StakeholderID == 0 {
				t.Fatalf("the notice's record: %+v", told)
			}
			evs, err := w.svc.ReportAudit(ctx, w.coord, r.ID)
			must(t, err)
			var recorded bool
			for _, e := range evs {
				if e.Action == "report.told" {
					var x struct{ Told []vmt.NoticeRecipient }
					must(t, json.Unmarshal(e.After, &x))
					recorded = len(x.Told) == 1 && x.Told[0].Fingerprint == told[0].Fingerprint
				}
			}
			if !recorded {
				t.Errorf("the report.told event does not record the recipients")
			}
			if _, err := w.worker(w.svc).Deliver(ctx); err != nil {
				t.Fatal(err)
			}

			a, err := w.svc.RegisterReporter(ctx, vmt.RegisterInput{Email: "distro@distro.example", Name: "Not them", Password: "a long password 1"})
			must(t, err)
			if _, err := w.svc.RequestAccess(ctx, a, r.ID, ""); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Fatalf("unproven: RequestAccess: %v, want ENOTFOUND", err)
			}
			before := len(w.srv.Messages())
			if n, err := w.worker(w.svc).Deliver(ctx); n != 1 || err != nil {
				t.Fatalf("delivering the proof mail: %d, %v", n, err)
			}
			msgs := w.srv.Messages()
			if len(msgs) != before+1 || len(msgs[before].To) != 1 || msgs[before].To[0] != "distro@distro.example" {
				t.Fatalf("the proof mail: %d messages, last %+v", len(msgs), msgs[len(msgs)-1].To)
			}
			secret := regexp.MustCompile(vmt.EmailProofPrefix + `[a-z2-7]{32}`).Find(msgs[before].Data)
			if secret == nil {
				t.Fatalf("no link in the mail:\n%s", msgs[before].Data)
			}
			w.clock.Add(time.Hour)
			u, err := w.svc.ProveEmail(ctx, a, string(secret))
			must(t, err)
			if u.EmailVerifiedAt == nil || !u.EmailVerifiedAt.Equal(w.clock.Now()) {
				t.Fatalf("proven at %v, want %v", u.EmailVerifiedAt, w.clock.Now())
			}
			if _, err := w.svc.RequestAccess(ctx, vmt.Actor{User: u}, r.ID, ""); err != nil {
				t.Errorf("proven: RequestAccess: %v", err)
			}
			w.clock.Add(vmt.EmailProofTTL)
			if _, err := w.svc.ProveEmail(ctx, vmt.Actor{User: u}, string(secret)); vmt.ErrorField(err) != "token" {
				t.Errorf("the link again: %v", err)
			}
		})
	}
}
