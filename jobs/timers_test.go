package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// member creates a user and makes them role in project p.
func (w *world) member(email string, role vmt.MemberRole) vmt.Actor {
	ctx := context.Background()
	urole := vmt.RoleCommittee
	if role == vmt.MemberVMT {
		urole = vmt.RoleVMT
	}
	u, err := w.svc.CreateUser(ctx, w.admin, vmt.UserInput{Email: email, Name: email, Role: urole})
	must(w.t, err)
	must(w.t, w.svc.SetMember(ctx, w.admin, vmt.Member{ProjectID: w.project.ID, UserID: u.ID, Role: role}))
	return vmt.Actor{User: u}
}

// events returns the audit events of action, in order.
func (w *world) events(action string) []*vmt.AuditEvent {
	var out []*vmt.AuditEvent
	for e, err := range w.store.AuditLog(context.Background()) {
		must(w.t, err)
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// A private report embargoed past the project's limit is raised for going
// public by the worker's round, once, even with a second instance running
// the same round; the architecture committee is subscribed and may then
// read it; the disclosure extent shows them. A report under the limit, or
// public, is left alone.
func TestEmbargoRaisedPastTheLimit(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			committee := w.member("arch@example.org", vmt.MemberCommittee)
			set, err := w.svc.DisclosureSettingsOf(ctx, w.coord, "p")
			must(t, err)
			if set.EmbargoLimitDays != 14 {
				t.Errorf("default embargo limit %d days, want 14", set.EmbargoLimitDays)
			}
			old := w.readyReport("Old overflow")
			w.clock.Add(5 * 24 * time.Hour)
			young := w.readyReport("Young overflow")
			if _, err := w.svc.Report(ctx, committee, old.ID); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Fatalf("the committee sees the private report before it is raised: %v", err)
			}
			other := w.worker(w.service(w.open())) // a second instance on the same database
			w.clock.Add(9*24*time.Hour - time.Minute)
			must(t, w.worker(w.svc).Watch(ctx))
			if n := len(w.events("report.embargo_raised")); n != 0 {
				t.Fatalf("raised %d reports a minute before the limit", n)
			}
			w.clock.Add(time.Minute) // 14 days since the old report came in
			// The two instances at once, three rounds.
			for range 3 {
				errs := make(chan error, 2)
				go func() { errs <- w.worker(w.svc).Watch(ctx) }()
				go func() { errs <- other.Watch(ctx) }()
				must(t, <-errs)
				must(t, <-errs)
			}
			evs := w.events("report.embargo_raised")
			if len(evs) != 1 || evs[0].ReportID != old.ID {
				t.Fatalf("embargo_raised events: %d (want one, for report %d)", len(evs), old.ID)
			}
			v, err := w.svc.Report(ctx, committee, old.ID)
			if err != nil {
				t.Fatalf("the committee cannot read the raised report: %v", err)
			}
			if v.EmbargoRaisedAt == nil || !v.EmbargoRaisedAt.Equal(w.clock.Now()) {
				t.Errorf("embargo_raised_at = %v, want %v", v.EmbargoRaisedAt, w.clock.Now())
			}
			if _, err := w.svc.Report(ctx, committee, young.ID); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("the committee sees the young report: %v", err)
			}
			ext, err := w.svc.Extent(ctx, w.coord, old.ID)
			must(t, err)
			found := false
			for _, e := range ext {
				found = found || e.UserID == committee.ID() && e.Reason == vmt.ExtentSubscribed && e.Since.Equal(w.clock.Now())
			}
			if !found {
				t.Errorf("the extent does not show the committee member let in: %+v", ext)
			}

			// A project limit of 3 days: the young report, 9 days old, is
			// raised at the next round; a bad limit is refused by name.
			set.EmbargoLimitDays = 3
			_, err = w.svc.SetDisclosureSettings(ctx, w.coord, "p", *set)
			must(t, err)
			must(t, w.worker(w.svc).Watch(ctx))
			if n := len(w.events("report.embargo_raised")); n != 2 {
				t.Errorf("after the limit went to 3 days: %d raised, want 2", n)
			}
			set.EmbargoLimitDays = 91
			if _, err := w.svc.SetDisclosureSettings(ctx, w.coord, "p", *set); vmt.ErrorField(err) != "embargo_limit_days" {
				t.Errorf("a limit past the maximum: %v", err)
			}
		})
	}
}

