package app_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/render"
)

// TestStepsDoneByVMT: the steps the process makes due with a decision are
// done with it (issue 12, items 6 and 7): the incomplete message at
// Incomplete, the confirmer as coordinator, the committee subscribed to
// the impact text it must approve, Triaged at the second approval with
// the advisory drafted from the record, In Progress with the CVE request.
func TestStepsDoneByVMT(t *testing.T) {
	w := newImpactWorld(t, "sqlite")
	ctx, coord, id := context.Background(), w.people["coord"], w.reportID

	v, err := w.svc.Report(ctx, coord, id)
	must(t, err)
	if v.CoordinatorID != coord.ID() {
		t.Errorf("confirmed by %d, the coordinator is %d", coord.ID(), v.CoordinatorID)
	}

	// A new committee member of the project, not subscribed by anyone,
	// reads the text once it is up for approval and approves it.
	late, err := w.svc.CreateUser(ctx, w.admin, vmt.UserInput{Email: "late@example.org", Role: vmt.RoleCommittee})
	must(t, err)
	p, err := w.svc.Project(ctx, w.admin, "p")
	must(t, err)
	must(t, w.svc.SetMember(ctx, w.admin, vmt.Member{ProjectID: p.ID, UserID: late.ID, Role: vmt.MemberCommittee}))
	lateActor := vmt.Actor{User: late}
	_, err = w.svc.Report(ctx, lateActor, id)
	wantCode(t, "a committee member before the impact text", err, vmt.ENOTFOUND)
	_, err = w.svc.DraftImpact(ctx, coord, id, false)
	must(t, err)
	if _, err := w.svc.Report(ctx, lateActor, id); err != nil {
		t.Fatalf("a committee member of the project cannot read the impact text up for approval: %v", err)
	}
	events, err := w.svc.ReportAudit(ctx, coord, id)
	must(t, err)
	subscribed := false
	for _, e := range events {
		if e.Action == vmt.AuditSubscriptionAdd && strings.Contains(string(e.After), `"because":"impact_review"`) &&
			strings.Contains(string(e.After), `"user_id":`+strconv.FormatInt(late.ID, 10)) {
			subscribed = true
		}
	}
	if !subscribed {
		t.Errorf("the committee's subscription at the impact text is not audited")
	}

	_, err = w.svc.ApproveImpact(ctx, w.people["reporter"], id)
	must(t, err)
	_, err = w.svc.ApproveImpact(ctx, lateActor, id)
	must(t, err)
	v, err = w.svc.Report(ctx, coord, id)
	must(t, err)
	if v.Status != vmt.StatusTriaged {
		t.Fatalf("after both approvals: %s, want Triaged", v.Status)
	}
	docs, err := w.svc.ReportAdvisories(ctx, coord, id)
	must(t, err)
	if len(docs) != 1 || docs[0].State != vmt.AdvisoryDraft || docs[0].Kind != vmt.KindAdvisory ||
		!strings.Contains(docs[0].Description, "A symlink in the shared directory") {
		t.Fatalf("at Triaged the report's documents are %+v, want one advisory draft made from the record", docs)
	}
	events, err = w.svc.ReportAudit(ctx, coord, id)
	must(t, err)
	var moved *vmt.AuditEvent
	for _, e := range events {
		if e.Action == vmt.AuditReportTransition && strings.Contains(string(e.After), `"triaged"`) {
			moved = e
		}
	}
	if moved == nil || moved.ActorID != 0 {
		t.Errorf("the move to Triaged is audited as %+v, want a transition by the system (actor 0)", moved)
	}

	// The record is kept once: a CVE recorded on the report after the
	// draft is in the draft, with no edit of the document.
	cves := []string{"CVE-2026-12345"}
	_, err = w.svc.UpdateReport(ctx, coord, id, vmt.ReportPatch{CVEs: &cves})
	must(t, err)
	docs, err = w.svc.ReportAdvisories(ctx, coord, id)
	must(t, err)
	if len(docs[0].CVEs) != 1 || docs[0].CVEs[0] != "CVE-2026-12345" {
		t.Errorf("after the CVE was recorded the draft's CVEs are %v", docs[0].CVEs)
	}
	// ... and goes into a comment, as VMT.md says.
	cs, err := w.svc.Comments(ctx, w.people["reporter"], id)
	must(t, err)
	if len(cs) == 0 || cs[len(cs)-1].Body != "CVE assigned: CVE-2026-12345." {
		t.Errorf("no comment with the CVE: %+v", cs)
	}

	// Sent back and triaged again, it keeps the draft being edited.
	_, err = w.svc.Transition(ctx, coord, id, vmt.TransitionInput{To: vmt.StatusConfirmed, Reason: "one more look"})
	must(t, err)
	_, err = w.svc.Transition(ctx, coord, id, vmt.TransitionInput{To: vmt.StatusTriaged})
	must(t, err)
	docs, err = w.svc.ReportAdvisories(ctx, coord, id)
	must(t, err)
	if len(docs) != 1 {
		t.Errorf("triaged twice, the report has %d documents, want 1", len(docs))
	}

	v, err = w.svc.RecordCVERequest(ctx, coord, id)
	must(t, err)
	if v.Status != vmt.StatusInProgress || v.CVERequestedAt == nil {
		t.Errorf("after the CVE request: %s (requested %v), want In Progress", v.Status, v.CVERequestedAt)
	}
}

