package jobs_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/cvss"
	"github.com/vmtproject/vmt/github"
	"github.com/vmtproject/vmt/github/githubtest"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/render"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// newAdvisoryWorld is a forge world that also publishes advisories.
func newAdvisoryWorld(t *testing.T, engine string) *forgeWorld {
	w := newWorld(t, engine)
	gs := githubtest.New(t, "kata-containers", "kata-containers")
	env := map[string]string{"GH_TOKEN": gs.Token, "GH_HOOK": "hook-secret"}
	w.setDeps(func(d *app.Deps) {
		d.Publication = site.PublicationHooks()
		d.CheckAdvisory = cvss.Check
		d.Texts = render.Hooks()
		d.Forge = &github.Forge{Getenv: func(k string) string { return env[k] }}
	})
	wk := w.worker(w.svc)
	wk.Handlers = map[string]jobs.Handler{vmt.KindForge: jobs.Forge(w.svc)}
	return &forgeWorld{world: w, gs: gs, svc: w.svc, wk: wk}
}

func (f *forgeWorld) round() int {
	f.t.Helper()
	n, err := (&jobs.ForgeIntake{Service: f.svc}).Round(context.Background())
	must(f.t, err)
	return n
}

func (f *forgeWorld) advisoryLink(reportID int64) *vmt.ForgeAdvisoryLink {
	f.t.Helper()
	var l *vmt.ForgeAdvisoryLink
	must(f.t, f.store.View(context.Background(), func(tx vmt.Tx) (err error) {
		l, err = tx.ForgeAdvisoryLink(reportID)
		return err
	}))
	return l
}

func (f *forgeWorld) reportOf(ghsa string) *vmt.Report {
	f.t.Helper()
	var r *vmt.Report
	must(f.t, f.store.View(context.Background(), func(tx vmt.Tx) error {
		l, err := tx.ForgeAdvisoryByGHSA(f.project.ID, ghsa)
		if err != nil {
			return err
		}
		r, err = tx.Report(l.ReportID)
		return err
	}))
	return r
}

func (f *forgeWorld) user(id int64) *vmt.User {
	f.t.Helper()
	var u *vmt.User
	must(f.t, f.store.View(context.Background(), func(tx vmt.Tx) (err error) {
		u, err = tx.User(id)
		return err
	}))
	return u
}