// Stage timers: past the limit of its status the coordinator of a report
// is reminded by a signed mail, once; after the escalation period the
// project's escalation contacts are told, once; a new status starts the
// timers again. The mails name no detail of the embargoed report.
func TestStageTimersRemindThenEscalate(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			set, err := w.svc.DisclosureSettingsOf(ctx, w.coord, "p")
			must(t, err)
			set.Timers = vmt.StageTimers{LimitDays: map[vmt.Status]int{vmt.StatusNew: 2, vmt.StatusIncomplete: 7},
				EscalateAfterDays: 3, EscalationContacts: []string{"ttx@foundation.example"}}
			_, err = w.svc.SetDisclosureSettings(ctx, w.coord, "p", *set)
			must(t, err)
			bad := *set
			bad.Timers.LimitDays = map[vmt.Status]int{vmt.StatusFixReleased: 3}
			if _, err := w.svc.SetDisclosureSettings(ctx, w.coord, "p", bad); vmt.ErrorField(err) != "timers.limit_days.fix_released" {
				t.Errorf("a timer on a closed status: %v", err)
			}

			v, err := w.svc.CreateReport(ctx, w.coord, vmt.ReportInput{Project: "p", Title: "Secret title of an embargoed bug",
				Description: "It overflows.", Components: []string{"agent"}})
			must(t, err)
			_, err = w.svc.Assign(ctx, w.coord, v.ID, w.coord.ID())
			must(t, err)
			wk := w.worker(w.svc)
			other := w.worker(w.service(w.open()))
			round := func() {
				t.Helper()
				must(t, wk.Watch(ctx))
				must(t, other.Watch(ctx))
				_, err := wk.Deliver(ctx)
				must(t, err)
			}
			kinds := func() map[string]int {
				items, err := w.svc.Outbox(ctx, w.coord, v.ID)
				must(t, err)
				out := map[string]int{}
				for _, o := range items {
					out[o.Kind]++
					if o.State != vmt.OutboxDone {
						t.Errorf("%s is %s (%s)", o.Key, o.State, o.LastError)
					}
				}
				return out
			}
			w.clock.Add(47 * time.Hour)
			round()
			if k := kinds(); len(k) != 0 {
				t.Fatalf("mail before the limit: %v", k)
			}
			w.clock.Add(time.Hour)
			round()
			round()
			if k := kinds(); k[vmt.KindReminder] != 1 || k[vmt.KindEscalation] != 0 {
				t.Fatalf("at the limit: %v, want one reminder", k)
			}
			msgs := w.srv.Messages()
			if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != "coord@example.org" {
				t.Fatalf("the reminder went to %+v", msgs)
			}
			if m := string(msgs[0].Data); !strings.Contains(m, "multipart/signed") || !strings.Contains(m, "Reminder: report") ||
				strings.Contains(m, "Secret title") {
				t.Errorf("the reminder is not a signed mail naming the report by number only:\n%s", m)
			}
			w.clock.Add(3*24*time.Hour - time.Minute)
			round()
			if k := kinds(); k[vmt.KindEscalation] != 0 {
				t.Fatalf("escalated before the period: %v", k)
			}
			w.clock.Add(time.Minute)
			round()
			round()
			if k := kinds(); k[vmt.KindReminder] != 1 || k[vmt.KindEscalation] != 1 {
				t.Fatalf("after the escalation period: %v", k)
			}
			msgs = w.srv.Messages()
			if last := msgs[len(msgs)-1]; last.To[0] != "ttx@foundation.example" || strings.Contains(string(last.Data), "Secret title") {
				t.Errorf("the escalation went to %v, or names the report's title", last.To)
			}

			// A new status: the timers start again, from the move.
			_, err = w.svc.Transition(ctx, w.coord, v.ID, vmt.TransitionInput{To: vmt.StatusIncomplete, Reason: "need a reproducer"})
			must(t, err)
			r, err := w.svc.Report(ctx, w.coord, v.ID)
			must(t, err)
			if !r.StatusSince.Equal(w.clock.Now()) || r.StageRemindedAt != nil || r.StageEscalatedAt != nil {
				t.Errorf("after the move: since %v reminded %v escalated %v", r.StatusSince, r.StageRemindedAt, r.StageEscalatedAt)
			}
			w.clock.Add(7 * 24 * time.Hour)
			round()
			round()
			if k := kinds(); k[vmt.KindReminder] != 2 {
				t.Errorf("a week in Incomplete: %v, want a second reminder", k)
			}
			if n := len(w.events("report.stage_reminder")); n != 2 {
				t.Errorf("%d reminders audited, want 2", n)
			}
			if n := len(w.events("report.stage_escalated")); n != 1 {
				t.Errorf("%d escalations audited, want 1", n)
			}
		})
	}
}

