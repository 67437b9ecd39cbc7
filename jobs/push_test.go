package jobs_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/gitrepo"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// gitRepo runs git in dir with a fixed identity and date.
func gitRepo(t *testing.T, dir string) func(args ...string) string {
	return func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
			"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.org", "GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.org",
			"GIT_AUTHOR_DATE=2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2026-01-01T00:00:00Z"}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
}

// upstreamRepo makes a repository with master and stable-1, and a
// format-patch series that applies to both.
func upstreamRepo(t *testing.T) (dir, series string) {
	dir = filepath.Join(t.TempDir(), "up")
	must(t, os.Mkdir(dir, 0o755))
	git := gitRepo(t, dir)
	write := func(content string) { must(t, os.WriteFile(filepath.Join(dir, "agent.go"), []byte(content), 0o644)) }
	git("init", "-q", "-b", "master")
	lines := "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n"
	write(lines)
	git("add", ".")
	git("commit", "-qm", "base")
	git("branch", "stable-1")
	write(strings.Replace(lines, "6\n", "six\n", 1))
	git("commit", "-qam", "agent: check the length")
	series = git("format-patch", "--stdout", "HEAD~1") + "\n"
	git("reset", "-q", "--hard", "HEAD~1")
	write(lines + "13\n")
	git("commit", "-qam", "master moves on")
	return dir, series
}

// The pre-approval rule and the push at disclosure, end to end: the notice
// is refused while a branch lacks an approved fix, naming it; a version
// uploaded after the notice resets its branch's approval, so at the hour
// the report is held (private, audited once, shown to the coordinator);
// once approved it is disclosed at the next round, and the worker pushes
// each branch's approved series to the bare remote on that branch's tip.
// A retried push changes nothing.
func TestPreApprovalAndPushAtDisclosure(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			up, series := upstreamRepo(t)
			remote := filepath.Join(t.TempDir(), "review.git")
			gitRepo(t, t.TempDir())("init", "-q", "--bare", remote)
			checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"p": up}}
			w.setDeps(func(d *app.Deps) {
				d.Checker = checker
				d.Pusher = &gitrepo.Pusher{Checker: checker, Remotes: map[string]string{"p": remote}}
			})
			_, err := w.svc.UpdateProject(ctx, w.admin, w.project.ID, vmt.ProjectPatch{Branches: &[]string{"master", "stable-1"}})
			must(t, err)
			rev := w.reviewer()
			w.stakeholder("Distro", false)
			r := w.inProgress("Overflow")
			_, err = w.svc.Subscribe(ctx, w.coord, r.ID, rev.ID())
			must(t, err)

			attach := func(branch string) *vmt.Fix {
				f, err := w.svc.AttachFix(ctx, w.coord, r.ID, vmt.FixInput{Branch: branch, Series: series})
				must(t, err)
				return f
			}
			approve := func(f *vmt.Fix) {
				_, err := w.svc.ReviewFix(ctx, rev, f.ID, vmt.ReviewInput{Review: vmt.ReviewApproved})
				must(t, err)
			}
			master, stable := attach("master"), attach("stable-1")
			_, err = w.svc.SendNotice(ctx, w.coord, r.ID)
			if vmt.ErrorCode(err) != vmt.ECONFLICT || !strings.Contains(err.Error(), "branches master, stable-1") {
				t.Fatalf("notice with no approved fix: %v", err)
			}
			approve(master)
			_, err = w.svc.SendNotice(ctx, w.coord, r.ID)
			if vmt.ErrorCode(err) != vmt.ECONFLICT || !strings.Contains(err.Error(), "branch stable-1") || strings.Contains(err.Error(), "master") {
				t.Fatalf("notice with stable-1 unapproved: %v", err)
			}
			approve(stable)
			res, err := w.svc.SendNotice(ctx, w.coord, r.ID)
			must(t, err)

			// A new version after the notice: its approval starts over.
			stable2 := attach("stable-1")
			wk := w.worker(w.svc)
			wk.Handlers = map[string]jobs.Handler{vmt.KindPush: jobs.Push(w.svc)}
			w.clock.Add(res.Disclosure.Sub(w.clock.Now()))
			for range 2 {
				if n, err := wk.Disclose(ctx); err != nil || n != 0 {
					t.Fatalf("at the hour with stable-1 unapproved: %d disclosed, %v", n, err)
				}
			}
			if got := report(t, w, r.ID); got.Visibility != vmt.Private {
				t.Fatal("the held report went public")
			}
			if c := countAudit(t, w, "report.disclosure_held")[r.ID]; c != 1 {
				t.Errorf("report.disclosure_held recorded %d times, want 1", c)
			}
			ap, err := w.svc.PreApprovalOf(ctx, w.coord, r.ID)
			must(t, err)
			if ap.Hold == nil || !slices.Equal(ap.Hold.Branches, []string{"stable-1"}) || !slices.Equal(ap.Missing, []string{"stable-1"}) {
				t.Errorf("the coordinator sees %+v, want a hold on stable-1", ap)
			}
			if pushes(t, w, r.ID) != nil {
				t.Error("a push was queued before the disclosure")
			}

			approve(stable2)
			if n, err := wk.Disclose(ctx); err != nil || n != 1 {
				t.Fatalf("the round after the approval: %d disclosed, %v", n, err)
			}
			if c := countAudit(t, w, "report.disclosure_released")[r.ID]; c != 1 {
				t.Errorf("report.disclosure_released recorded %d times, want 1", c)
			}
			items := pushes(t, w, r.ID)
			if len(items) != 2 {
				t.Fatalf("push items %+v, want one per branch", items)
			}
			if _, err := wk.Deliver(ctx); err != nil {
				t.Fatal(err)
			}
			rg := gitRepo(t, up)
			for _, tc := range []struct {
				branch string
				fix    int64
			}{{"master", master.ID}, {"stable-1", stable2.ID}} {
				target := "vmt/CVE-2026-1234/" + tc.branch
				head := gitRepo(t, remote)("rev-parse", "refs/heads/"+target)
				if parent := gitRepo(t, remote)("rev-parse", target+"~1"); parent != rg("rev-parse", tc.branch) {
					t.Errorf("%s: parent %s, want the tip of %s", target, parent, tc.branch)
				}
				if subj := gitRepo(t, remote)("log", "-1", "--format=%s", target); subj != "agent: check the length" {
					t.Errorf("%s: %q", target, subj)
				}
				after := auditAfter(t, w, "fix.pushed", r.ID)
				if !strings.Contains(auditAll(t, w, "fix.pushed"), head) {
					t.Errorf("no fix.pushed event names %s (last: %s)", head, after)
				}
				// A retry pushes the same commits: the branch does not move.
				var item *vmt.OutboxItem
				for _, o := range items {
					if strings.Contains(string(o.Payload), `"branch":"`+tc.branch+`"`) {
						item = o
					}
				}
				pr, err := w.svc.PushFixes(ctx, item)
				must(t, err)
				if pr.Commit != head || gitRepo(t, remote)("rev-parse", target) != head {
					t.Errorf("%s: a retry pushed %s, want %s again", target, pr.Commit, head)
				}
				if n := gitRepo(t, remote)("rev-list", "--count", rg("rev-parse", tc.branch)+".."+target); n != "1" {
					t.Errorf("%s holds %s commits on its branch, want 1", target, n)
				}
				var req vmt.PushRequest
				must(t, json.Unmarshal(item.Payload, &req))
				if req.Project != "p" || !slices.Equal(req.FixIDs, []int64{tc.fix}) || req.Target != target {
					t.Errorf("push payload %+v", req)
				}
			}
			for _, o := range pushes(t, w, r.ID) {
				if o.State != vmt.OutboxDone {
					t.Errorf("push item %s: %s (%s)", o.Key, o.State, o.LastError)
				}
			}
		})
	}
}

