package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/cvss"
	"github.com/vmtproject/vmt/github"
	"github.com/vmtproject/vmt/github/githubtest"
	"github.com/vmtproject/vmt/gitrepo"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/render"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// The disclosure hour on GitHub, end to end: a report with approved fixes
// for master and stable-1 and a final advisory. Before the hour nothing
// of it reaches GitHub, even an item written by hand for it (the forge
// handler refuses it). At the hour the branches are pushed, one issue is
// opened (the CVE, the advisory's summary and link) and one pull request
// per branch from vmt/<CVE>/<branch> into it, naming the issue and the
// advisory; their links are on the report. The first answer to each
// creation is lost on the way back: the retry finds what it opened. Every
// outbox item delivered again changes nothing. A pull request merged on GitHub is read by merge
// tracking: that branch's fix is merged, as the merge commit; once both
// are, the report is released and its issue's label follows.
func TestForgeAtDisclosureHour(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			up, series := upstreamRepo(t)
			remote := filepath.Join(t.TempDir(), "review.git")
			gitRepo(t, t.TempDir())("init", "-q", "--bare", remote)
			checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"p": up}}
			gs := githubtest.New(t, "kata-containers", "kata-containers")
			env := map[string]string{"GH_TOKEN": gs.Token}
			lossy := &loseFirstAnswer{lost: map[string]bool{}}
			w.setDeps(func(d *app.Deps) {
				d.Checker = checker
				d.Pusher = &gitrepo.Pusher{Checker: checker, Remotes: map[string]string{"p": remote}}
				d.Forge = &github.Forge{Getenv: func(k string) string { return env[k] }, Transport: lossy}
				d.Publication = site.PublicationHooks()
				d.CheckAdvisory = cvss.Check
				d.Texts = render.Hooks()
			})
			_, err := w.svc.UpdateProject(ctx, w.admin, w.project.ID, vmt.ProjectPatch{Branches: &[]string{"master", "stable-1"}})
			must(t, err)
			_, err = w.svc.SetForgeSettings(ctx, w.admin, "p", vmt.ForgeSettings{Enabled: true, Owner: gs.Owner, Repo: gs.Repo,
				TokenRef: "env:GH_TOKEN", Endpoint: gs.URL})
			must(t, err)
			wk := w.worker(w.svc)
			wk.Handlers = map[string]jobs.Handler{vmt.KindForge: jobs.Forge(w.svc), vmt.KindPush: jobs.Push(w.svc)}
			deliverAll := func() {
				t.Helper()
				for range 6 {
					_, err := wk.Deliver(ctx)
					must(t, err)
					w.clock.Add(30 * time.Second) // past a retry's backoff
				}
			}
			deliverAll() // the status labels on the repository
			setup := len(gs.Calls())

			rev := w.reviewer()
			w.stakeholder("Distro", false)
			r := w.inProgress("Overflow found by Jane Doe")
			// The reporter marked the credit never to disclose: its name
			// stays off GitHub, in the report's title as elsewhere.
			must(t, w.store.Update(ctx, func(tx vmt.Tx) error {
				got, err := tx.Report(r.ID)
				if err != nil {
					return err
				}
				got.Credit, got.NeverDisclose = "Jane Doe (Acme)", []string{"credit"}
				return tx.UpdateReport(got)
			}))
			_, err = w.svc.Subscribe(ctx, w.coord, r.ID, rev.ID())
			must(t, err)
			for _, b := range []string{"master", "stable-1"} {
				f, err := w.svc.AttachFix(ctx, w.coord, r.ID, vmt.FixInput{Branch: b, Series: series})
				must(t, err)
				_, err = w.svc.ReviewFix(ctx, rev, f.ID, vmt.ReviewInput{Review: vmt.ReviewApproved})
				must(t, err)
			}
			d := w.finalAdvisory(r)
			notice, err := w.svc.SendNotice(ctx, w.coord, r.ID)
			must(t, err)

			// Before the hour: nothing goes to GitHub, and an item written
			// by hand for the embargoed report is refused without a call.
			deliverAll()
			for _, op := range []vmt.ForgeRequest{
				{Op: vmt.ForgeOpenIssue, ProjectID: w.project.ID, ReportID: r.ID},
				{Op: vmt.ForgeOpenPullRequest, ProjectID: w.project.ID, ReportID: r.ID, Branch: "master", Head: "vmt/CVE-2026-1234/master"},
				{Op: vmt.ForgeSyncLabel, ProjectID: w.project.ID, ReportID: r.ID},
				{Op: vmt.ForgeComment, ProjectID: w.project.ID, ReportID: r.ID, Body: "early"},
			} {
				b, _ := json.Marshal(op)
				o := &vmt.OutboxItem{Key: "forge:by-hand:" + op.Op, Kind: vmt.KindForge, ReportID: r.ID, Payload: b, CreatedAt: w.clock.Now()}
				err := jobs.Forge(w.svc)(ctx, o)
				var perm jobs.PermanentError
				if vmt.ErrorCode(err) != vmt.EINVALID || !errors.As(err, &perm) {
					t.Errorf("%s for the embargoed report: %v, want a permanent EINVALID", op.Op, err)
				}
			}
			if calls := gs.Calls()[setup:]; len(calls) != 0 {
				t.Fatalf("calls to GitHub before the hour: %+v", calls)
			}
			for _, o := range forgeItemsOf(t, w, r.ID) {
				t.Errorf("forge item %s queued before the hour", o.Key)
			}

			// The hour.
			w.clock.Add(notice.Disclosure.Sub(w.clock.Now()))
			if n, err := wk.Disclose(ctx); err != nil || n != 1 {
				t.Fatalf("at the hour: %d disclosed, %v", n, err)
			}
			deliverAll()
			items := forgeItemsOf(t, w, r.ID)
			for _, o := range items {
				if o.State != vmt.OutboxDone {
					t.Errorf("forge item %s is %s: %s", o.Key, o.State, o.LastError)
				}
			}
			if refs := gitRepo(t, remote)("for-each-ref", "--format=%(refname)"); refs != "refs/heads/vmt/CVE-2026-1234/master\nrefs/heads/vmt/CVE-2026-1234/stable-1" {
				t.Errorf("the remote holds %q", refs)
			}
			if len(lossy.lost) != 3 {
				t.Errorf("answers lost: %v, want the issue's and each pull request's", lossy.lost)
			}
			if got := gs.Issues(); len(got) != 1 {
				t.Fatalf("issues on GitHub: %v, want one", got)
			}
			num := gs.Issues()[0]
			issue := gs.Issue(num)
			link := "https://vmt.example.org/advisories/" + publicID(t, w, d)
			if issue.Title != "CVE-2026-1234: Agent buffer overflow" || !strings.Contains(issue.Body, "A guest can overflow the agent's buffer.") ||
				!strings.Contains(issue.Body, link) || !strings.Contains(issue.Body, "<!-- vmt:vmt:report:"+strconv.FormatInt(r.ID, 10)+" -->") {
				t.Errorf("the issue: %q\n%s", issue.Title, issue.Body)
			}
			if !slices.Contains(issue.Labels, report(t, w, r.ID).Status.Label()) {
				t.Errorf("the issue's labels %v lack the report's status", issue.Labels)
			}
			pulls := gs.Pulls()
			if len(pulls) != 2 {
				t.Fatalf("pull requests on GitHub: %+v, want two", pulls)
			}
			byBase := map[string]githubtest.Pull{}
			for _, p := range pulls {
				byBase[p.Base] = p
				if !strings.Contains(p.Body, "Issue: #"+strconv.Itoa(num)) || !strings.Contains(p.Body, link) ||
					!strings.Contains(p.Title, "CVE-2026-1234: Overflow found by ") || strings.Contains(p.Title+p.Body, "Jane") {
					t.Errorf("pull request %d: %q\n%s", p.Number, p.Title, p.Body)
				}
			}
			for _, b := range []string{"master", "stable-1"} {
				if byBase[b].Head != "vmt/CVE-2026-1234/"+b {
					t.Errorf("the pull request into %s is from %q", b, byBase[b].Head)
				}
			}

			// The links are on the report.
			v, err := w.svc.Report(ctx, w.coord, r.ID)
			must(t, err)
			web := "https://github.com/kata-containers/kata-containers/"
			if v.Forge == nil || v.Forge.Issue == nil || v.Forge.Issue.URL != web+"issues/"+strconv.Itoa(num) || len(v.Forge.PullRequests) != 2 {
				t.Fatalf("the report's forge: %+v", v.Forge)
			}
			for _, pr := range v.Forge.PullRequests {
				if p := byBase[pr.Branch]; pr.Number != p.Number || pr.URL != web+"pull/"+strconv.Itoa(p.Number) || pr.Head != p.Head {
					t.Errorf("the report's pull request %+v, on GitHub %+v", pr, p)
				}
			}

			// Every item again, as a retry would: nothing changes on GitHub
			// and nothing more is queued.
			changes, queued := len(gs.Changes()), len(forgeItemsOf(t, w, r.ID))
			for _, o := range allItems(t, w, r.ID) {
				var err error
				switch o.Kind {
				case vmt.KindForge:
					err = w.svc.DeliverForge(ctx, o)
				case vmt.KindPush:
					_, err = w.svc.PushFixes(ctx, o)
				default:
					continue
				}
				if err != nil {
					t.Errorf("retry of %s: %v", o.Key, err)
				}
			}
			if n := len(gs.Changes()); n != changes {
				t.Errorf("the retries made %d changes on GitHub: %+v", n-changes, gs.Changes()[changes:])
			}
			if n := len(forgeItemsOf(t, w, r.ID)); n != queued {
				t.Errorf("the retries queued %d forge items", n-queued)
			}

			// A maintainer merges the pull request into stable-1: merge
			// tracking reads it.
			sha := strings.Repeat("5e", 20)
			gs.Merge(byBase["stable-1"].Number, sha)
			must(t, w.svc.TrackFixes(ctx))
			fixes := fixesOf(t, w, r.ID)
			for _, f := range fixes {
				switch f.Branch {
				case "stable-1":
					if f.Merge != vmt.MergeCompleted || f.MergeCommit != sha {
						t.Errorf("stable-1's fix after the merge: %s %q", f.Merge, f.MergeCommit)
					}
				case "master":
					if f.Merge == vmt.MergeCompleted {
						t.Errorf("master's fix is merged, its pull request is not")
					}
				}
			}
			if !strings.Contains(auditAll(t, w, vmt.AuditFixMerge), sha) {
				t.Error("the merge is not audited")
			}
			// Tracked again: GitHub is not asked about the merged one.
			before := len(gs.Calls())
			must(t, w.svc.TrackFixes(ctx))
			for _, c := range gs.Calls()[before:] {
				if c.Path == "/repos/kata-containers/kata-containers/pulls/"+strconv.Itoa(byBase["stable-1"].Number) {
					t.Errorf("the merged pull request is read again")
				}
			}
			if f := fixesOf(t, w, r.ID); !slices.EqualFunc(f, fixes, func(a, b *vmt.Fix) bool { return a.Merge == b.Merge && a.MergeCommit == b.MergeCommit }) {
				t.Error("the second run changed the merge state")
			}

			// The last pull request merged: tracking releases the report,
			// and the issue's label follows, as at any transition.
			gs.Merge(byBase["master"].Number, strings.Repeat("a1", 20))
			must(t, w.svc.TrackFixes(ctx))
			if st := report(t, w, r.ID).Status; st != vmt.StatusFixReleased {
				t.Fatalf("every pull request merged, the report is %s", st)
			}
			deliverAll()
			if got := gs.Issue(num).Labels; !slices.Contains(got, "Fix released") || slices.Contains(got, "Fix committed") {
				t.Errorf("released by merge tracking, the issue has labels %v", got)
			}
		})
	}
}