// A whole case of the repository's advisories: private reports in triage
// are brought in once each, for the account their GitHub login is known
// by (or one made for it); accepting and closing move the advisory; it
// stays a draft until the disclosure hour, when vmt's document fills
// every field and publishes it; a report of a project whose CNA is GitHub
// gets its CVE asked for through a draft made for it; a retry of every
// item changes nothing on GitHub.
func TestForgeAdvisories(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := newAdvisoryWorld(t, engine)
			ctx := context.Background()
			_, err := f.svc.SetForgeSettings(ctx, f.admin, "p", f.settings())
			must(t, err)
			f.deliver()
			labels := len(f.gs.Changes())

			rita, err := f.svc.CreateUser(ctx, f.admin, vmt.UserInput{Email: "rita@example.org", Name: "Rita", Role: vmt.RoleReporter})
			must(t, err)
			pkg := "github.com/kata-containers/kata-containers/src/runtime"
			escape := f.gs.AddReport(githubtest.Advisory{Summary: "Guest escape through the agent", Description: "The agent lets a guest write on the host.",
				Severity: "high", CWEs: []string{"CWE-22"}, Author: "octo", AuthorID: 77,
				Vulnerabilities: []githubtest.Vulnerability{{Ecosystem: "go", Name: pkg, VulnerableRange: "< 3.2.1"}}})
			spam := f.gs.AddReport(githubtest.Advisory{Summary: "Not a bug", Description: "Please read.", Author: "rita-gh", AuthorID: 78,
				AuthorEmail: "rita@example.org"})
			if n := f.round(); n != 2 {
				t.Fatalf("the first round filed %d, want 2", n)
			}
			r := f.reportOf(escape)
			if r.Visibility != vmt.Private || r.Status != vmt.StatusNew || r.Title != "Guest escape through the agent" ||
				!strings.Contains(r.Description, "The agent lets a guest write on the host.") ||
				!strings.Contains(r.Description, "by @octo") || !strings.Contains(r.Description, escape) ||
				!strings.Contains(r.Description, "severity high") || !strings.Contains(r.Description, "CWE-22") ||
				!strings.Contains(r.Description, "affects go "+pkg+" < 3.2.1") {
				t.Errorf("the report brought in: %s %s %q\n%s", r.Visibility, r.Status, r.Title, r.Description)
			}
			if len(r.Affected) != 1 || r.Affected[0].Ecosystem != "Go" || r.Affected[0].Package != pkg {
				t.Errorf("affected %+v", r.Affected)
			}
			octo := f.user(r.ReporterID)
			if octo.Email != "77+octo@users.noreply.github.com" || octo.Role != vmt.RoleReporter || octo.PasswordHash != "" {
				t.Errorf("the reporter account made: %+v", octo)
			}
			if l := f.advisoryLink(r.ID); l.Login != "octo" || l.GHSA != escape || !strings.HasSuffix(l.URL, "/security/advisories/"+escape) {
				t.Errorf("link %+v", l)
			}
			closed := f.reportOf(spam)
			if closed.ReporterID != rita.ID {
				t.Errorf("the report of rita-gh is filed for user %d, want Rita's account %d (her address)", closed.ReporterID, rita.ID)
			}
			// octo reports again: the same account; the earlier ones are not
			// brought in again, and bringing in changes nothing on GitHub.
			again := f.gs.AddReport(githubtest.Advisory{Summary: "Second", Description: "More.", Author: "octo", AuthorID: 77})
			if n := f.round(); n != 1 {
				t.Fatalf("the second round filed %d, want 1", n)
			}
			if got := f.reportOf(again); got.ReporterID != octo.ID {
				t.Errorf("octo's second report is for user %d, want %d", got.ReporterID, octo.ID)
			}
			if n := f.round(); n != 0 {
				t.Errorf("a third round filed %d", n)
			}
			if n := len(f.gs.Changes()); n != labels {
				t.Errorf("bringing reports in made %d changes on GitHub", n-labels)
			}

			// Accepted: draft; closed: closed.
			_, err = f.svc.Transition(ctx, f.coord, r.ID, vmt.TransitionInput{To: vmt.StatusConfirmed})
			must(t, err)
			_, err = f.svc.Transition(ctx, f.coord, closed.ID, vmt.TransitionInput{To: vmt.StatusInvalid, Reason: "works as documented", Class: "E"})
			must(t, err)
			f.deliver()
			if st := f.gs.Advisory(escape).States; !slices.Equal(st, []string{"triage", "draft"}) {
				t.Errorf("the accepted report's advisory went %v", st)
			}
			if st := f.gs.Advisory(spam).States; !slices.Equal(st, []string{"triage", "closed"}) {
				t.Errorf("the closed report's advisory went %v", st)
			}

			// To the disclosure, with the final document; and another
			// report of the same hour that came in otherwise.
			hour := f.clock.Now().Add(time.Hour).UTC().Truncate(time.Microsecond)
			ours, err := f.svc.CreateReport(ctx, f.coord, vmt.ReportInput{Project: "p", Title: "Found by us", Description: "d", Components: []string{"agent"}})
			must(t, err)
			f.toDisclosure(ours.ID, hour, "CVE-2026-2222", vmt.Advisory{Vendor: "P", Title: "Agent overflow",
				Description: "The agent overflows.", Affected: []vmt.Affected{{Component: "agent", Versions: "<3.2.1"}}, CVEs: []string{"CVE-2026-2222"}})
			vector := "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H"
			d := f.toDisclosure(r.ID, hour, "CVE-2026-1234", vmt.Advisory{Vendor: "P", Title: "Guest escape through the agent's file copy",
				Summary: "A guest can write files on the host.", Description: "The agent's copy call follows links out of the sandbox.",
				Mitigation: "Run the agent with a read-only root.",
				Affected: []vmt.Affected{{Component: "runtime", Ecosystem: "Go", Package: pkg, Versions: ">=3.0.0 <3.2.1",
					Ranges: []vmt.VersionRange{{Introduced: "3.0.0", Fixed: "3.2.1"}, {Introduced: "0", Fixed: "2.5.9"}}}},
				CVEs: []string{"CVE-2026-1234"}, CWEs: []string{"CWE-22", "CWE-59"}, CVSS: []string{vector},
				Credits: []vmt.Credit{{Name: "Octo", Contact: []string{"https://github.com/octo"}, Type: vmt.CreditFinder},
					{Name: "Ada", Contact: []string{"https://github.com/ada-k"}, Type: vmt.CreditRemediationDeveloper},
					{Name: "No Login", Contact: []string{"mailto:n@example.org"}, Type: vmt.CreditAnalyst}}})
			f.deliver()
			if a := f.gs.Advisory(escape); a.State != "draft" {
				t.Fatalf("before the hour the advisory is %s", a.State)
			}
			f.clock.Add(time.Hour)
			if n, err := f.wk.Disclose(ctx); err != nil || n != 2 {
				t.Fatalf("at the hour: %d disclosed, %v", n, err)
			}
			f.deliver()
			a := f.gs.Advisory(escape)
			wantPublishedAdvisory(t, a, d, pkg, vector)
			// The report that came in otherwise: its advisory created, linked,
			// published, without the marker.
			ol := f.advisoryLink(ours.ID)
			if oa := f.gs.Advisory(ol.GHSA); oa == nil || !slices.Equal(oa.States, []string{"draft", "published"}) || oa.Summary != "Agent overflow" ||
				!strings.HasPrefix(oa.Description, "The agent overflows.\n\n### References") ||
				strings.Contains(oa.Description, "<!--") || oa.CVE != "CVE-2026-2222" ||
				!slices.Equal(oa.Vulnerabilities, []githubtest.Vulnerability{{Ecosystem: "other", Name: "agent", VulnerableRange: "<3.2.1"}}) {
				t.Errorf("the advisory of the report not from GitHub: %+v", oa)
			}
			if n := len(f.gs.Advisories()); n != 4 {
				t.Errorf("%d advisories on GitHub, want the 3 brought in and 1 created: the one brought in was not the one published", n)
			}

			// The CVE through GitHub's CNA: refused while the project's
			// CNA is another.
			other, err := f.svc.CreateReport(ctx, f.coord, vmt.ReportInput{Project: "p", Title: "Found by us", Description: "d", Components: []string{"agent"}})
			must(t, err)
			if _, err := f.svc.RequestForgeCVE(ctx, f.coord, other.ID); vmt.ErrorCode(err) != vmt.EINVALID {
				t.Errorf("a CVE through GitHub for a project whose CNA is not GitHub: %v", err)
			}
			_, err = f.svc.SetCNASettings(ctx, f.admin, "p", vmt.CNASettings{ShortName: vmt.GitHubCNA})
			must(t, err)
			if _, err := f.svc.RequestForgeCVE(ctx, f.reporterActor(octo), other.ID); vmt.ErrorCode(err) == "" {
				t.Error("a reporter asked for a CVE")
			}
			v, err := f.svc.RequestForgeCVE(ctx, f.coord, other.ID)
			must(t, err)
			if v.Report.CVERequestedAt == nil {
				t.Error("the request is not recorded")
			}
			if _, err := f.svc.RequestForgeCVE(ctx, f.coord, other.ID); vmt.ErrorCode(err) != vmt.ECONFLICT {
				t.Errorf("a second request: %v", err)
			}
			f.deliver()
			l := f.advisoryLink(other.ID)
			draft := f.gs.Advisory(l.GHSA)
			if draft == nil || draft.State != "draft" || !draft.CVERequested || draft.Summary != "Found by us" ||
				!strings.Contains(draft.Description, "<!-- vmt:report:") || strings.Contains(draft.Description, "embargo") {
				t.Errorf("the draft for the CVE: %+v", draft)
			}
			if n := len(f.gs.Advisories()); n != 5 {
				t.Errorf("%d advisories, want 5", n)
			}
			// A publication for the embargoed report, were one ever queued,
			// is refused without a call.
			payload, err := json.Marshal(vmt.ForgeRequest{Op: vmt.ForgePublishAdvisory, ProjectID: f.project.ID, ReportID: other.ID, AdvisoryID: d.RecordID})
			must(t, err)
			calls := len(f.gs.Calls())
			if err := f.svc.DeliverForge(ctx, &vmt.OutboxItem{Key: "forged", Kind: vmt.KindForge, Payload: payload}); vmt.ErrorCode(err) != vmt.EINVALID {
				t.Errorf("a publication for an embargoed report: %v, want EINVALID", err)
			}
			if n := len(f.gs.Calls()); n != calls {
				t.Errorf("it made %d calls", n-calls)
			}
			f.gs.AssignCVE(l.GHSA, "CVE-2026-5555") // GitHub's CNA answers
			// The next round records it on the report, once.
			changes := len(f.gs.Changes())
			for range 2 {
				if n := f.round(); n != 0 {
					t.Errorf("a round filed %d", n)
				}
			}
			if got := report(t, f.world, other.ID); !slices.Equal(got.CVEs, []string{"CVE-2026-5555"}) || !strings.Contains(got.Title, "CVE-2026-5555") {
				t.Errorf("after GitHub assigned the CVE the report has %v, %q", got.CVEs, got.Title)
			}
			if got := report(t, f.world, r.ID); !slices.Equal(got.CVEs, []string{"CVE-2026-1234"}) {
				t.Errorf("the disclosed report's CVEs are %v", got.CVEs)
			}
			if n := len(f.gs.Changes()); n != changes {
				t.Errorf("reading the CVEs made %d changes on GitHub", n-changes)
			}

			// Every item again, as a retry would: nothing changes.
			f.retryDone()
			// Nothing was published but the disclosed reports' advisories.
			for _, id := range f.gs.Advisories() {
				if id != escape && id != ol.GHSA && slices.Contains(f.gs.Advisory(id).States, "published") {
					t.Errorf("%s was published", id)
				}
			}
		})
	}
}