// pushes returns the push items of a report.
func pushes(t *testing.T, w *world, reportID int64) []*vmt.OutboxItem {
	var out []*vmt.OutboxItem
	must(t, w.store.View(context.Background(), func(tx vmt.Tx) error {
		all, err := tx.OutboxItems(reportID)
		for _, o := range all {
			if o.Kind == vmt.KindPush {
				out = append(out, o)
			}
		}
		return err
	}))
	return out
}

// auditAll returns the After of every event of action, joined.
func auditAll(t *testing.T, w *world, action string) string {
	var b strings.Builder
	for e, err := range w.store.AuditLog(context.Background()) {
		must(t, err)
		if e.Action == action {
			b.Write(e.After)
		}
	}
	return b.String()
}

// reviewer adds a core security reviewer of the project.
func (w *world) reviewer() vmt.Actor {
	ctx := context.Background()
	u, err := w.svc.CreateUser(ctx, w.admin, vmt.UserInput{Email: "rev@example.org", Role: vmt.RoleReviewer})
	must(w.t, err)
	must(w.t, w.svc.SetMember(ctx, w.admin, vmt.Member{ProjectID: w.project.ID, UserID: u.ID, Role: vmt.MemberReviewer}))
	return vmt.Actor{User: u}
}

// An embargo ended early by the coordinator is a disclosure too: the
// approved fix is pushed; a branch without an approved fix is not. Without
// a forge no pull request is queued (with one: forge_hour_test.go).
func TestPushOnEarlyDisclosure(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "sqlite")
	up, series := upstreamRepo(t)
	remote := filepath.Join(t.TempDir(), "review.git")
	gitRepo(t, t.TempDir())("init", "-q", "--bare", remote)
	checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"p": up}}
	w.setDeps(func(d *app.Deps) {
		d.Checker = checker
		d.Pusher = &gitrepo.Pusher{Checker: checker, Remotes: map[string]string{"p": remote}}
	})
	_, err := w.svc.UpdateProject(ctx, w.admin, w.project.ID, vmt.ProjectPatch{Branches: &[]string{"master", "stable-1"}})
	must(t, err)
	rev := w.reviewer()
	r := w.inProgress("Overflow")
	_, err = w.svc.Subscribe(ctx, w.coord, r.ID, rev.ID())
	must(t, err)
	f, err := w.svc.AttachFix(ctx, w.coord, r.ID, vmt.FixInput{Branch: "master", Series: series})
	must(t, err)
	_, err = w.svc.AttachFix(ctx, w.coord, r.ID, vmt.FixInput{Branch: "stable-1", Series: series})
	must(t, err)
	_, err = w.svc.ReviewFix(ctx, rev, f.ID, vmt.ReviewInput{Review: vmt.ReviewApproved})
	must(t, err)
	_, err = w.svc.MakePublic(ctx, w.coord, r.ID, "posted on a public list by mistake")
	must(t, err)
	items := pushes(t, w, r.ID)
	if len(items) != 1 || !strings.Contains(string(items[0].Payload), `"branch":"master"`) {
		t.Fatalf("push items after the early disclosure: %+v", items)
	}
	wk := w.worker(w.svc)
	wk.Handlers = map[string]jobs.Handler{vmt.KindPush: jobs.Push(w.svc)}
	if _, err := wk.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	refs := gitRepo(t, remote)("for-each-ref", "--format=%(refname)")
	if refs != "refs/heads/vmt/CVE-2026-1234/master" {
		t.Errorf("the remote holds %q, want only the master branch", refs)
	}
	if a := auditAll(t, w, "fix.pushed"); !strings.Contains(a, `"target":"vmt/CVE-2026-1234/master"`) || !strings.Contains(a, `"pull_request":""`) {
		t.Errorf("the push's audit event: %s", a)
	}
}