// The reporter's requested date is the disclosure date, later or earlier
// than the policy's; one past the hard maximum is refused until a
// coordinator overrides it with a reason, which is recorded and audited.
func TestReporterTermsWinUnlessOverridden(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			w.stakeholder("Distro", false)
			request := func(r *vmt.Report, date string) error {
				_, err := w.svc.UpdateReport(ctx, w.coord, r.ID, vmt.ReportPatch{RequestedDisclosureAt: &date})
				return err
			}
			policy, err := w.svc.SendNotice(ctx, w.coord, w.readyReport("No terms").ID)
			must(t, err)

			later := w.readyReport("Later")
			must(t, request(later, "2026-03-20"))
			res, err := w.svc.SendNotice(ctx, w.coord, later.ID)
			must(t, err)
			if want := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC); !res.Disclosure.Equal(want) || !res.Disclosure.After(policy.Disclosure) {
				t.Errorf("a later requested date: disclosure %v, want %v (the policy gives %v)", res.Disclosure, want, policy.Disclosure)
			}

			earlier := w.readyReport("Earlier")
			must(t, request(earlier, "2026-03-03T15:00:00Z"))
			res, err = w.svc.SendNotice(ctx, w.coord, earlier.ID)
			must(t, err)
			if want := time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC); !res.Disclosure.Equal(want) {
				t.Errorf("an earlier requested date: disclosure %v, want %v", res.Disclosure, want)
			}

			if err := request(earlier, "2026-04-01"); vmt.ErrorCode(err) != vmt.ECONFLICT {
				t.Errorf("changing the date after the notice: %v", err)
			}
			if err := request(w.readyReport("Past"), "2026-03-01"); vmt.ErrorField(err) != "requested_disclosure_at" {
				t.Errorf("a date in the past: %v", err)
			}
			if err := request(w.readyReport("Garbage"), "next week"); vmt.ErrorField(err) != "requested_disclosure_at" {
				t.Errorf("a date that is not one: %v", err)
			}

			far := w.readyReport("Far")
			must(t, request(far, "2026-12-24"))
			if _, err := w.svc.SendNotice(ctx, w.coord, far.ID); vmt.ErrorCode(err) != vmt.ECONFLICT || vmt.ErrorField(err) != "requested_disclosure_at" {
				t.Fatalf("a date past the hard maximum without override: %v", err)
			}
			if _, err := w.svc.SendNoticeWith(ctx, w.coord, w.readyReport("Nothing to override").ID, vmt.NoticeInput{OverrideReason: "x"}); vmt.ErrorField(err) != "override_reason" {
				t.Errorf("an override without terms: %v", err)
			}
			res, err = w.svc.SendNoticeWith(ctx, w.coord, far.ID, vmt.NoticeInput{OverrideReason: "  past the 90-day maximum; the reporter agreed by mail  "})
			must(t, err)
			if !res.Disclosure.Equal(policy.Disclosure) {
				t.Errorf("overridden: disclosure %v, want the policy's %v", res.Disclosure, policy.Disclosure)
			}
			r, err := w.svc.Report(ctx, w.coord, far.ID)
			must(t, err)
			o := r.TermsOverride
			if o == nil || o.Reason != "past the 90-day maximum; the reporter agreed by mail" || o.By != w.coord.ID() ||
				!o.Requested.Equal(time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC)) || !o.Used.Equal(policy.Disclosure) {
				t.Errorf("the recorded override: %+v", o)
			}
			if evs := w.events("report.terms_override"); len(evs) != 1 || evs[0].ReportID != far.ID || evs[0].ActorID != w.coord.ID() {
				t.Errorf("terms_override events: %+v", evs)
			}
		})
	}
}

