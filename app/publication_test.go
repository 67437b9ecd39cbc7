package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/csaf"
	"github.com/vmtproject/vmt/cve5"
	"github.com/vmtproject/vmt/cvss"
	"github.com/vmtproject/vmt/osv"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// pubWorld is a service on a real store with a project, its VMT member
// and a reporter, and a clock the test moves.
type pubWorld struct {
	t                   *testing.T
	svc                 *app.Service
	st                  vmt.Store
	now                 time.Time
	admin, vmtm, report vmt.Actor
}

func newPubWorld(t *testing.T, engine string) *pubWorld {
	ctx := context.Background()
	st := sqldbtest.Open(t, engine)
	w := &pubWorld{t: t, st: st, now: time.Date(2026, 3, 4, 9, 30, 0, 0, time.UTC)}
	w.svc = app.Must(app.New(app.Deps{
		Store:         st,
		Hasher:        password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		Now:           func() time.Time { return w.now },
		Log:           sqldbtest.Logger(t),
		CheckAdvisory: cvss.Check,
		Publication:   vmt.PublicationHooks{BaseURL: "https://vmt.example.org"},
	}))
	secret, err := w.svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"master"}}})
	must(t, err)
	w.admin, _ = w.svc.Authenticate(ctx, secret)
	mk := func(email string, role vmt.Role) vmt.Actor {
		u, err := w.svc.CreateUser(ctx, w.admin, vmt.UserInput{Email: email, Role: role})
		must(t, err)
		return vmt.Actor{User: u}
	}
	w.vmtm, w.report = mk("vmt@example.org", vmt.RoleVMT), mk("r@example.org", vmt.RoleReporter)
	p, err := w.svc.Project(ctx, w.admin, "p")
	must(t, err)
	must(t, w.svc.SetMember(ctx, w.admin, vmt.Member{ProjectID: p.ID, UserID: w.vmtm.ID(), Role: vmt.MemberVMT}))
	return w
}

// embargoed files a class A report and makes its final document; public
// makes the report public first.
func (w *pubWorld) embargoed(public bool) *vmt.Advisory {
	ctx := context.Background()
	r, err := w.svc.CreateReport(ctx, w.report, vmt.ReportInput{Project: "p", Title: "Escape", Description: "It escapes."})
	must(w.t, err)
	_, err = w.svc.Classify(ctx, w.vmtm, r.ID, "A")
	must(w.t, err)
	if public {
		// Public before the document is final: it is published by hand
		// (one final at the end of the embargo is published with it).
		_, err = w.svc.MakePublic(ctx, w.vmtm, r.ID, "fixed in the open")
		must(w.t, err)
	}
	d, err := w.svc.DraftAdvisory(ctx, w.vmtm, r.ID, draftDoc())
	must(w.t, err)
	d, err = w.svc.EmbargoAdvisory(ctx, w.vmtm, d.RecordID)
	must(w.t, err)
	return d
}

func (w *pubWorld) outbox() map[string]*vmt.OutboxItem {
	out := map[string]*vmt.OutboxItem{}
	must(w.t, w.st.View(context.Background(), func(tx vmt.Tx) error {
		items, err := tx.OutboxItems(0)
		for _, o := range items {
			// The people told of the steps that led here are not the
			// publication's (jobs/notify_test.go tests them).
			if o.Kind != vmt.KindNotification && o.Kind != vmt.KindNotificationLink {
				out[o.Key] = o
			}
		}
		return err
	}))
	return out
}

