package app_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/render"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// impactWorld is a project with its VMT coordinator, a report filed by a
// reporter, and one person of every other kind.
type impactWorld struct {
	t        *testing.T
	svc      *app.Service
	admin    vmt.Actor
	people   map[string]vmt.Actor
	reportID int64
}

func newImpactWorld(t *testing.T, engine string) *impactWorld {
	ctx := context.Background()
	svc := app.Must(app.New(app.Deps{
		Store:  sqldbtest.Open(t, engine),
		Hasher: password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		Now:    func() time.Time { return time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC) },
		Log:    slog.New(slog.DiscardHandler),
		Texts:  render.Hooks(),
	}))
	secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"master"}}})
	must(t, err)
	admin, err := svc.Authenticate(ctx, secret)
	must(t, err)
	p, err := svc.Project(ctx, admin, "p")
	must(t, err)
	w := &impactWorld{t: t, svc: svc, admin: admin, people: map[string]vmt.Actor{}}
	for _, u := range []struct {
		name   string
		role   vmt.Role
		member vmt.MemberRole
	}{
		{"coord", vmt.RoleVMT, vmt.MemberVMT}, {"reporter", vmt.RoleReporter, ""}, {"other-reporter", vmt.RoleReporter, ""},
		{"reviewer", vmt.RoleReviewer, vmt.MemberReviewer}, {"committee", vmt.RoleCommittee, vmt.MemberCommittee},
		{"committee-elsewhere", vmt.RoleCommittee, ""}, {"stakeholder", vmt.RoleStakeholder, ""},
		{"admin-on-committee", vmt.RoleAdmin, vmt.MemberCommittee}, {"other-admin", vmt.RoleAdmin, ""},
	} {
		nu, err := svc.CreateUser(ctx, admin, vmt.UserInput{Email: u.name + "@example.org", Role: u.role})
		must(t, err)
		if u.member != "" {
			must(t, svc.SetMember(ctx, admin, vmt.Member{ProjectID: p.ID, UserID: nu.ID, Role: u.member}))
		}
		w.people[u.name] = vmt.Actor{User: nu}
	}
	r, err := svc.CreateReport(ctx, w.people["reporter"], vmt.ReportInput{Project: "p", Title: "Guest reads host files",
		Description: "A symlink in the shared directory is followed on the host.", Components: []string{"runtime", "agent"},
		AffectedVersions: "<3.2.1", Credit: "Rose Reporter (Example Corp)"})
	must(t, err)
	w.reportID = r.ID
	for _, who := range []string{"reviewer", "committee", "stakeholder", "admin-on-committee"} {
		_, err := svc.Subscribe(ctx, w.people["coord"], r.ID, w.people[who].ID())
		must(t, err)
	}
	_, err = svc.Classify(ctx, w.people["coord"], r.ID, "A")
	must(t, err)
	_, err = svc.Transition(ctx, w.people["coord"], r.ID, vmt.TransitionInput{To: vmt.StatusConfirmed})
	must(t, err)
	return w
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := vmt.ErrorCode(err); got != code {
		t.Errorf("%s: %v (code %q), want %q", what, err, got, code)
	}
}