// After the notice the VMT may let a stakeholder's account read the
// report: it then sees it, an account not granted still gets ENOTFOUND,
// the extent shows the grant from when it was made and until it was
// revoked, and after the revocation the account is out again.
func TestStakeholderAccessGrant(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			w.stakeholder("Distro", false) // contact distro@distro.example
			w.stakeholder("Other", false)
			account := func(email string) vmt.Actor {
				u, err := w.svc.CreateUser(ctx, w.admin, vmt.UserInput{Email: email, Name: email, Role: vmt.RoleStakeholder, EmailProven: true})
				must(t, err)
				return vmt.Actor{User: u}
			}
			distro, other, stranger := account("distro@distro.example"), account("other@distro.example"), account("who@else.example")
			r := w.readyReport("Overflow")
			grant := func(u vmt.Actor) error {
				_, err := w.svc.GrantStakeholder(ctx, w.coord, r.ID, vmt.GrantInput{UserID: u.ID()})
				return err
			}
			if err := grant(distro); vmt.ErrorCode(err) != vmt.ECONFLICT {
				t.Errorf("a grant before the notice: %v", err)
			}
			_, err := w.svc.SendNotice(ctx, w.coord, r.ID)
			must(t, err)
			if _, err := w.svc.GrantStakeholder(ctx, distro, r.ID, vmt.GrantInput{UserID: distro.ID()}); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("a stakeholder granting itself: %v", err)
			}
			if err := grant(stranger); vmt.ErrorField(err) != "user_id" {
				t.Errorf("a grant to an account of no stakeholder: %v", err)
			}
			w.clock.Add(time.Hour)
			granted := w.clock.Now()
			must(t, grant(distro))
			if err := grant(distro); vmt.ErrorCode(err) != vmt.ECONFLICT {
				t.Errorf("a second grant: %v", err)
			}
			if _, err := w.svc.Report(ctx, distro, r.ID); err != nil {
				t.Errorf("the granted account cannot read the report: %v", err)
			}
			for _, u := range []vmt.Actor{other, stranger} {
				if _, err := w.svc.Report(ctx, u, r.ID); vmt.ErrorCode(err) != vmt.ENOTFOUND {
					t.Errorf("%s, not granted: %v, want ENOTFOUND", u.User.Email, err)
				}
			}
			w.clock.Add(time.Hour)
			must(t, w.svc.RevokeStakeholder(ctx, w.coord, r.ID, distro.ID()))
			if _, err := w.svc.Report(ctx, distro, r.ID); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("after the revocation: %v", err)
			}
			ext, err := w.svc.Extent(ctx, w.coord, r.ID)
			must(t, err)
			var e *vmt.ExtentEntry
			for i := range ext {
				if ext[i].UserID == distro.ID() {
					e = &ext[i]
				}
			}
			if e == nil || e.Reason != vmt.ExtentStakeholder || !e.Since.Equal(granted) || e.GrantedBy != w.coord.ID() ||
				e.Until == nil || !e.Until.Equal(w.clock.Now()) {
				t.Errorf("the extent entry of the grant: %+v", e)
			}
			if len(w.events("report.grant")) != 1 || len(w.events("report.grant_revoke")) != 1 {
				t.Error("the grant and its revocation are not both audited")
			}
		})
	}
}

// A reporter's date 20 days away is past what the linux-distros list
// takes (14 days before disclosure): the list's mail waits in the outbox
// and goes out, once, when the list accepts it; the stakeholders' go now.
func TestLinuxDistrosWaitsForItsWindow(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			w.stakeholder("Distro", false)
			set, err := w.svc.DisclosureSettingsOf(ctx, w.coord, "p")
			must(t, err)
			set.Lists = []vmt.NoticeList{{Name: "linux-distros", Address: "distros@vs.example.org", Rules: vmt.ListLinuxDistros,
				PublicKey: string(armored(t, newEntity(t, "Distros"), false))}}
			_, err = w.svc.SetDisclosureSettings(ctx, w.coord, "p", *set)
			must(t, err)
			r := w.readyReport("Overflow")
			date := w.clock.Now().AddDate(0, 0, 20).Format(time.DateOnly)
			_, err = w.svc.UpdateReport(ctx, w.coord, r.ID, vmt.ReportPatch{RequestedDisclosureAt: &date})
			must(t, err)
			res, err := w.svc.SendNotice(ctx, w.coord, r.ID)
			must(t, err)
			wk := w.worker(w.svc)
			_, err = wk.Deliver(ctx)
			must(t, err)
			if got := w.srv.Count([]byte("distros@vs.example.org")); got != 0 || len(w.srv.Messages()) != 1 {
				t.Fatalf("20 days ahead: %d mails, %d to the list; want the stakeholder's only", len(w.srv.Messages()), got)
			}
			opens := res.Disclosure.AddDate(0, 0, -14)
			w.clock.Add(opens.Sub(w.clock.Now()) - time.Minute)
			_, err = wk.Deliver(ctx)
			must(t, err)
			if got := w.srv.Count([]byte("distros@vs.example.org")); got != 0 {
				t.Fatalf("a minute before the list's window: %d mails to it", got)
			}
			w.clock.Add(time.Minute)
			for range 2 {
				_, err = wk.Deliver(ctx)
				must(t, err)
			}
			msgs := w.srv.Messages()
			if len(msgs) != 2 || len(msgs[1].To) != 1 || msgs[1].To[0] != "distros@vs.example.org" {
				t.Fatalf("at 14 days before: %d mails, want the list's once", len(msgs))
			}
			if !strings.Contains(string(msgs[1].Data), "multipart/encrypted") {
				t.Error("the list's mail is not encrypted")
			}
		})
	}
}

