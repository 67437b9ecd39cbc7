package app_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/cvss"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/render"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestDraftAdvisoryFromReport: only the report's VMT drafts; not before
// both approvals of the impact description; not twice; audited.
func TestDraftAdvisoryFromReport(t *testing.T) {
	ctx := context.Background()
	svc := app.Must(app.New(app.Deps{
		Store:         sqldbtest.Open(t, "sqlite"),
		Hasher:        password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		Now:           time.Now,
		Log:           slog.New(slog.DiscardHandler),
		CheckAdvisory: cvss.Check,
		Texts:         render.Hooks(),
	}))
	secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"master"}}})
	must(t, err)
	admin, _ := svc.Authenticate(ctx, secret)
	mk := func(email string, role vmt.Role) vmt.Actor {
		u, err := svc.CreateUser(ctx, admin, vmt.UserInput{Email: email, Role: role})
		must(t, err)
		return vmt.Actor{User: u}
	}
	reporter, outsider, com := mk("r@example.org", vmt.RoleReporter), mk("o@example.org", vmt.RoleReporter), mk("c@example.org", vmt.RoleCommittee)
	r, err := svc.CreateReport(ctx, reporter, vmt.ReportInput{Project: "p", Title: "Escape", Description: "It escapes.",
		Components: []string{"runtime"}, AffectedVersions: "<1.2", Credit: "Ada"})
	must(t, err)
	_, err = svc.Classify(ctx, admin, r.ID, "A")
	must(t, err)
	_, err = svc.DraftImpact(ctx, admin, r.ID, false)
	must(t, err)
	if _, err := svc.DraftAdvisoryFromReport(ctx, admin, r.ID); vmt.ErrorCode(err) != vmt.ECONFLICT || vmt.ErrorField(err) != "impact_description" {
		t.Errorf("before the approvals: %v", err)
	}
	_, err = svc.ApproveImpact(ctx, reporter, r.ID)
	must(t, err)
	_, err = svc.Subscribe(ctx, admin, r.ID, com.ID())
	must(t, err)
	_, err = svc.ApproveImpact(ctx, com, r.ID)
	must(t, err)
	if _, err := svc.DraftAdvisoryFromReport(ctx, reporter, r.ID); vmt.ErrorCode(err) != vmt.EFORBIDDEN {
		t.Errorf("by the reporter: %v", err)
	}
	if _, err := svc.DraftAdvisoryFromReport(ctx, outsider, r.ID); vmt.ErrorCode(err) != vmt.ENOTFOUND {
		t.Errorf("by an outsider: %v", err)
	}
	if ds, _ := svc.ReportAdvisories(ctx, admin, r.ID); len(ds) != 0 {
		t.Fatalf("refused drafts were stored: %d", len(ds))
	}
	d, err := svc.DraftAdvisoryFromReport(ctx, admin, r.ID)
	must(t, err)
	if d.Kind != vmt.KindAdvisory || d.Title != "Escape" || d.Description != "It escapes." || len(d.Affected) != 1 {
		t.Errorf("draft %+v", d)
	}
	if _, err := svc.DraftAdvisoryFromReport(ctx, admin, r.ID); vmt.ErrorCode(err) != vmt.ECONFLICT {
		t.Errorf("a second draft: %v", err)
	}
	evs, err := svc.ReportAudit(ctx, admin, r.ID)
	must(t, err)
	found := false
	for _, e := range evs {
		found = found || e.Action == "advisory.draft_from_report"
	}
	if !found {
		t.Error("the draft is not audited")
	}
}
