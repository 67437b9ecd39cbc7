package app_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/gitrepo"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// fixWorld is a service with a project on master and stable-1, its
// coordinator, a reporter and an outsider.
type fixWorld struct {
	svc                              *app.Service
	admin, coord, reporter, outsider vmt.Actor
}

func newFixWorld(t *testing.T) *fixWorld {
	ctx := context.Background()
	svc := app.Must(app.New(app.Deps{
		Store:  sqldbtest.Open(t, "sqlite"),
		Hasher: password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		Now:    time.Now,
		Log:    slog.New(slog.DiscardHandler),
	}))
	secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"master", "stable-1"}}})
	must(t, err)
	w := &fixWorld{svc: svc}
	w.admin, _ = svc.Authenticate(ctx, secret)
	mk := func(email string, role vmt.Role) vmt.Actor {
		u, err := svc.CreateUser(ctx, w.admin, vmt.UserInput{Email: email, Role: role})
		must(t, err)
		return vmt.Actor{User: u}
	}
	w.coord, w.reporter, w.outsider = mk("coord@example.org", vmt.RoleVMT), mk("rep@example.org", vmt.RoleReporter), mk("out@example.org", vmt.RoleReporter)
	p, err := svc.Project(ctx, w.admin, "p")
	must(t, err)
	must(t, svc.SetMember(ctx, w.admin, vmt.Member{ProjectID: p.ID, UserID: w.coord.ID(), Role: vmt.MemberVMT}))
	return w
}

// A waiver is a coordinator's, with a reason, for a supported branch or the
// whole report, once each, audited; the pre-approval state and the matrix
// show it.
func TestWaiveFix(t *testing.T) {
	ctx := context.Background()
	w := newFixWorld(t)
	r, err := w.svc.CreateReport(ctx, w.reporter, vmt.ReportInput{Project: "p", Title: "Overflow", Description: "It overflows."})
	must(t, err)
	for _, tc := range []struct {
		name  string
		actor vmt.Actor
		in    vmt.WaiverInput
		code  string
		field string
	}{
		{"outsider", w.outsider, vmt.WaiverInput{Reason: "x"}, vmt.ENOTFOUND, ""},
		{"reporter", w.reporter, vmt.WaiverInput{Reason: "x"}, vmt.EFORBIDDEN, ""},
		{"anonymous", vmt.Anonymous, vmt.WaiverInput{Reason: "x"}, vmt.ENOTFOUND, ""},
		{"no reason", w.coord, vmt.WaiverInput{Branch: "stable-1", Reason: "  "}, vmt.EINVALID, "reason"},
		{"control character", w.coord, vmt.WaiverInput{Reason: "end\x1b[2Jof life"}, vmt.EINVALID, "reason"},
		{"reason too long", w.coord, vmt.WaiverInput{Reason: strings.Repeat("é", vmt.MaxWaiverReasonLen+1)}, vmt.EINVALID, "reason"},
		{"unsupported branch", w.coord, vmt.WaiverInput{Branch: "stable-9", Reason: "x"}, vmt.EINVALID, "branch"},
		{"not a branch name", w.coord, vmt.WaiverInput{Branch: "../x", Reason: "x"}, vmt.EINVALID, "branch"},
	} {
		_, err := w.svc.WaiveFix(ctx, tc.actor, r.ID, tc.in)
		if vmt.ErrorCode(err) != tc.code || tc.field != "" && !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%s: WaiveFix = %v, want %s on %q", tc.name, err, tc.code, tc.field)
		}
	}
	ap, err := w.svc.PreApprovalOf(ctx, w.reporter, r.ID)
	must(t, err)
	if !slices.Equal(ap.Missing, []string{"master", "stable-1"}) || len(ap.Waivers) != 0 || ap.Hold != nil {
		t.Fatalf("before any waiver: %+v", ap)
	}
	stable, err := w.svc.WaiveFix(ctx, w.coord, r.ID, vmt.WaiverInput{Branch: "stable-1", Reason: "stable-1 is at its end of life"})
	must(t, err)
	if _, err := w.svc.WaiveFix(ctx, w.admin, r.ID, vmt.WaiverInput{Branch: "stable-1", Reason: "again"}); vmt.ErrorCode(err) != vmt.ECONFLICT {
		t.Errorf("a second waiver of stable-1: %v", err)
	}
	if ap, _ = w.svc.PreApprovalOf(ctx, w.coord, r.ID); !slices.Equal(ap.Missing, []string{"master"}) {
		t.Errorf("with stable-1 waived, missing %v", ap.Missing)
	}
	whole, err := w.svc.WaiveFix(ctx, w.coord, r.ID, vmt.WaiverInput{Reason: "the fix ships with the advisory"})
	must(t, err)
	if _, err := w.svc.WaiveFix(ctx, w.coord, r.ID, vmt.WaiverInput{Reason: "again"}); vmt.ErrorCode(err) != vmt.ECONFLICT {
		t.Errorf("a second whole-report waiver: %v", err)
	}
	if ap, _ = w.svc.PreApprovalOf(ctx, w.coord, r.ID); len(ap.Missing) != 0 || len(ap.Waivers) != 2 {
		t.Errorf("with the whole report waived: %+v", ap)
	}
	if _, err := w.svc.PreApprovalOf(ctx, w.outsider, r.ID); vmt.ErrorCode(err) != vmt.ENOTFOUND {
		t.Errorf("PreApprovalOf as an outsider: %v", err)
	}
	rows, err := w.svc.FixMatrix(ctx, w.reporter, r.ID)
	must(t, err)
	if rows[0].Waiver == nil || rows[0].Waiver.ID != whole.ID || rows[1].Waiver == nil || rows[1].Waiver.ID != stable.ID {
		t.Errorf("matrix waivers: %+v", rows)
	}
	events, err := w.svc.ReportAudit(ctx, w.coord, r.ID)
	must(t, err)
	n := 0
	for _, e := range events {
		if e.Action == "fix.waive" && e.ActorID == w.coord.ID() {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d fix.waive events by the coordinator, want 2", n)
	}
	// On a public report a waiver says a branch gets no fix (Fix released
	// does not wait for it); the reporter still may not.
	_, err = w.svc.MakePublic(ctx, w.coord, r.ID, "leaked")
	must(t, err)
	if _, err := w.svc.WaiveFix(ctx, w.reporter, r.ID, vmt.WaiverInput{Branch: "master", Reason: "x"}); vmt.ErrorCode(err) != vmt.EFORBIDDEN {
		t.Errorf("the reporter's waiver on a public report: %v", err)
	}
	if _, err := w.svc.WaiveFix(ctx, w.coord, r.ID, vmt.WaiverInput{Branch: "master", Reason: "master moved to another fix"}); err != nil {
		t.Errorf("a waiver on a public report: %v", err)
	}
}