// TestImpactDraftFromTemplate: the draft fills $DESCRIPTION, $COMPONENTS,
// $AFFECTED_VERSIONS and $CREDIT from the report; it does not overwrite a
// text unless asked; a reporter's never-disclose credit is withheld; a
// missing field is refused by name with nothing stored; only the VMT
// drafts.
func TestImpactDraftFromTemplate(t *testing.T) {
	w := newImpactWorld(t, "sqlite")
	ctx, coord, id := context.Background(), w.people["coord"], w.reportID
	v, err := w.svc.DraftImpact(ctx, coord, id, false)
	must(t, err)
	for _, want := range []string{"Title: Guest reads host files", "Reporter: Rose Reporter (Example Corp)", "Components: runtime, agent",
		"Affects: <3.2.1", "A symlink in the shared directory is followed on the host."} {
		if !strings.Contains(v.ImpactDescription, want) {
			t.Errorf("draft lacks %q:\n%s", want, v.ImpactDescription)
		}
	}
	if strings.Contains(v.ImpactDescription, "under embargo") {
		t.Errorf("the draft carries the embargo reminder:\n%s", v.ImpactDescription)
	}
	_, err = w.svc.DraftImpact(ctx, coord, id, false)
	wantCode(t, "a second draft without replace", err, vmt.ECONFLICT)
	_, err = w.svc.DraftImpact(ctx, w.people["reporter"], id, true)
	wantCode(t, "a draft by the reporter", err, vmt.EFORBIDDEN)
	_, err = w.svc.DraftImpact(ctx, w.people["other-reporter"], id, true)
	wantCode(t, "a draft by an outsider", err, vmt.ENOTFOUND)

	_, err = w.svc.UpdateReport(ctx, w.people["reporter"], id, vmt.ReportPatch{NeverDisclose: &[]string{"credit"}})
	must(t, err)
	v, err = w.svc.DraftImpact(ctx, coord, id, true)
	must(t, err)
	if strings.Contains(v.ImpactDescription, "Rose") || !strings.Contains(v.ImpactDescription, "Reporter: withheld at the reporter's request") {
		t.Errorf("never-disclose credit in the draft:\n%s", v.ImpactDescription)
	}

	// The draft follows the record: the reporter lifting the mark brings
	// the credit back into the text nobody has edited.
	empty, none := "", []string{}
	v, err = w.svc.UpdateReport(ctx, w.people["reporter"], id, vmt.ReportPatch{NeverDisclose: &none})
	must(t, err)
	if !strings.Contains(v.ImpactDescription, "Reporter: Rose Reporter (Example Corp)") {
		t.Errorf("the draft did not follow the lifted mark:\n%s", v.ImpactDescription)
	}
	// A record the template cannot render leaves the text as it was.
	v, err = w.svc.UpdateReport(ctx, coord, id, vmt.ReportPatch{Credit: &empty})
	must(t, err)
	if !strings.Contains(v.ImpactDescription, "Reporter: Rose Reporter (Example Corp)") {
		t.Errorf("an emptied credit changed the draft:\n%s", v.ImpactDescription)
	}
	_, err = w.svc.DraftImpact(ctx, coord, id, true)
	if vmt.ErrorCode(err) != vmt.EINVALID || vmt.ErrorField(err) != "impact_description" || !strings.Contains(err.Error(), "Credit") {
		t.Errorf("draft without a credit: %v, want EINVALID naming Credit", err)
	}
	got, err := w.svc.Report(ctx, coord, id)
	must(t, err)
	if got.ImpactDescription != v.ImpactDescription {
		t.Errorf("a refused draft changed the text")
	}

	// A text the coordinator has written is theirs: the record changes
	// under it and it stays.
	mine, later := "The coordinator's own words.\n", ">=3.0.0 <3.2.2"
	_, err = w.svc.UpdateReport(ctx, coord, id, vmt.ReportPatch{ImpactDescription: &mine})
	must(t, err)
	got, err = w.svc.UpdateReport(ctx, coord, id, vmt.ReportPatch{AffectedVersions: &later})
	must(t, err)
	if got.ImpactDescription != mine || got.AffectedVersions() != later {
		t.Errorf("an edited text followed the record: %q (versions %q)", got.ImpactDescription, got.AffectedVersions())
	}
}

// TestImpactApprovalWhoMay: only the reporter and committee members who see
// the report approve, each in the capacity of who they are; every other
// role is refused (hidden reports stay hidden).
func TestImpactApprovalWhoMay(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newImpactWorld(t, engine)
			ctx, id := context.Background(), w.reportID
			_, err := w.svc.ApproveImpact(ctx, w.people["reporter"], id)
			wantCode(t, "approval with no text", err, vmt.ECONFLICT)
			text := "A guest can read host files."
			_, err = w.svc.UpdateReport(ctx, w.people["coord"], id, vmt.ReportPatch{ImpactDescription: &text})
			must(t, err)
			refused := map[string]string{
				"coord": vmt.EFORBIDDEN, "reviewer": vmt.EFORBIDDEN, "stakeholder": vmt.EFORBIDDEN,
				"other-reporter": vmt.ENOTFOUND, "committee-elsewhere": vmt.ENOTFOUND,
				"other-admin": vmt.EFORBIDDEN,
			}
			for who, code := range refused {
				_, err := w.svc.ApproveImpact(ctx, w.people[who], id)
				wantCode(t, who+"'s approval", err, code)
			}
			_, err = w.svc.ApproveImpact(ctx, vmt.Anonymous, id)
			wantCode(t, "an anonymous approval of a private report", err, vmt.ENOTFOUND)

			for who, want := range map[string]vmt.Approver{"reporter": vmt.ApproverReporter, "committee": vmt.ApproverCommittee,
				"admin-on-committee": vmt.ApproverCommittee, "coord": "", "reviewer": "", "stakeholder": "", "other-admin": ""} {
				st, err := w.svc.Impact(ctx, w.people[who], id)
				must(t, err)
				if st.YourCapacity != want {
					t.Errorf("%s's capacity: %q, want %q", who, st.YourCapacity, want)
				}
			}
			st, err := w.svc.ApproveImpact(ctx, w.people["reporter"], id)
			must(t, err)
			if st.Reporter == nil || st.Reporter.UserID != w.people["reporter"].ID() || st.Committee != nil {
				t.Errorf("after the reporter: %+v", st)
			}
			_, err = w.svc.ApproveImpact(ctx, w.people["reporter"], id)
			wantCode(t, "the reporter approving twice", err, vmt.ECONFLICT)
			st, err = w.svc.ApproveImpact(ctx, w.people["admin-on-committee"], id)
			must(t, err)
			if st.Committee == nil || st.Committee.UserID != w.people["admin-on-committee"].ID() || st.Missing() != "" {
				t.Errorf("after a committee member of the project: %+v", st)
			}
			_, err = w.svc.ApproveImpact(ctx, w.people["committee"], id)
			wantCode(t, "a second committee approval of the same text", err, vmt.ECONFLICT)

			// Public now: anyone sees it, still only the two may approve.
			_, err = w.svc.MakePublic(ctx, w.people["coord"], id, "discussed in the open")
			must(t, err)
			_, err = w.svc.ApproveImpact(ctx, vmt.Anonymous, id)
			wantCode(t, "an anonymous approval of a public report", err, vmt.EUNAUTHENTICATED)
			_, err = w.svc.ApproveImpact(ctx, w.people["other-reporter"], id)
			wantCode(t, "another reporter's approval of a public report", err, vmt.EFORBIDDEN)
		})
	}
}

