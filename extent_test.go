package vmt

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"
)

var extentT0 = time.Date(2026, 2, 3, 12, 0, 0, 0, time.UTC)

func hours(h float64) time.Time { return extentT0.Add(time.Duration(h * float64(time.Hour))) }

func ev(at time.Time, actor int64, action string, projectID, reportID int64, before, after string) *AuditEvent {
	e := &AuditEvent{At: at, ActorID: actor, Action: action, ProjectID: projectID, ReportID: reportID}
	if before != "" {
		e.Before = json.RawMessage(before)
	}
	if after != "" {
		e.After = json.RawMessage(after)
	}
	return e
}

func fmtExtent(e ExtentEntry) string {
	until := "-"
	if e.Until != nil {
		until = e.Until.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("%s/%d %s since %s until %s by %d", e.Who, e.UserID, e.Reason, e.Since.UTC().Format(time.RFC3339), until, e.GrantedBy)
}

func entry(who string, uid int64, reason string, since time.Time, until *time.Time, by int64) string {
	return fmtExtent(ExtentEntry{Who: who, UserID: uid, Reason: reason, Since: since, Until: until, GrantedBy: by})
}

func ptr(t time.Time) *time.Time { return &t }

func checkExtent(t *testing.T, got []ExtentEntry, want []string) {
	t.Helper()
	if len(got) != len(want) {
		for _, e := range got {
			t.Log(fmtExtent(e))
		}
		t.Fatalf("%d entries, want %d", len(got), len(want))
	}
	for i := range want {
		if g := fmtExtent(got[i]); g != want[i] {
			t.Errorf("entry %d:\n got %s\nwant %s", i, g, want[i])
		}
	}
}

func TestDisclosureExtent(t *testing.T) {
	const (
		admin    = 1
		reporter = 5
		project  = 2
		report   = 10
	)
	r := &Report{ID: report, ProjectID: project, ReporterID: reporter, CreatedAt: extentT0}
	events := []*AuditEvent{
		// Before the report: 21 joins and leaves the VMT (never saw it),
		// 20 joins (sees it from its creation), 22 joins another project.
		ev(hours(-3), admin, "member.set", project, 0, "", `{"project_id":2,"user_id":21,"role":"vmt"}`),
		ev(hours(-2), admin, "member.set", project, 0, "", `{"project_id":2,"user_id":20,"role":"vmt"}`),
		ev(hours(-1), admin, "member.remove", project, 0, `{"project_id":2,"user_id":21,"role":"vmt"}`, ""),
		ev(hours(-1), admin, "member.set", 3, 0, "", `{"project_id":3,"user_id":22,"role":"vmt"}`),
		ev(hours(0), reporter, "report.create", project, report, "", `{"id":10,"visibility":"private"}`),
		// After it: 23 joins the VMT; setting the same role again adds nothing.
		ev(hours(1), admin, "member.set", project, 0, "", `{"project_id":2,"user_id":23,"role":"vmt"}`),
		ev(hours(1.5), admin, "member.set", project, 0, `{"project_id":2,"user_id":23,"role":"vmt"}`, `{"project_id":2,"user_id":23,"role":"vmt"}`),
		// 20 becomes a reviewer: the VMT access ends.
		ev(hours(2), admin, "member.set", project, 0, `{"project_id":2,"user_id":20,"role":"vmt"}`, `{"project_id":2,"user_id":20,"role":"reviewer"}`),
		// 23 subscribes 30, who is then dropped and let in again.
		ev(hours(3), 23, "subscription.add", project, report, "", `{"user_id":30,"visibility":"private"}`),
		ev(hours(3), 23, "subscription.add", project, 11, "", `{"user_id":31,"visibility":"private"}`),
		ev(hours(4), 23, "subscription.remove", project, report, `{"user_id":30}`, ""),
		ev(hours(5), 23, "subscription.add", project, report, "", `{"user_id":30,"visibility":"private"}`),
		ev(hours(5), admin, "member.remove", project, 0, `{"project_id":2,"user_id":23,"role":"vmt"}`, ""),
		// Reviewer membership grants nothing, and its removal closes nothing.
		ev(hours(6), admin, "member.set", project, 0, "", `{"project_id":2,"user_id":24,"role":"reviewer"}`),
		ev(hours(6), admin, "member.remove", project, 0, `{"project_id":2,"user_id":24,"role":"reviewer"}`, ""),
		ev(hours(6), admin, "member.remove", 3, 0, `{"project_id":3,"user_id":22,"role":"vmt"}`, ""),
		// Another report goes public: nothing for this one.
		ev(hours(6.5), admin, "report.transition", project, 11, `{"visibility":"private"}`, `{"visibility":"public"}`),
		// This one goes public, once.
		ev(hours(7), 20, "report.transition", project, report, `{"status":"new","visibility":"private"}`, `{"status":"wont_fix","visibility":"public"}`),
		ev(hours(8), 20, "subscription.add", project, report, "", `{"user_id":31,"visibility":"public"}`),
	}
	want := []string{
		entry("user", 20, ExtentVMT, hours(0), ptr(hours(2)), admin),
		entry("admins", 0, ExtentAdmin, hours(0), nil, 0),
		entry("user", reporter, ExtentReporter, hours(0), nil, reporter),
		entry("user", 23, ExtentVMT, hours(1), ptr(hours(5)), admin),
		entry("user", 30, ExtentSubscribed, hours(3), ptr(hours(4)), 23),
		entry("user", 30, ExtentSubscribed, hours(5), nil, 23),
		entry("everyone", 0, ExtentPublic, hours(7), nil, 20),
		entry("user", 31, ExtentSubscribed, hours(8), nil, 20),
	}
	checkExtent(t, DisclosureExtent(r, events), want)
	// With comments and edits among them, and with only the events
	// ExtentReads keeps (what the store reads for the page), the extent
	// is the same.
	noisy := slices.Clone(events)
	for i := range 5 {
		noisy = append(noisy,
			ev(hours(9+float64(i)), 20, "comment.add", project, report, "", `{"body":"\"visibility\":\"public\""}`),
			ev(hours(9+float64(i)), 20, "report.update", project, report, `{"affected_versions":"3.1"}`, `{"affected_versions":"3.2"}`))
	}
	checkExtent(t, DisclosureExtent(r, noisy), want)
	kept := slices.DeleteFunc(slices.Clone(noisy), func(e *AuditEvent) bool { return !ExtentReads(e) })
	for _, e := range kept {
		if e.Action == "comment.add" || e.Action == "report.update" {
			t.Errorf("ExtentReads kept a %s event", e.Action)
		}
	}
	checkExtent(t, DisclosureExtent(r, kept), want)
}

func TestDisclosureExtentCreateGrants(t *testing.T) {
	r := &Report{ID: 1, ProjectID: 1, ReporterID: 9, CreatedAt: extentT0}
	// The creator may be someone filing on the reporter's behalf.
	got := DisclosureExtent(r, []*AuditEvent{ev(hours(0), 4, "report.create", 1, 1, "", `{"visibility":"private"}`)})
	checkExtent(t, got, []string{
		entry("admins", 0, ExtentAdmin, hours(0), nil, 0),
		entry("user", 9, ExtentReporter, hours(0), nil, 4),
	})
	if got := DisclosureExtent(r, nil); len(got) != 0 {
		t.Errorf("no events: %v", got)
	}
	// Another report's creation grants nothing here.
	if got := DisclosureExtent(r, []*AuditEvent{ev(hours(0), 4, "report.create", 1, 2, "", `{}`)}); len(got) != 0 {
		t.Errorf("other report: %v", got)
	}
}

// TestDisclosureExtentRemovalShiftsEntries removes a pre-creation grant that
// sits before others, so later revocations must find the shifted entries.
func TestDisclosureExtentRemovalShiftsEntries(t *testing.T) {
	r := &Report{ID: 1, ProjectID: 1, ReporterID: 9, CreatedAt: extentT0}
	got := DisclosureExtent(r, []*AuditEvent{
		ev(hours(-3), 1, "member.set", 1, 0, "", `{"user_id":40,"role":"vmt"}`),
		ev(hours(-2), 1, "member.set", 1, 0, "", `{"user_id":41,"role":"vmt"}`),
		ev(hours(-2), 1, "member.set", 1, 0, "", `{"user_id":42,"role":"vmt"}`),
		ev(hours(-1), 1, "member.remove", 1, 0, `{"user_id":40,"role":"vmt"}`, ""),
		ev(hours(0), 9, "report.create", 1, 1, "", `{}`),
		ev(hours(1), 1, "member.remove", 1, 0, `{"user_id":42,"role":"vmt"}`, ""),
		ev(hours(2), 1, "member.set", 1, 0, `{"user_id":41,"role":"vmt"}`, `{"user_id":41,"role":"committee"}`),
	})
	checkExtent(t, got, []string{
		entry("user", 41, ExtentVMT, hours(0), ptr(hours(2)), 1),
		entry("user", 42, ExtentVMT, hours(0), ptr(hours(1)), 1),
		entry("admins", 0, ExtentAdmin, hours(0), nil, 0),
		entry("user", 9, ExtentReporter, hours(0), nil, 9),
	})
}

// The mail part of the extent: every address of every mail kind that
// carries private content, with the key only when the mail is encrypted
// (a private list is signed only, whatever key it gave); the reminders,
// escalations, address proofs and announcements are not in it; a kind
// not declared free of private content is counted.
func TestMailExtent(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	done := at.Add(time.Minute)
	item := func(kind string, m NoticeMail, state OutboxState) *OutboxItem {
		b, _ := json.Marshal(m)
		o := &OutboxItem{Key: kind + ":" + m.Recipient, Kind: kind, ReportID: 1, Payload: b, State: state, CreatedAt: at}
		if state == OutboxDone {
			o.DoneAt = &done
		}
		return o
	}
	items := []*OutboxItem{
		item(KindNotice, NoticeMail{Recipient: "stakeholder:1", Organisation: "Distro", To: []string{"a@d.example", "b@d.example"},
			PublicKey: "KEY", Fingerprint: "FP1"}, OutboxDone),
		item(KindNotice, NoticeMail{Recipient: "list:embargo", Rules: ListPrivate, To: []string{"e@l.example"}, PublicKey: "KEY", Fingerprint: "FP2"}, OutboxPending),
		item(KindNotice, NoticeMail{Recipient: "list:distros", Rules: ListLinuxDistros, To: []string{"d@l.example"}, PublicKey: "KEY", Fingerprint: "FP3"}, OutboxFailed),
		item(KindReminder, NoticeMail{Recipient: KindReminder, To: []string{"coord@example.org"}}, OutboxDone),
		item(KindEscalation, NoticeMail{Recipient: KindEscalation, To: []string{"ttx@example.org"}}, OutboxDone),
		item(KindPublicationMail, NoticeMail{Recipient: "announce", To: []string{"announce@example.org"}}, OutboxDone),
		item(KindEmailProof, NoticeMail{Recipient: "proof", To: []string{"me@example.org"}}, OutboxDone),
		item(KindWebhook, NoticeMail{Recipient: "hook", To: []string{"hook@example.org"}}, OutboxDone),
	}
	ex, err := MailExtent(items)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		addr, fp, state string
		enc             bool
		since           time.Time
	}
	var got []row
	for _, e := range ex {
		got = append(got, row{e.Mail.Address, e.Mail.Fingerprint, e.Mail.State, e.Mail.Encrypted, e.Since})
	}
	want := []row{{"a@d.example", "FP1", "delivered", true, done}, {"b@d.example", "FP1", "delivered", true, done},
		{"e@l.example", "", "pending", false, at}, {"d@l.example", "FP3", "failed", true, at}}
	if !slices.Equal(got, want) {
		t.Errorf("MailExtent:\n got %+v\nwant %+v", got, want)
	}
	for _, k := range MailKinds() {
		declared := k == KindReminder || k == KindEscalation || k == KindEmailProof || k == KindInvite || k == KindPublicationMail || k == KindNotificationLink
		if CarriesPrivate(k) == declared {
			t.Errorf("mail kind %s: CarriesPrivate %v", k, CarriesPrivate(k))
		}
	}
	for _, e := range WithholdAddresses(ex) {
		if e.Mail.Address != "" || !e.Mail.Withheld || e.Mail.Recipient == "" {
			t.Errorf("withheld: %+v", *e.Mail)
		}
	}
	if ex[0].Mail.Address == "" {
		t.Error("WithholdAddresses changed its argument")
	}
}