// A public report takes pull request links: https only, bounded, with an
// optional commit. A link without its commit is "not tracked"; with it, the
// tracker finds the commit's change on the branch by patch identity (here
// cherry-picked with a new hash), and a commit the repository lacks is an
// error on the matrix.
func TestPullRequestLinks(t *testing.T) {
	ctx := context.Background()
	w := newFixWorld(t)
	up, series, _ := upstream(t)
	git := gitIn(t, up)
	git("checkout", "-q", "-b", "pr-1")
	git("am", "-q", writeFile(t, series))
	prCommit := strings.TrimSpace(git("rev-parse", "HEAD"))
	git("checkout", "-q", "master")
	checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"p": up}}
	w.setDeps(func(d *app.Deps) { d.Checker, d.Tracker = checker, &gitrepo.Merges{Checker: checker} })
	r, err := w.svc.CreateReport(ctx, w.reporter, vmt.ReportInput{Project: "p", Title: "Overflow", Description: "It overflows."})
	must(t, err)
	if _, err := w.svc.AttachFix(ctx, w.reporter, r.ID, vmt.FixInput{Branch: "master", URL: "https://example.org/pr/1", Commit: prCommit}); vmt.ErrorCode(err) != vmt.EINVALID || !strings.Contains(err.Error(), "disclose") {
		t.Errorf("a link on a private report: %v", err)
	}
	_, err = w.svc.MakePublic(ctx, w.coord, r.ID, "fixed in the open")
	must(t, err)
	for _, tc := range []struct {
		name  string
		in    vmt.FixInput
		field string
	}{
		{"http", vmt.FixInput{Branch: "master", URL: "http://example.org/pr/1"}, "url"},
		{"javascript", vmt.FixInput{Branch: "master", URL: "javascript:alert(1)"}, "url"},
		{"space", vmt.FixInput{Branch: "master", URL: "https://example.org/pr/1 onclick=x"}, "url"},
		{"credentials", vmt.FixInput{Branch: "master", URL: "https://u:p@example.org/pr/1"}, "url"},
		{"too long", vmt.FixInput{Branch: "master", URL: "https://example.org/" + strings.Repeat("a", vmt.MaxFixURLLen)}, "url"},
		{"short commit", vmt.FixInput{Branch: "master", URL: "https://example.org/pr/1", Commit: prCommit[:12]}, "commit"},
		{"commit with a series", vmt.FixInput{Branch: "master", Series: series, Commit: prCommit}, "commit"},
		{"series on a public report", vmt.FixInput{Branch: "master", Series: series}, "url"},
	} {
		_, err := w.svc.AttachFix(ctx, w.reporter, r.ID, tc.in)
		if vmt.ErrorCode(err) != vmt.EINVALID || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%s: AttachFix = %v, want invalid %s", tc.name, err, tc.field)
		}
	}
	_, err = w.svc.AttachFix(ctx, w.reporter, r.ID, vmt.FixInput{Branch: "master", URL: "https://example.org/pr/1", Commit: prCommit})
	must(t, err)
	_, err = w.svc.AttachFix(ctx, w.reporter, r.ID, vmt.FixInput{Branch: "stable-1", URL: "https://example.org/pr/2"})
	must(t, err)
	must(t, w.svc.TrackFixes(ctx))
	if got := matrix(t, w.svc, w.reporter, r.ID); got != "master:not_merged stable-1:not_tracked" {
		t.Errorf("before the merge: %s", got)
	}
	git("commit", "-q", "--allow-empty", "-m", "unrelated")
	git("cherry-pick", prCommit)
	landed := strings.TrimSpace(git("rev-parse", "master"))
	_, err = w.svc.AttachFix(ctx, w.reporter, r.ID, vmt.FixInput{Branch: "stable-1", URL: "https://example.org/pr/2",
		Commit: strings.Repeat("0", 40)})
	must(t, err)
	must(t, w.svc.TrackFixes(ctx))
	if got := matrix(t, w.svc, w.reporter, r.ID); got != "master:merged stable-1:error" {
		t.Errorf("after the merge: %s", got)
	}
	rows, err := w.svc.FixMatrix(ctx, vmt.Anonymous, r.ID)
	must(t, err)
	if rows[0].Fix.MergeCommit != landed || rows[0].Fix.URL != "https://example.org/pr/1" || rows[0].Fix.Commit != prCommit ||
		!strings.Contains(rows[1].Fix.MergeError, "not in the repository") {
		t.Errorf("matrix: %+v %+v", rows[0].Fix, rows[1].Fix)
	}
}

