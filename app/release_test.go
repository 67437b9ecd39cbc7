package app_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/gitrepo"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestFixReleasedByItself: a report in Fix committed with a published
// advisory stays there while its fix is not merged on every supported
// branch, and moves to Fix released by itself, audited, once it is.
func TestFixReleasedByItself(t *testing.T) {
	ctx := context.Background()
	up, series, _ := upstream(t)
	st := sqldbtest.Open(t, "sqlite")
	checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"p": up}}
	svc := app.Must(app.New(app.Deps{
		Store:   st,
		Hasher:  password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		Now:     time.Now,
		Log:     slog.New(slog.DiscardHandler),
		Checker: checker,
		Tracker: &gitrepo.Merges{Checker: checker},
	}))
	secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"master"}}})
	must(t, err)
	admin, _ := svc.Authenticate(ctx, secret)
	r, err := svc.CreateReport(ctx, admin, vmt.ReportInput{Project: "p", Title: "Overflow", Description: "It overflows."})
	must(t, err)
	_, err = svc.AttachFix(ctx, admin, r.ID, vmt.FixInput{Branch: "master", Series: series})
	must(t, err)
	// The steps before Fix committed (triage, CVE, notice) belong to other
	// tests: the report is put there, with its advisory published.
	must(t, st.Update(ctx, func(tx vmt.Tx) error {
		rep, err := tx.Report(r.ID)
		if err != nil {
			return err
		}
		rep.Status, rep.Class, rep.CVEs = vmt.StatusFixCommitted, "A", []string{"CVE-2026-0001"}
		if err := tx.UpdateReport(rep); err != nil {
			return err
		}
		now := time.Now().UTC()
		id, err := vmt.ParseAdvisoryID("PSA-2026-001")
		if err != nil {
			return err
		}
		return tx.CreateAdvisory(&vmt.Advisory{ID: id, ProjectID: rep.ProjectID, Kind: vmt.KindAdvisory,
			State: vmt.AdvisoryPublished, ReportID: rep.ID, Title: "Overflow", Description: "It overflows.",
			Affected: []vmt.Affected{{Component: "main", Versions: "all"}}, Published: &now, Modified: &now})
	}))
	status := func() vmt.Status {
		v, err := svc.Report(ctx, admin, r.ID)
		must(t, err)
		return v.Status
	}
	must(t, svc.TrackFixes(ctx))
	if s := status(); s != vmt.StatusFixCommitted {
		t.Fatalf("before the fix landed: %s, want fix_committed", s)
	}
	if _, err := svc.Transition(ctx, admin, r.ID, vmt.TransitionInput{To: vmt.StatusFixReleased}); vmt.ErrorCode(err) != vmt.ECONFLICT && vmt.ErrorCode(err) != vmt.EINVALID {
		t.Errorf("manual release before the fix landed: %v", err)
	}
	git := gitIn(t, up)
	git("am", "-q", writeFile(t, series))
	must(t, svc.TrackFixes(ctx))
	if s := status(); s != vmt.StatusFixReleased {
		t.Fatalf("after the fix landed: %s, want fix_released", s)
	}
	events, err := svc.ReportAudit(ctx, admin, r.ID)
	must(t, err)
	last := events[len(events)-1]
	if last.Action != "report.transition" || last.ActorID != 0 {
		t.Errorf("last event %s by %d, want report.transition by the system", last.Action, last.ActorID)
	}
}

// TestNoteClosesOpinion: publishing the security note of a class-B report
// in Opinion closes it as Fix released by itself, audited as the
// system's move, whether the note goes out as the embargo ends (a private
// report made public) or by hand (a public report); a note report in
// another status, and an advisory, leave the status alone.
func TestNoteClosesOpinion(t *testing.T) {
	cases := []struct {
		name, class string
		opinion     bool // moved to Opinion before the document is final
		public      bool // public before: the document is published by hand
		want        vmt.Status
	}{
		{"private note in Opinion, embargo ended", "B1", true, false, vmt.StatusFixReleased},
		{"public note in Opinion, published by hand", "B3", true, true, vmt.StatusFixReleased},
		{"private note not in Opinion", "B2", false, false, vmt.StatusNew},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			svc := app.Must(app.New(app.Deps{
				Store:  sqldbtest.Open(t, "sqlite"),
				Hasher: password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
				Now:    time.Now,
				Log:    slog.New(slog.DiscardHandler),
			}))
			secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
				Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"master"}}})
			must(t, err)
			admin, _ := svc.Authenticate(ctx, secret)
			r, err := svc.CreateReport(ctx, admin, vmt.ReportInput{Project: "p", Title: "Insecure default", Description: "The default is insecure."})
			must(t, err)
			_, err = svc.Classify(ctx, admin, r.ID, c.class)
			must(t, err)
			if c.opinion {
				_, err = svc.Transition(ctx, admin, r.ID, vmt.TransitionInput{To: vmt.StatusOpinion})
				must(t, err)
			}
			if c.public {
				_, err = svc.MakePublic(ctx, admin, r.ID, "better solved in the open")
				must(t, err)
			}
			doc := draftDoc()
			doc.CVSS, doc.Summary = nil, "The default is insecure."
			d, err := svc.DraftAdvisory(ctx, admin, r.ID, doc)
			must(t, err)
			if d.Kind != vmt.KindNote {
				t.Fatalf("class %s drafted a %s", c.class, d.Kind)
			}
			_, err = svc.EmbargoAdvisory(ctx, admin, d.RecordID)
			must(t, err)
			if c.public {
				_, err = svc.PublishAdvisory(ctx, admin, d.RecordID)
			} else {
				_, err = svc.MakePublic(ctx, admin, r.ID, "the security note is issued")
			}
			must(t, err)
			got, err := svc.Report(ctx, admin, r.ID)
			must(t, err)
			if got.Status != c.want || got.Visibility != vmt.Public {
				t.Errorf("after the note is published: %s, %s; want %s, public", got.Status, got.Visibility, c.want)
			}
			events, err := svc.ReportAudit(ctx, admin, r.ID)
			must(t, err)
			var bySystem int
			for _, e := range events {
				if e.Action == vmt.AuditReportTransition && e.ActorID == 0 {
					bySystem++
				}
			}
			if want := map[bool]int{true: 1, false: 0}[c.want == vmt.StatusFixReleased]; bySystem != want {
				t.Errorf("%d transitions by the system in the audit log, want %d", bySystem, want)
			}
		})
	}
}