func (f *forgeWorld) reporterActor(u *vmt.User) vmt.Actor { return vmt.Actor{User: u} }

// toDisclosure takes report id to Fix committed with its disclosure at
// hour and doc as its final document (class A).
func (f *forgeWorld) toDisclosure(id int64, hour time.Time, cve string, doc vmt.Advisory) *vmt.Advisory {
	f.t.Helper()
	ctx := context.Background()
	set := func(fn func(r *vmt.Report)) {
		must(f.t, f.store.Update(ctx, func(tx vmt.Tx) error {
			got, err := tx.Report(id)
			if err != nil {
				return err
			}
			fn(got)
			return tx.UpdateReport(got)
		}))
	}
	set(func(r *vmt.Report) {
		now := f.clock.Now()
		r.Status, r.CVEs, r.CVERequestedAt, r.CoordinatorID = vmt.StatusInProgress, []string{cve}, &now, f.coord.ID()
		r.ImpactDescription = "A guest writes on the host."
	})
	_, err := f.svc.WaiveFix(ctx, f.coord, id, vmt.WaiverInput{Reason: "the fix ships with the advisory"})
	must(f.t, err)
	set(func(r *vmt.Report) {
		r.DisclosureAt, r.NoticeSentAt, r.Status, r.Class = &hour, &hour, vmt.StatusFixCommitted, "A"
	})
	d, err := f.svc.DraftAdvisory(ctx, f.coord, id, doc)
	must(f.t, err)
	d, err = f.svc.EmbargoAdvisory(ctx, f.coord, d.RecordID)
	must(f.t, err)
	return d
}