// matrix condenses a report's matrix: branch:merge summary.
func matrix(t *testing.T, svc *app.Service, a vmt.Actor, id int64) string {
	rows, err := svc.FixMatrix(context.Background(), a, id)
	must(t, err)
	var out []string
	for _, r := range rows {
		out = append(out, r.Branch+":"+r.Merge)
	}
	return strings.Join(out, " ")
}

// A branch waived without a fix (end of life) does not keep the report from
// Fix released once the other branches have theirs; without the waiver it
// does.
func TestFixReleasedWithWaivedBranch(t *testing.T) {
	ctx := context.Background()
	w := newFixWorld(t)
	up, series, _ := upstream(t)
	checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"p": up}}
	w.setDeps(func(d *app.Deps) { d.Checker, d.Tracker = checker, &gitrepo.Merges{Checker: checker} })
	r, err := w.svc.CreateReport(ctx, w.reporter, vmt.ReportInput{Project: "p", Title: "Overflow", Description: "It overflows."})
	must(t, err)
	_, err = w.svc.AttachFix(ctx, w.coord, r.ID, vmt.FixInput{Branch: "master", Series: series})
	must(t, err)
	must(t, w.svc.Deps().Store.Update(ctx, func(tx vmt.Tx) error {
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
		v, err := w.svc.Report(ctx, w.coord, r.ID)
		must(t, err)
		return v.Status
	}
	gitIn(t, up)("am", "-q", writeFile(t, series))
	must(t, w.svc.TrackFixes(ctx))
	if s := status(); s != vmt.StatusFixCommitted {
		t.Fatalf("merged on master, stable-1 without a fix nor a waiver: %s", s)
	}
	_, err = w.svc.WaiveFix(ctx, w.coord, r.ID, vmt.WaiverInput{Branch: "stable-1", Reason: "stable-1 is at its end of life"})
	must(t, err)
	must(t, w.svc.TrackFixes(ctx))
	if s := status(); s != vmt.StatusFixReleased {
		t.Fatalf("merged on master, stable-1 waived: %s, want fix_released", s)
	}
}