// TestReviewersSubscribedForPatches: confirming a private report
// subscribes the project's core security reviewers ("added to the
// subscription list" for patch development); so does Opinion, where they
// decide on a note.
func TestReviewersSubscribedForPatches(t *testing.T) {
	w := newImpactWorld(t, "sqlite")
	ctx, coord := context.Background(), w.people["coord"]
	p, err := w.svc.Project(ctx, w.admin, "p")
	must(t, err)
	rev, err := w.svc.CreateUser(ctx, w.admin, vmt.UserInput{Email: "core@example.org", Role: vmt.RoleReviewer})
	must(t, err)
	must(t, w.svc.SetMember(ctx, w.admin, vmt.Member{ProjectID: p.ID, UserID: rev.ID, Role: vmt.MemberReviewer}))
	reviewer := vmt.Actor{User: rev}
	for _, tt := range []struct {
		class string
		to    vmt.Status
	}{{"A", vmt.StatusConfirmed}, {"B1", vmt.StatusOpinion}} {
		r, err := w.svc.CreateReport(ctx, w.people["other-reporter"], vmt.ReportInput{Project: "p", Title: "Bug " + tt.class, Description: "Odd."})
		must(t, err)
		_, err = w.svc.Report(ctx, reviewer, r.ID)
		wantCode(t, "a reviewer before "+string(tt.to), err, vmt.ENOTFOUND)
		_, err = w.svc.Classify(ctx, coord, r.ID, tt.class)
		must(t, err)
		_, err = w.svc.Transition(ctx, coord, r.ID, vmt.TransitionInput{To: tt.to})
		must(t, err)
		if _, err := w.svc.Report(ctx, reviewer, r.ID); err != nil {
			t.Errorf("the project's reviewer cannot read a report at %s: %v", tt.to, err)
		}
	}
}

// TestIncompletePostsTheMessage: a new report set Incomplete gets the
// project's reception-incomplete message as the coordinator's comment
// (its own text when it has one); a report sent back to Incomplete from
// Confirmed does not (it is no longer at reception).
func TestIncompletePostsTheMessage(t *testing.T) {
	w := newImpactWorld(t, "sqlite")
	ctx, coord := context.Background(), w.people["coord"]
	shipped, err := render.Hooks().Incomplete(nil, "p")
	must(t, err)
	r, err := w.svc.CreateReport(ctx, w.people["other-reporter"], vmt.ReportInput{Project: "p", Title: "Unclear", Description: "Something odd."})
	must(t, err)
	_, err = w.svc.Transition(ctx, coord, r.ID, vmt.TransitionInput{To: vmt.StatusIncomplete})
	must(t, err)
	cs, err := w.svc.Comments(ctx, w.people["other-reporter"], r.ID)
	must(t, err)
	if len(cs) != 1 || cs[0].Body != shipped || cs[0].AuthorID != coord.ID() {
		t.Fatalf("comments after Incomplete: %+v, want the shipped message by the coordinator:\n%s", cs, shipped)
	}

	_, err = w.svc.SetProjectTemplate(ctx, coord, "p", "reception-incomplete", "We need more about {{.Project}}.")
	must(t, err)
	r2, err := w.svc.CreateReport(ctx, w.people["other-reporter"], vmt.ReportInput{Project: "p", Title: "Unclear too", Description: "Odd."})
	must(t, err)
	_, err = w.svc.Transition(ctx, coord, r2.ID, vmt.TransitionInput{To: vmt.StatusIncomplete})
	must(t, err)
	cs, err = w.svc.Comments(ctx, coord, r2.ID)
	must(t, err)
	if len(cs) != 1 || cs[0].Body != "We need more about p." {
		t.Errorf("with the project's own text: %+v", cs)
	}

	_, err = w.svc.Transition(ctx, coord, w.reportID, vmt.TransitionInput{To: vmt.StatusIncomplete})
	must(t, err)
	cs, err = w.svc.Comments(ctx, coord, w.reportID)
	must(t, err)
	if len(cs) != 0 {
		t.Errorf("Confirmed sent back to Incomplete posted %d comments", len(cs))
	}
	wantCode(t, "the reporter posting the VMT's message", w.svc.PostIncompleteMessage(ctx, w.people["other-reporter"], r.ID), vmt.EFORBIDDEN)
}

