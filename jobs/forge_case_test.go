package jobs_test

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
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

// privateOperations are the stand-in's operations that make nothing
// public: the repository's labels looked up and created, its advisories
// (private until published) read and moved to draft. Before the hour, an
// embargoed report's case makes no other call.
var privateOperations = []string{"issues/get-label", "issues/create-label", "security-advisories/list-repository-advisories",
	"security-advisories/get-repository-advisory", "security-advisories/update-repository-advisory"}

// The whole case with GitHub configured (issue 16, "What it must show"),
// one report from end to end on the stand-in: a private vulnerability
// report filed on GitHub (an advisory in triage) is brought in; accepted,
// its advisory goes draft; it is taken to the notice with an approved fix
// for master and for stable-1, and nothing of it is public on GitHub
// before the hour (no issue, no label, no pull request, no published
// advisory in the stand-in's record). At the hour the branches are pushed,
// the issue opened carrying the status label and one pull request per
// branch. A maintainer's labels come back by webhook: one the process
// refuses is put back with a comment, a replayed delivery changes nothing
// and one with a bad signature is refused. A pull request merged on
// GitHub is read by merge tracking. The advisory, finalised after the
// hour, is published on GitHub with every field; the maintainer's label
// "Fix released" is then a move the process allows, applied, and the
// issue's labels follow. Every outbox item delivered again changes
// nothing on GitHub.
//
// The advisory is finalised after the hour, not before, because it is
// the last guard of Fix released: with it published at the hour, merge
// tracking releases the report itself the moment the last pull request is
// merged, and no label change from GitHub is a move the process allows
// any more (Fix committed only goes to Fix released).
func TestForgeWholeCase(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			up, series := upstreamRepo(t)
			remote := filepath.Join(t.TempDir(), "review.git")
			gitRepo(t, t.TempDir())("init", "-q", "--bare", remote)
			checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"p": up}}
			gs := githubtest.New(t, "kata-containers", "kata-containers")
			env := map[string]string{"GH_TOKEN": gs.Token, "GH_HOOK": "hook-secret"}
			w.setDeps(func(d *app.Deps) {
				d.Checker = checker
				d.Pusher = &gitrepo.Pusher{Checker: checker, Remotes: map[string]string{"p": remote}}
				d.Forge = &github.Forge{Getenv: func(k string) string { return env[k] }}
				d.Publication = site.PublicationHooks()
				d.CheckAdvisory = cvss.Check
				d.Texts = render.Hooks()
			})
			_, err := w.svc.UpdateProject(ctx, w.admin, w.project.ID, vmt.ProjectPatch{Branches: &[]string{"master", "stable-1"}})
			must(t, err)
			wk := w.worker(w.svc)
			wk.Handlers = map[string]jobs.Handler{vmt.KindForge: jobs.Forge(w.svc), vmt.KindPush: jobs.Push(w.svc)}
			f := &forgeWorld{world: w, gs: gs, svc: w.svc, wk: wk}
			_, err = w.svc.SetForgeSettings(ctx, w.admin, "p", f.settings())
			must(t, err)
			deliverAll := func() {
				t.Helper()
				for range 6 {
					_, err := wk.Deliver(ctx)
					must(t, err)
					w.clock.Add(30 * time.Second) // past a retry's backoff
				}
			}
			deliverAll()
			if n := len(gs.Labels()); n != len(vmt.Statuses) {
				t.Fatalf("%d labels on the repository, want the %d statuses", n, len(vmt.Statuses))
			}

			// A private vulnerability report filed on GitHub, brought in.
			pkg := "github.com/kata-containers/kata-containers/src/runtime"
			ghsa := gs.AddReport(githubtest.Advisory{Summary: "Guest escape through the agent", Description: "The agent lets a guest write on the host.",
				Severity: "high", CWEs: []string{"CWE-22"}, Author: "octo", AuthorID: 77,
				Vulnerabilities: []githubtest.Vulnerability{{Ecosystem: "go", Name: pkg, VulnerableRange: "< 3.2.1"}}})
			if n := f.round(); n != 1 {
				t.Fatalf("the round filed %d, want 1", n)
			}
			if n := f.round(); n != 0 {
				t.Errorf("a second round filed %d: brought in twice", n)
			}
			r := f.reportOf(ghsa)
			if r.Visibility != vmt.Private || r.Status != vmt.StatusNew || !strings.Contains(r.Description, "The agent lets a guest write on the host.") {
				t.Fatalf("the report brought in: %s %s\n%s", r.Visibility, r.Status, r.Description)
			}

			// Accepted: the advisory goes draft; no label, the report has no issue.
			_, err = w.svc.Transition(ctx, w.coord, r.ID, vmt.TransitionInput{To: vmt.StatusConfirmed})
			must(t, err)
			deliverAll()
			if st := gs.Advisory(ghsa).States; !slices.Equal(st, []string{"triage", "draft"}) {
				t.Errorf("the accepted report's advisory went %v", st)
			}

			// To the notice: In Progress with its CVE (as the other tests,
			// through the store), an approved fix per branch, the notice.
			must(t, w.store.Update(ctx, func(tx vmt.Tx) error {
				got, err := tx.Report(r.ID)
				if err != nil {
					return err
				}
				now := w.clock.Now()
				got.Status, got.CVEs, got.CVERequestedAt, got.CoordinatorID = vmt.StatusInProgress, []string{"CVE-2026-1234"}, &now, w.coord.ID()
				got.ImpactDescription, got.Class = "A guest writes on the host.", "A"
				return tx.UpdateReport(got)
			}))
			// GitHub names the Go package; the coordinator names the
			// project's component, which the notice needs.
			affected := []vmt.AffectedEntry{{Component: "runtime", Ecosystem: "Go", Package: pkg, Versions: r.Affected[0].Versions}}
			_, err = w.svc.UpdateReport(ctx, w.coord, r.ID, vmt.ReportPatch{Affected: &affected})
			must(t, err)
			rev := w.reviewer()
			w.stakeholder("Distro", false)
			_, err = w.svc.Subscribe(ctx, w.coord, r.ID, rev.ID())
			must(t, err)
			for _, b := range []string{"master", "stable-1"} {
				fx, err := w.svc.AttachFix(ctx, w.coord, r.ID, vmt.FixInput{Branch: b, Series: series})
				must(t, err)
				_, err = w.svc.ReviewFix(ctx, rev, fx.ID, vmt.ReviewInput{Review: vmt.ReviewApproved})
				must(t, err)
			}
			vector := "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H"
			d, err := w.svc.DraftAdvisory(ctx, w.coord, r.ID, vmt.Advisory{Vendor: "P", Title: "Guest escape through the agent's file copy",
				Summary: "A guest can write files on the host.", Description: "The agent's copy call follows links out of the sandbox.",
				Mitigation: "Run the agent with a read-only root.",
				Affected: []vmt.Affected{{Component: "runtime", Ecosystem: "Go", Package: pkg, Versions: ">=3.0.0 <3.2.1",
					Ranges: []vmt.VersionRange{{Introduced: "3.0.0", Fixed: "3.2.1"}, {Introduced: "0", Fixed: "2.5.9"}}}},
				CVEs: []string{"CVE-2026-1234"}, CWEs: []string{"CWE-22", "CWE-59"}, CVSS: []string{vector},
				Credits: []vmt.Credit{{Name: "Octo", Contact: []string{"https://github.com/octo"}, Type: vmt.CreditFinder},
					{Name: "Ada", Contact: []string{"https://github.com/ada-k"}, Type: vmt.CreditRemediationDeveloper},
					{Name: "No Login", Contact: []string{"mailto:n@example.org"}, Type: vmt.CreditAnalyst}}})
			must(t, err)
			notice, err := w.svc.SendNotice(ctx, w.coord, r.ID)
			must(t, err)
			deliverAll()

			// Before the hour: nothing public on GitHub.
			before := gs.Calls()
			for _, c := range before {
				if !slices.Contains(privateOperations, c.Operation) {
					t.Errorf("a public call before the hour: %+v", c)
				}
			}
			if len(gs.Issues()) != 0 || len(gs.Pulls()) != 0 {
				t.Errorf("before the hour: issues %v, pull requests %+v", gs.Issues(), gs.Pulls())
			}
			if a := gs.Advisory(ghsa); a.State != "draft" || slices.Contains(a.States, "published") {
				t.Errorf("before the hour the advisory went %v", a.States)
			}
			for _, o := range forgeItemsOf(t, w, r.ID) {
				// The advisory's state and its collaborators (those let in)
				// are private to the draft.
				if strings.Contains(string(o.Payload), `"op":"`+vmt.ForgeAdvisoryState+`"`) ||
					strings.Contains(string(o.Payload), `"op":"`+vmt.ForgeAdvisoryCollaborators+`"`) {
					continue
				}
				t.Errorf("forge item %s (%s) queued before the hour", o.Key, o.Payload)
			}

			// The hour: the branches pushed, the issue and one pull request per branch.
			w.clock.Add(notice.Disclosure.Sub(w.clock.Now()))
			if n, err := wk.Disclose(ctx); err != nil || n != 1 {
				t.Fatalf("at the hour: %d disclosed, %v", n, err)
			}
			deliverAll()
			if refs := gitRepo(t, remote)("for-each-ref", "--format=%(refname)"); refs != "refs/heads/vmt/CVE-2026-1234/master\nrefs/heads/vmt/CVE-2026-1234/stable-1" {
				t.Errorf("the remote holds %q", refs)
			}
			if got := gs.Issues(); len(got) != 1 {
				t.Fatalf("issues on GitHub: %v, want one", got)
			}
			num := gs.Issues()[0]
			if is := gs.Issue(num); !strings.HasPrefix(is.Title, "CVE-2026-1234: ") {
				t.Errorf("the issue's title %q", is.Title)
			}
			wantLabels(t, gs, num, "Fix committed")
			pulls := gs.Pulls()
			byBase := map[string]githubtest.Pull{}
			for _, p := range pulls {
				byBase[p.Base] = p
				if !strings.Contains(p.Body, "Issue: #"+strconv.Itoa(num)) {
					t.Errorf("pull request %d does not name the issue:\n%s", p.Number, p.Body)
				}
			}
			if len(pulls) != 2 || byBase["master"].Head != "vmt/CVE-2026-1234/master" || byBase["stable-1"].Head != "vmt/CVE-2026-1234/stable-1" {
				t.Fatalf("pull requests on GitHub: %+v, want one per branch", pulls)
			}
			v, err := w.svc.Report(ctx, w.coord, r.ID)
			must(t, err)
			if v.Forge == nil || v.Forge.Issue == nil || v.Forge.Issue.Number != num || len(v.Forge.PullRequests) != 2 {
				t.Errorf("the report's forge: %+v", v.Forge)
			}

			// A maintainer labels it Fix released while nothing is merged:
			// refused, put back, with a comment saying why.
			res, err := f.hook("case-1", gs.Relabel(num, "labeled", "Fix released", "maintainer"))
			must(t, err)
			if res.Outcome != "refused" || reportStatus(t, f, r.ID) != vmt.StatusFixCommitted {
				t.Fatalf("a label the process refuses: %+v, report %s", res, reportStatus(t, f, r.ID))
			}
			deliverAll()
			wantLabels(t, gs, num, "Fix committed")
			if cs := gs.Issue(num).Comments; len(cs) != 1 || !strings.Contains(cs[0], "@maintainer vmt put the status label back") ||
				!strings.Contains(cs[0], "not every patch is merged") {
				t.Errorf("comments %q", cs)
			}
			// GitHub delivers it again: a duplicate, nothing queued.
			items := len(f.forgeItems())
			if res, err := f.hook("case-1", gs.Relabel(num, "labeled", "Fix released", "maintainer")); err != nil || res.Outcome != "duplicate" {
				t.Errorf("a replayed delivery: %+v, %v", res, err)
			}
			if n := len(f.forgeItems()); n != items {
				t.Errorf("a replayed delivery queued %d items", n-items)
			}
			deliverAll()
			// A delivery signed with another secret: refused, nothing moves.
			body := gs.Relabel(num, "labeled", "Invalid", "mallory")
			if _, err := w.svc.ForgeWebhook(ctx, "p", vmt.ForgeDelivery{ID: "case-forged", Event: "issues",
				Signature: githubtest.Sign("guess", body), Body: body}); vmt.ErrorCode(err) != vmt.EUNAUTHENTICATED {
				t.Errorf("a delivery with a bad signature: %v", err)
			}
			if reportStatus(t, f, r.ID) != vmt.StatusFixCommitted {
				t.Error("a forged delivery moved the report")
			}
			// The stand-in keeps the forged label; GitHub would not have it.
			_ = gs.Relabel(num, "unlabeled", "Invalid", "mallory")

			// The pull request into stable-1 merged on GitHub: tracking reads it.
			sha := strings.Repeat("5e", 20)
			gs.Merge(byBase["stable-1"].Number, sha)
			must(t, w.svc.TrackFixes(ctx))
			for _, fx := range fixesOf(t, w, r.ID) {
				if merged := fx.Merge == vmt.MergeCompleted; merged != (fx.Branch == "stable-1") || merged && fx.MergeCommit != sha {
					t.Errorf("%s's fix after the merge of stable-1's pull request: %s %q", fx.Branch, fx.Merge, fx.MergeCommit)
				}
			}
			master := strings.Repeat("a1", 20)
			gs.Merge(byBase["master"].Number, master)
			must(t, w.svc.TrackFixes(ctx))
			if st := reportStatus(t, f, r.ID); st != vmt.StatusFixCommitted {
				t.Fatalf("released before its advisory is published: %s", st)
			}

			// The advisory, finalised and published: on GitHub, every field.
			d, err = w.svc.EmbargoAdvisory(ctx, w.coord, d.RecordID)
			must(t, err)
			d, err = w.svc.PublishAdvisory(ctx, w.coord, d.RecordID)
			must(t, err)
			deliverAll()
			a := gs.Advisory(ghsa)
			wantPublishedAdvisory(t, a, d, pkg, vector)
			if n := len(gs.Advisories()); n != 1 {
				t.Errorf("%d advisories on GitHub, want the one brought in", n)
			}

			// Now Fix released is a move the process allows: applied, and
			// the issue carries that status alone.
			res, err = f.hook("case-2", gs.Relabel(num, "labeled", "Fix released", "maintainer"))
			must(t, err)
			if res.Outcome != "applied" || reportStatus(t, f, r.ID) != vmt.StatusFixReleased {
				t.Fatalf("a label the process allows: %+v, report %s", res, reportStatus(t, f, r.ID))
			}
			deliverAll()
			wantLabels(t, gs, num, "Fix released")
			if cs := gs.Issue(num).Comments; len(cs) != 1 {
				t.Errorf("comments after an accepted label: %q", cs)
			}

			// Every item again, as a retry would: nothing changes on GitHub
			// and nothing more is queued.
			changes, queued := len(gs.Changes()), len(f.forgeItems())
			retried := 0
			for _, o := range append(f.forgeItems(), pushes(t, w, r.ID)...) {
				if o.State != vmt.OutboxDone {
					t.Errorf("item %s is %s: %s", o.Key, o.State, o.LastError)
				}
				var err error
				if o.Kind == vmt.KindPush {
					_, err = w.svc.PushFixes(ctx, o)
				} else {
					err = w.svc.DeliverForge(ctx, o)
				}
				if err != nil {
					t.Errorf("retry of %s: %v", o.Key, err)
				}
				retried++
			}
			if retried < 10 {
				t.Errorf("%d items retried", retried)
			}
			if n := len(gs.Changes()); n != changes {
				t.Errorf("the retries made %d changes on GitHub: %+v", n-changes, gs.Changes()[changes:])
			}
			if n := len(f.forgeItems()); n != queued {
				t.Errorf("the retries queued %d forge items", n-queued)
			}
			if len(gs.Issues()) != 1 || len(gs.Pulls()) != 2 || len(gs.Advisories()) != 1 {
				t.Errorf("after the retries: issues %v, pull requests %d, advisories %v", gs.Issues(), len(gs.Pulls()), gs.Advisories())
			}
		})
	}
}