// Without forge settings (or without a forge client), a triage advisory
// is not brought in, accepting queues nothing, and the CVE is not asked
// through GitHub: no call at all.
func TestForgeAdvisoriesNotConfigured(t *testing.T) {
	for _, withClient := range []bool{true, false} {
		f := newAdvisoryWorld(t, "sqlite")
		if !withClient {
			f.setDeps(func(d *app.Deps) { d.Forge = nil })
			f.svc = f.world.svc
		}
		ctx := context.Background()
		f.gs.AddReport(githubtest.Advisory{Summary: "S", Description: "D", Author: "octo", AuthorID: 1})
		if n := f.round(); n != 0 {
			t.Errorf("filed %d without a forge", n)
		}
		r, err := f.svc.CreateReport(ctx, f.coord, vmt.ReportInput{Project: "p", Title: "T", Description: "d"})
		must(t, err)
		_, err = f.svc.Transition(ctx, f.coord, r.ID, vmt.TransitionInput{To: vmt.StatusConfirmed})
		must(t, err)
		_, err = f.svc.SetCNASettings(ctx, f.admin, "p", vmt.CNASettings{ShortName: vmt.GitHubCNA})
		must(t, err)
		if _, err := f.svc.RequestForgeCVE(ctx, f.coord, r.ID); vmt.ErrorCode(err) != vmt.EINVALID {
			t.Errorf("a CVE through GitHub without a forge: %v", err)
		}
		if items := f.forgeItems(); len(items) != 0 {
			t.Errorf("%d forge items without a forge", len(items))
		}
		if n := len(f.gs.Calls()); n != 0 {
			t.Errorf("%d calls to GitHub", n)
		}
	}
}