// TestClosingTellsTheReporter: a report closed as Invalid or Won't Fix
// gets the coordinator's comment saying so and why, which its reporter
// reads (the reason is otherwise only in the audit log, which they do
// not); a move that closes nothing posts none.
func TestClosingTellsTheReporter(t *testing.T) {
	w := newImpactWorld(t, "sqlite")
	ctx, coord, reporter := context.Background(), w.people["coord"], w.people["other-reporter"]
	for _, tt := range []struct {
		class     string
		in        vmt.TransitionInput
		want      []string // parts of the one comment; nil for none
		notWanted string
	}{
		{"E", vmt.TransitionInput{To: vmt.StatusInvalid, Reason: "Reading one's own limits is intended."},
			[]string{"Closed as Invalid", "not a bug or vulnerability", "Why: Reading one's own limits is intended."}, "hardening"},
		{"D", vmt.TransitionInput{To: vmt.StatusWontFix, Reason: "Not in our plans.", Hardening: true},
			[]string{"Closed as Won't Fix", "Why: Not in our plans.", "security hardening opportunity"}, ""},
		{"Z", vmt.TransitionInput{To: vmt.StatusInvalid}, []string{"Closed as Invalid"}, "Why:"},
		{"B1", vmt.TransitionInput{To: vmt.StatusOpinion, Reason: "a note at most"}, nil, ""},
	} {
		r, err := w.svc.CreateReport(ctx, reporter, vmt.ReportInput{Project: "p", Title: "Report " + tt.class, Description: "Odd."})
		must(t, err)
		_, err = w.svc.Classify(ctx, coord, r.ID, tt.class)
		must(t, err)
		_, err = w.svc.Transition(ctx, coord, r.ID, tt.in)
		must(t, err)
		cs, err := w.svc.Comments(ctx, reporter, r.ID)
		must(t, err)
		if tt.want == nil {
			if len(cs) != 0 {
				t.Errorf("%s to %s: %d comments, want none", tt.class, tt.in.To, len(cs))
			}
			continue
		}
		if len(cs) != 1 || cs[0].AuthorID != coord.ID() {
			t.Fatalf("%s to %s: comments %+v, want one by the coordinator", tt.class, tt.in.To, cs)
		}
		for _, part := range tt.want {
			if !strings.Contains(cs[0].Body, part) {
				t.Errorf("%s to %s: the comment %q lacks %q", tt.class, tt.in.To, cs[0].Body, part)
			}
		}
		if tt.notWanted != "" && strings.Contains(cs[0].Body, tt.notWanted) {
			t.Errorf("%s to %s: the comment %q has %q", tt.class, tt.in.To, cs[0].Body, tt.notWanted)
		}
	}
}

// TestTransitionClassifies: a move with a class classifies the report in
// the same action, before the guards (a report that is not a
// vulnerability closed in one action), audited in the move's event; a
// refused move leaves the class as it was, and an unknown class is
// EINVALID on class.
func TestTransitionClassifies(t *testing.T) {
	w := newImpactWorld(t, "sqlite")
	ctx, coord, reporter := context.Background(), w.people["coord"], w.people["other-reporter"]
	r, err := w.svc.CreateReport(ctx, reporter, vmt.ReportInput{Project: "p", Title: "Not a bug", Description: "Odd."})
	must(t, err)

	_, err = w.svc.Transition(ctx, coord, r.ID, vmt.TransitionInput{To: vmt.StatusInvalid, Class: "X9"})
	if vmt.ErrorField(err) != "class" || vmt.ErrorCode(err) != vmt.EINVALID {
		t.Errorf("an unknown class: %v, want EINVALID on class", err)
	}
	_, err = w.svc.Transition(ctx, coord, r.ID, vmt.TransitionInput{To: vmt.StatusInvalid, Class: "D"})
	wantCode(t, "Invalid with class D", err, vmt.ECONFLICT)
	v, err := w.svc.Report(ctx, coord, r.ID)
	must(t, err)
	if v.Class != "" || v.Status != vmt.StatusNew {
		t.Fatalf("after a refused move: class %q, status %s; want unset, new", v.Class, v.Status)
	}

	v, err = w.svc.Transition(ctx, coord, r.ID, vmt.TransitionInput{To: vmt.StatusInvalid, Class: "E", Reason: "Intended."})
	must(t, err)
	if v.Class != "E" || v.Status != vmt.StatusInvalid || v.Visibility != vmt.Public {
		t.Errorf("after Invalid with class E: class %q, %s, %s; want E, invalid, public", v.Class, v.Status, v.Visibility)
	}
	events, err := w.svc.ReportAudit(ctx, coord, r.ID)
	must(t, err)
	var moved *vmt.AuditEvent
	for _, e := range events {
		if e.Action == vmt.AuditReportTransition {
			moved = e
		}
	}
	if moved == nil || !strings.Contains(string(moved.After), `"class":"E"`) || strings.Contains(string(moved.Before), `"class":"E"`) {
		t.Errorf("the move's audit event does not record the class set: %+v", moved)
	}
}