// Without forge settings, the hour queues nothing for GitHub: the issue
// and pull requests are a forge's.
func TestForgeHourNotConfigured(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "sqlite")
	gs := githubtest.New(t, "o", "r")
	w.setDeps(func(d *app.Deps) { d.Forge = &github.Forge{} })
	r := w.readyReport("Overflow")
	_, err := w.svc.MakePublic(ctx, w.coord, r.ID, "leaked")
	must(t, err)
	if items := forgeItemsOf(t, w, r.ID); len(items) != 0 {
		t.Errorf("forge items without forge settings: %+v", items)
	}
	v, err := w.svc.Report(ctx, w.coord, r.ID)
	must(t, err)
	if v.Forge != nil || len(gs.Calls()) != 0 {
		t.Errorf("forge %+v, %d calls", v.Forge, len(gs.Calls()))
	}
}

// loseFirstAnswer carries each call to GitHub but, the first time a
// pull request or an issue is opened, loses the answer: the call was made,
// vmt does not know it.
type loseFirstAnswer struct {
	mu   sync.Mutex
	lost map[string]bool
}

func (l *loseFirstAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || req.Method != http.MethodPost || !strings.HasSuffix(req.URL.Path, "/issues") && !strings.HasSuffix(req.URL.Path, "/pulls") {
		return resp, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var created struct{ Number int }
	_ = json.Unmarshal(b, &created)
	key := req.URL.Path + "#" + strconv.Itoa(created.Number)
	if l.lost[key] {
		resp.Body = io.NopCloser(bytes.NewReader(b))
		return resp, nil
	}
	l.lost[key] = true
	return nil, errors.New("connection reset by peer (the answer is lost)")
}

func allItems(t *testing.T, w *world, reportID int64) []*vmt.OutboxItem {
	var out []*vmt.OutboxItem
	must(t, w.store.View(context.Background(), func(tx vmt.Tx) (err error) {
		out, err = tx.OutboxItems(reportID)
		return err
	}))
	return out
}

func forgeItemsOf(t *testing.T, w *world, reportID int64) []*vmt.OutboxItem {
	var out []*vmt.OutboxItem
	for _, o := range allItems(t, w, reportID) {
		if o.Kind == vmt.KindForge {
			out = append(out, o)
		}
	}
	return out
}

func fixesOf(t *testing.T, w *world, reportID int64) []*vmt.Fix {
	var out []*vmt.Fix
	must(t, w.store.View(context.Background(), func(tx vmt.Tx) (err error) {
		out, err = tx.Fixes(reportID)
		return err
	}))
	return out
}

// publicID is the id of d as published.
func publicID(t *testing.T, w *world, d *vmt.Advisory) string {
	var id string
	must(t, w.store.View(context.Background(), func(tx vmt.Tx) error {
		ds, err := tx.AdvisoriesOfReport(d.ReportID)
		for _, x := range ds {
			if x.RecordID == d.RecordID {
				id = x.ID.String()
			}
		}
		return err
	}))
	return id
}