// wantPublishedAdvisory checks every field of the GitHub advisory the
// worker filled from vmt's published document d (the test case's
// advisory: its summary, text, CVE, vector, CWEs, ranges of pkg and
// credits), and that it went triage, draft, published.
func wantPublishedAdvisory(t *testing.T, a *githubtest.Advisory, d *vmt.Advisory, pkg, vector string) {
	t.Helper()
	if !slices.Equal(a.States, []string{"triage", "draft", "published"}) {
		t.Errorf("the advisory went %v", a.States)
	}
	if a.Summary != "Guest escape through the agent's file copy" {
		t.Errorf("summary %q", a.Summary)
	}
	for _, want := range []string{"A guest can write files on the host.", "The agent's copy call follows links out of the sandbox.",
		"### Mitigation\n\nRun the agent with a read-only root.", "https://vmt.example.org/advisories/" + d.ID.String()} {
		if !strings.Contains(a.Description, want) {
			t.Errorf("the description lacks %q:\n%s", want, a.Description)
		}
	}
	if strings.Contains(a.Description, "<!--") {
		t.Errorf("the published description carries vmt's marker:\n%s", a.Description)
	}
	if a.CVE != "CVE-2026-1234" || a.CVSS != vector || a.Severity != "" || !slices.Equal(a.CWEs, []string{"CWE-22", "CWE-59"}) {
		t.Errorf("CVE %q, CVSS %q, severity %q, CWEs %v", a.CVE, a.CVSS, a.Severity, a.CWEs)
	}
	if want := []githubtest.Vulnerability{{Ecosystem: "go", Name: pkg, VulnerableRange: ">= 3.0.0, < 3.2.1", Patched: "3.2.1"},
		{Ecosystem: "go", Name: pkg, VulnerableRange: "< 2.5.9", Patched: "2.5.9"}}; !slices.Equal(a.Vulnerabilities, want) {
		t.Errorf("vulnerabilities %+v, want %+v", a.Vulnerabilities, want)
	}
	// The credits with a GitHub login, and the reporter (already
	// credited as finder, not twice).
	if want := []githubtest.Credit{{Login: "octo", Type: "finder"}, {Login: "ada-k", Type: "remediation_developer"}}; !slices.Equal(a.Credits, want) {
		t.Errorf("credits %+v, want %+v", a.Credits, want)
	}
}
