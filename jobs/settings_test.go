package jobs_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// A project's disclosure settings: refused with the field named when they
// cannot work, and once set, the notice follows them: the project's policy
// gives the date, and the linux-distros list gets a [vs] mail encrypted to
// its key, which gpg decrypts.
func TestProjectDisclosureSettings(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			list := newEntity(t, "Distros")
			listKey := string(armored(t, list, false))
			policy := json.RawMessage(`{"window": "5-10", "hour": 15, "avoid": []}`)
			ok := vmt.DisclosureSettings{Policy: policy, EmbargoLimitDays: 14, MaxEmbargoDays: 90,
				Lists: []vmt.NoticeList{{Name: "linux-distros", Address: "distros@vs.example.org", Rules: vmt.ListLinuxDistros, PublicKey: listKey}}}

			bad := func(change func(*vmt.DisclosureSettings)) vmt.DisclosureSettings {
				d := ok
				d.Lists = append([]vmt.NoticeList(nil), ok.Lists...)
				change(&d)
				return d
			}
			refusals := []struct {
				name  string
				in    vmt.DisclosureSettings
				field string
			}{
				{"policy without hour", bad(func(d *vmt.DisclosureSettings) { d.Policy = json.RawMessage(`{"window":"3-5","avoid":[]}`) }), "policy"},
				{"unknown policy field", bad(func(d *vmt.DisclosureSettings) {
					d.Policy = json.RawMessage(`{"window":"3-5","hour":0,"avoid":[],"tz":"CET"}`)
				}), "policy"},
				{"max over 90", bad(func(d *vmt.DisclosureSettings) { d.MaxEmbargoDays = 91 }), "max_embargo_days"},
				{"limit over max", bad(func(d *vmt.DisclosureSettings) { d.EmbargoLimitDays = 95 }), "embargo_limit_days"},
				{"linux-distros without key", bad(func(d *vmt.DisclosureSettings) { d.Lists[0].PublicKey = "" }), "lists[0].public_key"},
				{"list key unreadable", bad(func(d *vmt.DisclosureSettings) { d.Lists[0].PublicKey = "junk" }), "lists[0].public_key"},
				{"unknown rules", bad(func(d *vmt.DisclosureSettings) { d.Lists[0].Rules = "public" }), "lists[0].rules"},
			}
			for _, tc := range refusals {
				_, err := w.svc.SetDisclosureSettings(ctx, w.coord, "p", tc.in)
				e, isErr := err.(*vmt.Error)
				if !isErr || e.Code != vmt.EINVALID || e.Field != tc.field {
					t.Errorf("%s: %v, want invalid %s", tc.name, err, tc.field)
				}
			}
			def, err := w.svc.DisclosureSettingsOf(ctx, w.coord, "p")
			must(t, err)
			if def.EmbargoLimitDays != 14 || def.MaxEmbargoDays != 90 || len(def.Lists) != 0 || def.Policy != nil {
				t.Errorf("defaults: %+v", def)
			}
			reporter, err := w.svc.CreateUser(ctx, w.admin, vmt.UserInput{Email: "r@example.org", Role: vmt.RoleReporter})
			must(t, err)
			if _, err := w.svc.SetDisclosureSettings(ctx, vmt.Actor{User: reporter}, "p", ok); vmt.ErrorCode(err) != vmt.EFORBIDDEN {
				t.Errorf("a reporter setting them: %v", err)
			}
			if _, err := w.svc.SetDisclosureSettings(ctx, w.coord, "p", ok); err != nil {
				t.Fatal(err)
			}

			// A maximum the policy's date exceeds refuses the notice, and
			// nothing is enqueued or changed.
			tight := ok
			tight.MaxEmbargoDays, tight.EmbargoLimitDays = 3, 3
			_, err = w.svc.SetDisclosureSettings(ctx, w.coord, "p", tight)
			must(t, err)
			r := w.readyReport("Overflow")
			if _, err := w.svc.SendNotice(ctx, w.coord, r.ID); vmt.ErrorCode(err) != vmt.EINVALID || !strings.Contains(err.Error(), "more than 3 days") {
				t.Errorf("notice past the maximum: %v", err)
			}
			if got := report(t, w, r.ID); got.Status != vmt.StatusInProgress || got.NoticeSentAt != nil || pending(t, w, r) != 0 {
				t.Errorf("a refused notice left the report %s, sent %v", got.Status, got.NoticeSentAt)
			}

			_, err = w.svc.SetDisclosureSettings(ctx, w.coord, "p", ok)
			must(t, err)
			res, err := w.svc.SendNotice(ctx, w.coord, r.ID)
			must(t, err)
			if want := time.Date(2026, 3, 9, 15, 0, 0, 0, time.UTC); !res.Disclosure.Equal(want) {
				t.Errorf("disclosure %v under the project's 5-10 days at 15:00 policy, want %v", res.Disclosure, want)
			}
			if _, err := w.worker(w.svc).Deliver(ctx); err != nil {
				t.Fatal(err)
			}
			msgs := w.srv.Messages()
			if len(msgs) != 1 || msgs[0].To[0] != "distros@vs.example.org" {
				t.Fatalf("%d messages, want the list's", len(msgs))
			}
			h, parts := rawParts(t, msgs[0].Data)
			if s := h.Get("Subject"); !strings.HasPrefix(s, "[vs] [pre-PSA]") {
				t.Errorf("subject %q, want [vs] first", s)
			}
			if mt, _, _ := h.ContentType(); mt != "multipart/encrypted" {
				t.Errorf("the list's mail is %s, want multipart/encrypted", mt)
			}
			g := newGnuPG(t)
			g.run(armored(t, w.signer, false), "--import")
			g.run(armored(t, list, true), "--import")
			code, out, status := g.run(bodyOf(t, parts[1]), "--decrypt")
			if code != 0 || !has(status, "DECRYPTION_OKAY") || !has(status, "GOODSIG") {
				t.Fatalf("gpg: exit %d, status %v", code, status)
			}
			if !strings.Contains(textOf(t, out), "2026-03-09, 1500 UTC") {
				t.Errorf("decrypted text lacks the disclosure time:\n%s", textOf(t, out))
			}
		})
	}
}