// TestPublicationSettings: who may read and set them, a bad value named,
// nothing stored then, and the audit keeps the webhook as "set" only.
func TestPublicationSettings(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newPubWorld(t, engine)
			good := vmt.PublicationSettings{Lists: []vmt.AnnouncementList{{Address: "announce@lists.example.org"},
				{Address: "dev@lists.example.org", Signing: vmt.SignNone}}, WebhookURL: "https://chat.example.org/hooks/SECRET-TOKEN"}
			if _, err := w.svc.SetPublicationSettings(ctx, w.report, "p", good); vmt.ErrorCode(err) != vmt.EFORBIDDEN {
				t.Errorf("set by a reporter: %v", err)
			}
			if _, err := w.svc.PublicationSettingsOf(ctx, vmt.Actor{}, "p"); vmt.ErrorCode(err) != vmt.EUNAUTHENTICATED {
				t.Errorf("read anonymously: %v", err)
			}
			for field, bad := range map[string]vmt.PublicationSettings{
				"lists[0].address":   {Lists: []vmt.AnnouncementList{{Address: "Announce <announce@example.org>"}}},
				"lists[1].address":   {Lists: []vmt.AnnouncementList{{Address: "a@example.org"}, {Address: "A@example.org"}}},
				"lists[1].signing":   {Lists: []vmt.AnnouncementList{{Address: "a@example.org"}, {Address: "b@example.org", Signing: "pgp"}}},
				"lists":              {Lists: tooManyLists()},
				"webhook_url":        {WebhookURL: "http://chat.example.org/hook"},
				"csaf_namespace":     {CSAFNamespace: "katacontainers.io"},
				"advisory_numbering": {AdvisoryNumbering: "sometimes"},
			} {
				if _, err := w.svc.SetPublicationSettings(ctx, w.vmtm, "p", bad); vmt.ErrorField(err) != field {
					t.Errorf("bad %s: %v", field, err)
				}
			}
			got, err := w.svc.PublicationSettingsOf(ctx, w.vmtm, "p")
			must(t, err)
			if got.WebhookURL != "" || got.CSAFNamespace != "" || len(got.Lists) != 0 || got.AdvisoryNumbering != vmt.NumberAtEmbargo {
				t.Errorf("refused settings were stored: %+v", got)
			}
			if _, err := w.svc.SetPublicationSettings(ctx, w.vmtm, "p", good); err != nil {
				t.Fatal(err)
			}
			got, err = w.svc.PublicationSettingsOf(ctx, w.vmtm, "p")
			must(t, err)
			// An empty signing is stored as sign: unsigned only when asked.
			wantLists := []vmt.AnnouncementList{{Address: "announce@lists.example.org", Signing: vmt.SignAnnouncement},
				{Address: "dev@lists.example.org", Signing: vmt.SignNone}}
			if !reflect.DeepEqual(got.Lists, wantLists) || got.WebhookURL != good.WebhookURL {
				t.Errorf("settings %+v", got)
			}
			pub, err := w.svc.Publisher(ctx, got.ProjectID)
			must(t, err)
			if *pub != (vmt.Publisher{Vendor: "P"}) {
				t.Errorf("Publisher before the project names its CNA: %+v", pub)
			}
			// The CNA is typed once, in the CNA settings, also when this
			// instance does not talk to CVE Services for it.
			const org = "6d5b2f5c-0f3a-4c1e-9d7e-1b2c3d4e5f60"
			_, err = w.svc.SetCNASettings(ctx, w.vmtm, "p", vmt.CNASettings{ShortName: "kata", OrgID: org})
			must(t, err)
			pub, err = w.svc.Publisher(ctx, got.ProjectID)
			must(t, err)
			if *pub != (vmt.Publisher{Vendor: "P", CVEOrgID: org, CVEShortName: "kata"}) {
				t.Errorf("Publisher after the CNA settings name it: %+v", pub)
			}
			found := false
			for e, err := range w.st.AuditLog(ctx) {
				must(t, err)
				if e.Action == "project.publication" {
					found = true
					if strings.Contains(string(e.After), "SECRET-TOKEN") || !strings.Contains(string(e.After), `"set"`) ||
						!strings.Contains(string(e.After), "dev@lists.example.org:none") {
						t.Errorf("audit of the settings: %s", e.After)
					}
				}
			}
			if !found {
				t.Error("no project.publication audit event")
			}
		})
	}
}