// TestImpactApprovalGuardsTriaged: Triaged waits for both approvals, names
// who is missing, and a change of text takes both back (audited).
func TestImpactApprovalGuardsTriaged(t *testing.T) {
	w := newImpactWorld(t, "sqlite")
	ctx, coord, id := context.Background(), w.people["coord"], w.reportID
	triage := func() error {
		_, err := w.svc.Transition(ctx, coord, id, vmt.TransitionInput{To: vmt.StatusTriaged})
		return err
	}
	reason := func(err error, want string) {
		t.Helper()
		if vmt.ErrorCode(err) != vmt.ECONFLICT || !strings.Contains(err.Error(), want) {
			t.Errorf("Triaged: %v, want a refusal saying %q", err, want)
		}
	}
	reason(triage(), "no impact description has been posted")
	_, err := w.svc.DraftImpact(ctx, coord, id, false)
	must(t, err)
	reason(triage(), "not yet approved by the reporter and the architecture committee")
	_, err = w.svc.ApproveImpact(ctx, w.people["committee"], id)
	must(t, err)
	reason(triage(), "not yet approved by the reporter")
	v, err := w.svc.Report(ctx, coord, id)
	must(t, err)
	if v.Status != vmt.StatusConfirmed {
		t.Errorf("with one approval the report is %s, want it still Confirmed", v.Status)
	}
	_, err = w.svc.ApproveImpact(ctx, w.people["reporter"], id)
	must(t, err)
	// The second approval is the last decision of the step: the report
	// moves to Triaged by itself.
	v, err = w.svc.Report(ctx, coord, id)
	must(t, err)
	if v.Status != vmt.StatusTriaged {
		t.Fatalf("with both approvals the report is %s, want Triaged", v.Status)
	}
	_, err = w.svc.Transition(ctx, coord, id, vmt.TransitionInput{To: vmt.StatusConfirmed, Reason: "the text needs more"})
	must(t, err)

	edited := "A guest can read any host file."
	_, err = w.svc.UpdateReport(ctx, coord, id, vmt.ReportPatch{ImpactDescription: &edited})
	must(t, err)
	st, err := w.svc.Impact(ctx, w.people["reporter"], id)
	must(t, err)
	if st.Reporter != nil || st.Committee != nil || st.Text != edited {
		t.Errorf("after a new text: %+v, want no approval", st)
	}
	reason(triage(), "not yet approved by the reporter and the architecture committee")
	_, err = w.svc.ApproveImpact(ctx, w.people["reporter"], id)
	must(t, err)
	_, err = w.svc.ApproveImpact(ctx, w.people["committee"], id)
	must(t, err)
	v, err = w.svc.Report(ctx, coord, id)
	must(t, err)
	if v.Status != vmt.StatusTriaged {
		t.Errorf("approved again, the report is %s, want Triaged", v.Status)
	}

	events, err := w.svc.ReportAudit(ctx, coord, id)
	must(t, err)
	var approvals, resets int
	for _, e := range events {
		switch e.Action {
		case "report.impact_approve":
			approvals++
			var a vmt.ImpactApproval
			must(t, json.Unmarshal(e.After, &a))
			if e.ActorID != a.UserID || a.TextHash == "" || a.ApprovedAt.IsZero() {
				t.Errorf("approval event: actor %d, %+v", e.ActorID, a)
			}
		case "report.impact_reset":
			resets++
			if !strings.Contains(string(e.Before), "committee") || e.ActorID != coord.ID() {
				t.Errorf("reset event: %s by %d", e.Before, e.ActorID)
			}
		}
	}
	if approvals != 4 || resets != 1 {
		t.Errorf("audited %d approvals and %d resets, want 4 and 1", approvals, resets)
	}
}