// A coordinator may raise a report for going public before its limit, for
// a reason (a complex patch): the committee is subscribed, the reason is
// audited, the worker's round does not raise it again, and a second raise
// or one without a reason is refused.
func TestEmbargoRaisedByHand(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			committee := w.member("arch@example.org", vmt.MemberCommittee)
			r := w.readyReport("Needs a redesign")
			if _, err := w.svc.RaiseEmbargo(ctx, w.coord, r.ID, "  "); vmt.ErrorField(err) != "reason" {
				t.Errorf("a raise without a reason: %v", err)
			}
			if _, err := w.svc.RaiseEmbargo(ctx, committee, r.ID, "x"); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("a raise by the unsubscribed committee: %v", err)
			}
			v, err := w.svc.RaiseEmbargo(ctx, w.coord, r.ID, "the fix needs a complex patch")
			must(t, err)
			if v.EmbargoRaisedAt == nil {
				t.Error("not marked raised")
			}
			if _, err := w.svc.Report(ctx, committee, r.ID); err != nil {
				t.Errorf("the committee cannot read the raised report: %v", err)
			}
			if _, err := w.svc.RaiseEmbargo(ctx, w.coord, r.ID, "again"); vmt.ErrorCode(err) != vmt.ECONFLICT {
				t.Errorf("a second raise: %v", err)
			}
			w.clock.Add(15 * 24 * time.Hour)
			must(t, w.worker(w.svc).Watch(ctx))
			evs := w.events("report.embargo_raised")
			if len(evs) != 1 || evs[0].ActorID != w.coord.ID() || !strings.Contains(string(evs[0].After), "complex patch") {
				t.Errorf("embargo_raised events: %d, want one by the coordinator with the reason", len(evs))
			}
		})
	}
}

// A stakeholder's account told of a report by the notice asks to read it;
// the VMT sees the request and grants it, which closes it. An account of a
// stakeholder not told (or of none), or before the notice, gets ENOTFOUND
// as for a missing report; a second request while one is pending, or one
// from an account that can already read, is a conflict.
func TestStakeholderAsksForAccess(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			w.stakeholder("Distro", false) // distro@distro.example
			account := func(email string) vmt.Actor {
				u, err := w.svc.CreateUser(ctx, w.admin, vmt.UserInput{Email: email, Name: email, Role: vmt.RoleStakeholder, EmailProven: true})
				must(t, err)
				return vmt.Actor{User: u}
			}
			distro, stranger := account("distro@distro.example"), account("who@else.example")
			r := w.readyReport("Overflow")
			if _, err := w.svc.RequestAccess(ctx, distro, r.ID, ""); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("a request before the notice: %v", err)
			}
			_, err := w.svc.SendNotice(ctx, w.coord, r.ID)
			must(t, err)
			for _, id := range []int64{r.ID, 99999} {
				if _, err := w.svc.RequestAccess(ctx, stranger, id, ""); vmt.ErrorCode(err) != vmt.ENOTFOUND {
					t.Errorf("a request by an account told of nothing, report %d: %v", id, err)
				}
			}
			q, err := w.svc.RequestAccess(ctx, distro, r.ID, " we ship the agent ")
			must(t, err)
			if q.Organisation != "Distro" || q.Note != "we ship the agent" {
				t.Errorf("the request: %+v", q)
			}
			if _, err := w.svc.RequestAccess(ctx, distro, r.ID, ""); vmt.ErrorCode(err) != vmt.ECONFLICT {
				t.Errorf("a second pending request: %v", err)
			}
			if _, err := w.svc.AccessRequests(ctx, distro, r.ID); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("the stakeholder reading the requests: %v", err)
			}
			qs, err := w.svc.AccessRequests(ctx, w.coord, r.ID)
			must(t, err)
			if len(qs) != 1 || qs[0].UserID != distro.ID() {
				t.Fatalf("pending requests: %+v", qs)
			}
			_, err = w.svc.GrantStakeholder(ctx, w.coord, r.ID, vmt.GrantInput{UserID: distro.ID()})
			must(t, err)
			if qs, _ := w.svc.AccessRequests(ctx, w.coord, r.ID); len(qs) != 0 {
				t.Errorf("still pending after the grant: %+v", qs)
			}
			if _, err := w.svc.RequestAccess(ctx, distro, r.ID, ""); vmt.ErrorCode(err) != vmt.ECONFLICT {
				t.Errorf("a request from an account that can read: %v", err)
			}
			if n := len(w.events("report.access_request")); n != 1 {
				t.Errorf("%d requests audited, want 1", n)
			}
		})
	}
}