// TestPublicationLifecycle: publishing enqueues the announcements in its
// transaction (and only once the report is public); an erratum adds a
// revision, announced too; a withdrawal keeps the document listed; the
// exports carry the history.
func TestPublicationLifecycle(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newPubWorld(t, engine)
			_, err := w.svc.SetPublicationSettings(ctx, w.vmtm, "p", vmt.PublicationSettings{
				Lists: []vmt.AnnouncementList{{Address: "announce@lists.example.org", Signing: vmt.SignAnnouncement},
					{Address: "Dev@lists.example.org", Signing: vmt.SignNone}},
				WebhookURL: "https://chat.example.org/hooks/x"})
			must(t, err)

			private := w.embargoed(false)
			if _, err := w.svc.PublishAdvisory(ctx, w.vmtm, private.RecordID); vmt.ErrorCode(err) != vmt.ECONFLICT {
				t.Errorf("publish while the report is private: %v", err)
			}
			if n := len(w.outbox()); n != 0 {
				t.Fatalf("a refused publication left %d outbox items", n)
			}
			if ds, _, err := w.svc.PublishedAdvisories(ctx, ""); err != nil || len(ds) != 0 {
				t.Fatalf("public list before any publication: %d, %v", len(ds), err)
			}
			if _, _, err := w.svc.PublishedAdvisory(ctx, private.ID.String()); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("the embargoed document by its id: %v", err)
			}

			d := w.embargoed(true)
			if _, err := w.svc.PublishAdvisory(ctx, w.report, d.RecordID); vmt.ErrorCode(err) == "" {
				t.Error("the reporter published a document")
			}
			d, err = w.svc.PublishAdvisory(ctx, w.vmtm, d.RecordID)
			must(t, err)
			if d.State != vmt.AdvisoryPublished || len(d.Revisions) != 1 || !d.Published.Equal(w.now) {
				t.Errorf("published %+v", d)
			}
			items := w.outbox()
			base := "publication:" + itoa(d.RecordID) + ":published:1"
			mail, dev, hook := items[base+":mail:announce@lists.example.org"], items[base+":mail:dev@lists.example.org"], items[base+":webhook"]
			if len(items) != 3 || mail == nil || dev == nil || hook == nil {
				t.Fatalf("outbox after publishing: %v", keys(items))
			}
			// One announcement per list, the same text, signed but for
			// the list set to none.
			var m, md vmt.NoticeMail
			must(t, json.Unmarshal(mail.Payload, &m))
			must(t, json.Unmarshal(dev.Payload, &md))
			if mail.Kind != vmt.KindPublicationMail || m.To[0] != "announce@lists.example.org" || m.PublicKey != "" || m.Rules != "" || m.Unsigned ||
				!strings.Contains(m.Subject, d.ID.String()) || !strings.Contains(m.Body, "https://vmt.example.org/advisories/"+d.ID.String()) {
				t.Errorf("announcement mail %s: %+v", mail.Kind, m)
			}
			if dev.Kind != vmt.KindPublicationMail || len(md.To) != 1 || md.To[0] != "Dev@lists.example.org" || !md.Unsigned ||
				md.Subject != m.Subject || md.Body != m.Body {
				t.Errorf("announcement to the unsigned list %s: %+v", dev.Kind, md)
			}
			var c vmt.WebhookCall
			must(t, json.Unmarshal(hook.Payload, &c))
			if hook.Kind != vmt.KindWebhook || c.URL != "https://chat.example.org/hooks/x" || !strings.Contains(c.Text, d.ID.String()+" published") {
				t.Errorf("webhook %s: %+v", hook.Kind, c)
			}
			if _, err := w.svc.PublishAdvisory(ctx, w.vmtm, d.RecordID); vmt.ErrorCode(err) != vmt.ECONFLICT {
				t.Errorf("second publication: %v", err)
			}

			// An erratum.
			w.now = w.now.Add(48 * time.Hour)
			fixed := draftDoc()
			fixed.Mitigation = "Upgrade to 3.2.1."
			fixed.References = []vmt.Reference{{Type: "FIX", URL: "https://github.com/kata-containers/kata-containers/pull/1"}}
			if _, err := w.svc.AmendAdvisory(ctx, w.vmtm, d.RecordID, fixed, "  "); vmt.ErrorField(err) != "change" {
				t.Errorf("erratum without a change: %v", err)
			}
			if _, err := w.svc.AmendAdvisory(ctx, w.vmtm, private.RecordID, fixed, "x"); vmt.ErrorCode(err) != vmt.ECONFLICT {
				t.Errorf("erratum of an embargoed document: %v", err)
			}
			a, err := w.svc.AmendAdvisory(ctx, w.vmtm, d.RecordID, fixed, "Added the mitigation.")
			must(t, err)
			if len(a.Revisions) != 2 || a.Revisions[1].Number != 2 || a.Errata != "Added the mitigation." ||
				!a.Modified.Equal(w.now) || !a.Published.Equal(*d.Published) || a.ID != d.ID || a.Mitigation != "Upgrade to 3.2.1." {
				t.Errorf("after the erratum: %+v", a)
			}
			if items := w.outbox(); items["publication:"+itoa(d.RecordID)+":errata:2:mail:dev@lists.example.org"] == nil || len(items) != 6 {
				t.Errorf("erratum announcements: %v", keys(items))
			}
			rec, err := cve5.FromAdvisory(a, "CVE-2026-12345", cve5.Options{OrgID: "6d5b2f5c-0f3a-4c1e-9d7e-1b2c3d4e5f60", ShortName: "p"})
			must(t, err)
			if rec.CVEMetadata.DateUpdated == rec.CVEMetadata.DatePublished {
				t.Errorf("CVE record after an erratum: dateUpdated %s = datePublished", rec.CVEMetadata.DateUpdated)
			}
			doc, err := csaf.Export(a, csaf.Options{Namespace: "https://vmt.example.org"})
			must(t, err)
			if !strings.Contains(string(doc), "Added the mitigation.") || strings.Count(string(doc), `"number"`) != 2 {
				t.Errorf("CSAF after an erratum lacks the revision history:\n%s", doc)
			}

			// A withdrawal.
			w.now = w.now.Add(24 * time.Hour)
			if _, err := w.svc.WithdrawAdvisory(ctx, w.vmtm, d.RecordID, ""); vmt.ErrorField(err) != "reason" {
				t.Errorf("withdrawal without a reason: %v", err)
			}
			x, err := w.svc.WithdrawAdvisory(ctx, w.vmtm, d.RecordID, "Not a vulnerability after all.")
			must(t, err)
			if x.State != vmt.AdvisoryWithdrawn || x.Withdrawn == nil || len(x.Revisions) != 3 {
				t.Errorf("withdrawn %+v", x)
			}
			if _, err := w.svc.AmendAdvisory(ctx, w.vmtm, d.RecordID, fixed, "x"); vmt.ErrorCode(err) != vmt.ECONFLICT {
				t.Errorf("erratum of a withdrawn document: %v", err)
			}
			ds, _, err := w.svc.PublishedAdvisories(ctx, "p")
			must(t, err)
			if len(ds) != 1 || ds[0].State != vmt.AdvisoryWithdrawn {
				t.Errorf("public list after the withdrawal: %d documents", len(ds))
			}
			o, err := osv.Export(x)
			must(t, err)
			var rec2 struct{ Withdrawn, Modified string }
			must(t, json.Unmarshal(o, &rec2))
			if rec2.Withdrawn != "2026-03-07T09:30:00Z" || rec2.Modified != rec2.Withdrawn {
				t.Errorf("OSV of the withdrawn document: withdrawn %q, modified %q", rec2.Withdrawn, rec2.Modified)
			}

			// Every move is on the record.
			seen := map[string]int{}
			for e, err := range w.st.AuditLog(ctx) {
				must(t, err)
				seen[e.Action]++
			}
			for _, a := range []string{"advisory.publish", "advisory.errata", "advisory.withdraw"} {
				if seen[a] != 1 {
					t.Errorf("%s audited %d times", a, seen[a])
				}
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func keys(m map[string]*vmt.OutboxItem) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// tooManyLists is one list more than a project may have.
func tooManyLists() []vmt.AnnouncementList {
	var out []vmt.AnnouncementList
	for i := range vmt.MaxAnnouncementLists + 1 {
		out = append(out, vmt.AnnouncementList{Address: fmt.Sprintf("l%d@example.org", i)})
	}
	return out
}