// A fix that no longer applies when the report is disclosed (the branch
// changed the same lines since) fails its push item at once, with git's
// reason kept for the coordinator; nothing is pushed.
func TestPushThatNoLongerApplies(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "sqlite")
	up, series := upstreamRepo(t)
	remote := filepath.Join(t.TempDir(), "review.git")
	gitRepo(t, t.TempDir())("init", "-q", "--bare", remote)
	checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"p": up}}
	w.setDeps(func(d *app.Deps) {
		d.Checker = checker
		d.Pusher = &gitrepo.Pusher{Checker: checker, Remotes: map[string]string{"p": remote}}
	})
	rev := w.reviewer()
	r := w.inProgress("Overflow")
	_, err := w.svc.Subscribe(ctx, w.coord, r.ID, rev.ID())
	must(t, err)
	f, err := w.svc.AttachFix(ctx, w.coord, r.ID, vmt.FixInput{Branch: "master", Series: series})
	must(t, err)
	_, err = w.svc.ReviewFix(ctx, rev, f.ID, vmt.ReviewInput{Review: vmt.ReviewApproved})
	must(t, err)
	git := gitRepo(t, up)
	must(t, os.WriteFile(filepath.Join(up, "agent.go"), []byte("1\n2\n3\n4\n5\nSIX\n7\n8\n9\n10\n11\n12\n13\n"), 0o644))
	git("commit", "-qam", "someone else rewrote line 6")
	_, err = w.svc.MakePublic(ctx, w.coord, r.ID, "leaked")
	must(t, err)
	wk := w.worker(w.svc)
	wk.Handlers = map[string]jobs.Handler{vmt.KindPush: jobs.Push(w.svc)}
	if _, err := wk.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	items := pushes(t, w, r.ID)
	if len(items) != 1 || items[0].State != vmt.OutboxFailed || items[0].Attempts != 1 || !strings.Contains(items[0].LastError, "does not apply") {
		t.Fatalf("push item: %+v", items)
	}
	if refs := gitRepo(t, remote)("for-each-ref"); refs != "" {
		t.Errorf("the remote got %q", refs)
	}
	if !strings.Contains(auditAll(t, w, "outbox.failed"), "does not apply") {
		t.Error("the failure is not in the audit log")
	}
}
