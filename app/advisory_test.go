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
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

func draftDoc() vmt.Advisory {
	return vmt.Advisory{Vendor: "Kata Containers", Title: "Guest can read host files",
		Description: "A crafted mount escapes the shared directory.",
		Affected:    []vmt.Affected{{Component: "runtime", Versions: "<3.2.1"}},
		Credits:     []vmt.Credit{{Name: "Ada", Type: vmt.CreditFinder}},
		CVEs:        []string{"CVE-2026-12345"},
		CVSS:        []string{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N"}}
}

// TestAdvisoryLifecycle: who may draft, see, number and publish a
// document, and that a draft or embargoed one never shows publicly.
func TestAdvisoryLifecycle(t *testing.T) {
	ctx := context.Background()
	svc := app.Must(app.New(app.Deps{
		Store:         sqldbtest.Open(t, "sqlite"),
		Hasher:        password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		Now:           func() time.Time { return time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC) },
		Log:           slog.New(slog.DiscardHandler),
		CheckAdvisory: cvss.Check,
	}))
	secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"master"}}})
	must(t, err)
	admin, _ := svc.Authenticate(ctx, secret)
	mk := func(email string) vmt.Actor {
		u, err := svc.CreateUser(ctx, admin, vmt.UserInput{Email: email, Role: vmt.RoleReporter})
		must(t, err)
		return vmt.Actor{User: u}
	}
	reporter, outsider, anon := mk("r@example.org"), mk("o@example.org"), vmt.Actor{}
	r, err := svc.CreateReport(ctx, reporter, vmt.ReportInput{Project: "p", Title: "Escape", Description: "It escapes."})
	must(t, err)

	code := func(what string, err error, want string) {
		t.Helper()
		if got := vmt.ErrorCode(err); got != want {
			t.Errorf("%s: %v (code %q), want %q", what, err, got, want)
		}
	}
	_, err = svc.DraftAdvisory(ctx, admin, r.ID, draftDoc())
	code("draft of an unclassified report", err, vmt.ECONFLICT)
	_, err = svc.Classify(ctx, admin, r.ID, "A")
	must(t, err)
	_, err = svc.DraftAdvisory(ctx, reporter, r.ID, draftDoc())
	code("draft by the reporter", err, vmt.EFORBIDDEN)
	_, err = svc.DraftAdvisory(ctx, outsider, r.ID, draftDoc())
	code("draft by an outsider", err, vmt.ENOTFOUND)
	bad := draftDoc()
	bad.CVSS = []string{"CVSS:3.1/AV:L"}
	_, err = svc.DraftAdvisory(ctx, admin, r.ID, bad)
	if vmt.ErrorField(err) != "cvss[0]" {
		t.Errorf("bad vector: %v", err)
	}
	bad = draftDoc()
	bad.CVSS = []string{"AV:N/AC:M/Au:N/C:P/I:P/A:N"}
	_, err = svc.DraftAdvisory(ctx, admin, r.ID, bad)
	if vmt.ErrorField(err) != "cvss[0]" {
		t.Errorf("a CVSS 2 vector in a new document: %v", err)
	}
	bad = draftDoc()
	bad.CVEs = []string{"CVE-1"}
	_, err = svc.DraftAdvisory(ctx, admin, r.ID, bad)
	if vmt.ErrorField(err) != "cves" {
		t.Errorf("bad CVE: %v", err)
	}

	d, err := svc.DraftAdvisory(ctx, admin, r.ID, draftDoc())
	must(t, err)
	if d.Kind != vmt.KindAdvisory || d.State != vmt.AdvisoryDraft || !d.ID.IsZero() {
		t.Errorf("draft %+v", d)
	}
	if _, err := svc.Advisory(ctx, reporter, d.RecordID); err != nil {
		t.Errorf("the reporter cannot read the draft of their report: %v", err)
	}
	for _, who := range []vmt.Actor{outsider, anon} {
		_, err := svc.Advisory(ctx, who, d.RecordID)
		code("a draft read by someone outside the report", err, vmt.ENOTFOUND)
	}

	d, err = svc.EmbargoAdvisory(ctx, admin, d.RecordID)
	must(t, err)
	if d.ID.String() != "PSA-2026-001" || d.State != vmt.AdvisoryEmbargoed {
		t.Errorf("embargoed: %s %s", d.ID, d.State)
	}
	_, err = svc.EmbargoAdvisory(ctx, admin, d.RecordID)
	code("embargo twice", err, vmt.ECONFLICT)
	_, err = svc.Advisory(ctx, outsider, d.RecordID)
	code("an embargoed document read by an outsider", err, vmt.ENOTFOUND)
	pubs, err := svc.PublicAdvisories(ctx, "p")
	must(t, err)
	if len(pubs) != 0 {
		t.Errorf("public before publication: %d documents", len(pubs))
	}
	_, err = svc.PublishAdvisory(ctx, admin, d.RecordID)
	code("publish while the report is private", err, vmt.ECONFLICT)

	// Ending the embargo discloses: the final document is published
	// with the report, as at the disclosure hour.
	_, err = svc.MakePublic(ctx, admin, r.ID, "disclosure")
	must(t, err)
	d, err = svc.Advisory(ctx, admin, d.RecordID)
	must(t, err)
	if d.State != vmt.AdvisoryPublished || d.Published == nil || len(d.Revisions) != 1 {
		t.Errorf("published %+v", d)
	}
	if err := d.CheckExportable(); err != nil {
		t.Errorf("a published document is not exportable: %v", err)
	}
	for _, who := range []vmt.Actor{outsider, anon} {
		if _, err := svc.Advisory(ctx, who, d.RecordID); err != nil {
			t.Errorf("a published document hidden: %v", err)
		}
	}
	pubs, err = svc.PublicAdvisories(ctx, "p")
	must(t, err)
	if len(pubs) != 1 || pubs[0].ID.String() != "PSA-2026-001" {
		t.Errorf("public list %v", pubs)
	}
	_, err = svc.UpdateAdvisory(ctx, admin, d.RecordID, draftDoc())
	code("edit a published document", err, vmt.ECONFLICT)

	// A second report's document takes the next number.
	r2, err := svc.CreateReport(ctx, reporter, vmt.ReportInput{Project: "p", Title: "Other", Description: "Also."})
	must(t, err)
	_, err = svc.Classify(ctx, admin, r2.ID, "B1")
	must(t, err)
	n, err := svc.DraftAdvisory(ctx, admin, r2.ID, draftDoc())
	must(t, err)
	if n.Kind != vmt.KindNote {
		t.Errorf("class B1 drafted a %s", n.Kind)
	}
	edited := draftDoc()
	edited.Title = "Other, edited"
	n, err = svc.UpdateAdvisory(ctx, admin, n.RecordID, edited)
	must(t, err)
	n, err = svc.EmbargoAdvisory(ctx, admin, n.RecordID)
	must(t, err)
	if n.ID.String() != "PSN-2026-001" || n.Title != "Other, edited" {
		t.Errorf("note %s %q", n.ID, n.Title)
	}
	list, err := svc.ReportAdvisories(ctx, reporter, r2.ID)
	must(t, err)
	if len(list) != 1 {
		t.Errorf("documents of the second report: %d", len(list))
	}
	_, err = svc.ReportAdvisories(ctx, outsider, r2.ID)
	code("documents of a private report, outsider", err, vmt.ENOTFOUND)
}
