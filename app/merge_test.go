package app_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/gitrepo"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestTrackFixes runs the merge-tracking job against a real repository: the
// fix is not merged anywhere, then cherry-picked to master (a new hash)
// while stable-1 is deleted upstream; each change of state is audited.
func TestTrackFixes(t *testing.T) {
	ctx := context.Background()
	up, series, _ := upstream(t)
	checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"p": up}}
	svc := app.Must(app.New(app.Deps{
		Store:   sqldbtest.Open(t, "sqlite"),
		Hasher:  password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		Now:     time.Now,
		Log:     slog.New(slog.DiscardHandler),
		Checker: checker,
		Tracker: &gitrepo.Merges{Checker: checker},
	}))
	secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"master", "stable-1"}}})
	must(t, err)
	admin, _ := svc.Authenticate(ctx, secret)
	r, err := svc.CreateReport(ctx, admin, vmt.ReportInput{Project: "p", Title: "Overflow", Description: "It overflows."})
	must(t, err)
	for _, b := range []string{"master", "stable-1"} {
		_, err := svc.AttachFix(ctx, admin, r.ID, vmt.FixInput{Branch: b, Series: series})
		must(t, err)
	}
	must(t, svc.TrackFixes(ctx))
	if got := mergeStates(t, svc, admin, r.ID); got != "master:not_merged: stable-1:not_merged:" {
		t.Errorf("before landing: %s", got)
	}

	git := gitIn(t, up)
	git("checkout", "-q", "-b", "topic")
	git("am", "-q", filepath.Join(writeFile(t, series)))
	git("checkout", "-q", "master")
	git("commit", "-q", "--allow-empty", "-m", "unrelated")
	git("cherry-pick", "topic")
	landed := strings.TrimSpace(git("rev-parse", "master"))
	git("branch", "-D", "stable-1", "topic")
	must(t, svc.TrackFixes(ctx))
	want := "master:merged:" + landed + " stable-1::branch stable-1 is not in the repository (deleted upstream?)"
	if got := mergeStates(t, svc, admin, r.ID); got != want {
		t.Errorf("after landing:\n got  %s\n want %s", got, want)
	}
	events, err := svc.ReportAudit(ctx, admin, r.ID)
	must(t, err)
	n := 0
	for _, e := range events {
		if e.Action == "fix.merge" {
			n++
		}
	}
	if n != 4 { // two at the first run, two at the second
		t.Errorf("%d fix.merge audit events, want 4", n)
	}
	must(t, svc.TrackFixes(ctx)) // nothing changed: no new event
	if events2, _ := svc.ReportAudit(ctx, admin, r.ID); len(events2) != len(events) {
		t.Errorf("a run that changed nothing added %d audit events", len(events2)-len(events))
	}
}

// mergeStates condenses the fixes of a report: branch:state:commit-or-error.
func mergeStates(t *testing.T, svc *app.Service, a vmt.Actor, id int64) string {
	fixes, err := svc.Fixes(context.Background(), a, id)
	must(t, err)
	var parts []string
	for _, f := range fixes {
		if f.MergeCheckedAt == nil {
			t.Errorf("fix %d was not checked", f.ID)
		}
		parts = append(parts, f.Branch+":"+string(f.Merge)+":"+f.MergeCommit+f.MergeError)
	}
	return strings.Join(parts, " ")
}

func writeFile(t *testing.T, content string) string {
	path := filepath.Join(t.TempDir(), "series.mbox")
	must(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}
