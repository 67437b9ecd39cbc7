package app_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
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
	// Merged in public while the report is private: a possible leak, on
	// the record and in the coordinators' mail (number and branch only).
	leaks := 0
	for _, e := range events {
		if e.Action == vmt.AuditReportPossibleLeak && strings.Contains(string(e.After), `"branch":"master"`) {
			leaks++
		}
	}
	if leaks != 1 {
		t.Errorf("%d possible-leak events for master, want 1", leaks)
	}
	items, err := svc.Outbox(ctx, admin, r.ID)
	must(t, err)
	mailed := false
	for _, o := range items {
		if strings.HasPrefix(o.Key, "leak:") && o.Kind == vmt.KindReminder && strings.Contains(string(o.Payload), "admin@example.org") &&
			strings.Contains(string(o.Payload), "Possible leak") && !strings.Contains(string(o.Payload), "Overflow") {
			mailed = true
		}
	}
	if !mailed {
		t.Errorf("no possible-leak mail to the coordinators without the report's title: %d items", len(items))
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

// TestTrackFixesUnreadableObject: the mirror lacks one object that only
// one fix's history needs (a blob of an earlier change to its file, as in
// a clone that lacks some blobs). That fix alone fails, with git's reason
// recorded on it; the other fixes of the project are still found merged.
func TestTrackFixesUnreadableObject(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "up")
	must(t, os.Mkdir(dir, 0o755))
	git := gitIn(t, dir)
	write := func(name, content string) { must(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)) }
	body := func(name string, fixed ...int) string {
		var b strings.Builder
		for i := 1; i <= 30; i++ {
			fmt.Fprintf(&b, "%s line %d", name, i)
			if slices.Contains(fixed, i) {
				b.WriteString(" checked")
			}
			b.WriteString("\n")
		}
		return b.String()
	}
	git("init", "-q", "-b", "master")
	for _, n := range []string{"a", "b", "c"} {
		write(n+".txt", body(n))
	}
	git("add", ".")
	git("commit", "-qm", "base")
	series := map[string]string{}
	for _, n := range []string{"a", "b", "c"} {
		write(n+".txt", body(n, 10))
		git("commit", "-qam", n+": check line 10")
		series[n] = git("format-patch", "--stdout", "HEAD~1")
		git("reset", "-q", "--hard", "HEAD~1")
	}
	lost := strings.TrimSpace(git("rev-parse", "HEAD:b.txt")) // only b's history needs it

	checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"p": dir}}
	svc := app.Must(app.New(app.Deps{
		Store:   sqldbtest.Open(t, "sqlite"),
		Hasher:  password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		Now:     time.Now,
		Log:     sqldbtest.Logger(t),
		Checker: checker,
		Tracker: &gitrepo.Merges{Checker: checker},
	}))
	secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"master"}}})
	must(t, err)
	admin, _ := svc.Authenticate(ctx, secret)
	reports := map[string]int64{}
	for _, n := range []string{"a", "b", "c"} {
		r, err := svc.CreateReport(ctx, admin, vmt.ReportInput{Project: "p", Title: "Overflow in " + n, Description: "It overflows."})
		must(t, err)
		_, err = svc.AttachFix(ctx, admin, r.ID, vmt.FixInput{Branch: "master", Series: series[n]})
		must(t, err)
		reports[n] = r.ID
	}

	// After the fixes were attached: a change to b.txt, then the three
	// fixes land.
	write("b.txt", body("b")+"b line 31\n")
	git("commit", "-qam", "b: one more line")
	for _, n := range []string{"a", "b", "c"} {
		git("am", "-q", writeFile(t, series[n]))
	}
	// The mirror was cloned when the fixes were attached, with hard links
	// to the upstream's loose objects; it fetches the new commits (a
	// later fetch would need the blob as a delta base), then loses one.
	mirror := filepath.Join(checker.Dir, "p.git")
	gitIn(t, mirror)("fetch", "-q", "--prune", "origin")
	loose := filepath.Join(mirror, "objects", lost[:2], lost[2:])
	if err := os.Remove(loose); err != nil {
		t.Fatalf("the blob %s is not a loose object of the mirror: %v", lost, err)
	}
	must(t, svc.TrackFixes(ctx)) // fetches the mirror, then tracks
	for _, n := range []string{"a", "b", "c"} {
		fixes, err := svc.Fixes(ctx, admin, reports[n])
		must(t, err)
		f := fixes[0]
		switch {
		case f.MergeCheckedAt == nil:
			t.Errorf("fix of %s was not checked", n)
		case n == "b" && (f.Merge != vmt.MergeUnknown || !strings.Contains(f.MergeError, "could not be read") ||
			!strings.Contains(f.MergeError, "unable to read "+lost)):
			t.Errorf("fix of b, whose history lacks %s: %q %q, want its error", lost, f.Merge, f.MergeError)
		case n != "b" && (f.Merge != vmt.MergeCompleted || f.MergeError != ""):
			t.Errorf("fix of %s: %q %q, want merged", n, f.Merge, f.MergeError)
		}
	}
}
