package jobs_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/github/githubtest"
	"github.com/vmtproject/vmt/gitrepo"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// Private collaboration (issue 16, item 5): the subscribers of a report
// whose account has a GitHub login (set by themselves) become the
// collaborators of its draft advisory, and are taken off when their
// access ends; a collaborator a maintainer added on GitHub is left; a
// retry changes nothing; nothing is published.
func TestForgeAdvisoryCollaborators(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := newAdvisoryWorld(t, engine)
			ctx := context.Background()
			_, err := f.svc.SetForgeSettings(ctx, f.admin, "p", f.settings())
			must(t, err)
			f.deliver()
			ghsa := f.gs.AddReport(githubtest.Advisory{Summary: "Guest escape", Description: "The agent trusts the guest.",
				Author: "octo", AuthorID: 77, Collaborators: []string{"maint"}})
			if n := f.round(); n != 1 {
				t.Fatalf("filed %d", n)
			}
			r := f.reportOf(ghsa)
			_, err = f.svc.Transition(ctx, f.coord, r.ID, vmt.TransitionInput{To: vmt.StatusConfirmed})
			must(t, err)

			mk := func(email string) *vmt.User {
				u, err := f.svc.CreateUser(ctx, f.admin, vmt.UserInput{Email: email, Name: email, Role: vmt.RoleReporter})
				must(t, err)
				return u
			}
			ada, bob, cy := mk("ada@example.org"), mk("bob@example.org"), mk("cy@example.org")
			// A login carries rights on GitHub: never on its holder's word.
			if _, err := f.svc.SetOwnForgeLogin(ctx, vmt.Actor{User: ada}, "Ada-K"); vmt.ErrorCode(err) != vmt.EFORBIDDEN {
				t.Errorf("a reporter links her own login: %v", err)
			}
			if _, err := f.svc.SetForgeLogin(ctx, f.coord, ada.ID, "Ada-K"); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("a coordinator links someone's login: %v", err)
			}
			if _, err := f.svc.SetForgeLogin(ctx, f.admin, ada.ID, "Ada-K"); err != nil {
				t.Fatal(err)
			}
			// A login is one account's: Cy's cannot be Ada's.
			if _, err := f.svc.SetForgeLogin(ctx, f.admin, cy.ID, "ada-k"); vmt.ErrorCode(err) != vmt.ECONFLICT {
				t.Errorf("another account's login: %v", err)
			}
			if _, err := f.svc.SetForgeLogin(ctx, f.admin, cy.ID, "cy/../x"); vmt.ErrorCode(err) != vmt.EINVALID {
				t.Errorf("a login that is not one: %v", err)
			}
			_, err = f.svc.SetForgeLogin(ctx, f.admin, cy.ID, "cy-gh")
			must(t, err)
			collab := func(want ...string) {
				t.Helper()
				f.deliver()
				if got := f.gs.Advisory(ghsa).Collaborators; !vmt.SameLabels(got, want) {
					t.Errorf("collaborators %q, want %q", got, want)
				}
			}
			collab("maint") // no one let in yet: nothing changed
			if n := len(f.gs.Changes()); n == 0 {
				t.Fatal("no change at all (the accept)")
			}

			// Let in: Ada (a login) and Bob (none) by subscription, Cy as well.
			for _, u := range []*vmt.User{ada, bob, cy} {
				_, err := f.svc.Subscribe(ctx, f.coord, r.ID, u.ID)
				must(t, err)
			}
			collab("maint", "ada-k", "cy-gh")
			// Cy's access ends (she leaves), Ada's by the VMT.
			must(t, f.svc.Unsubscribe(ctx, vmt.Actor{User: cy}, r.ID, cy.ID))
			collab("maint", "ada-k")
			must(t, f.svc.Unsubscribe(ctx, f.coord, r.ID, ada.ID))
			collab("maint")
			// Ada let in again.
			_, err = f.svc.Subscribe(ctx, f.coord, r.ID, ada.ID)
			must(t, err)
			collab("maint", "ada-k")
			// Bob, let in already, gets his login linked: he joins; Ada's
			// changes: the old one leaves, the new one joins.
			_, err = f.svc.SetForgeLogin(ctx, f.admin, bob.ID, "bob-gh")
			must(t, err)
			collab("maint", "ada-k", "bob-gh")
			_, err = f.svc.SetForgeLogin(ctx, f.admin, ada.ID, "ada-new")
			must(t, err)
			collab("maint", "bob-gh", "ada-new")
			// Bob's account disabled: his access ends; enabled again, back.
			yes, no := true, false
			_, err = f.svc.UpdateUser(ctx, f.admin, bob.ID, vmt.UserPatch{Disabled: &yes})
			must(t, err)
			collab("maint", "ada-new")
			_, err = f.svc.UpdateUser(ctx, f.admin, bob.ID, vmt.UserPatch{Disabled: &no})
			must(t, err)
			collab("maint", "bob-gh", "ada-new")

			// A retry of every item changes nothing.
			f.retryDone()
			// Only the advisory was written: nothing public.
			for _, c := range f.gs.Changes() {
				if c.Operation != "security-advisories/update-repository-advisory" && c.Operation != "issues/create-label" {
					t.Errorf("a change for the embargoed report: %+v", c)
				}
			}
			if st := f.gs.Advisory(ghsa).States; !slices.Equal(st, []string{"triage", "draft"}) {
				t.Errorf("the advisory went %v", st)
			}
		})
	}
}

// The temporary private fork: asked by the report's VMT for a report
// with no advisory yet (a draft is made for it), made once however often
// it is asked and retried, and shown once made; a reporter may not ask;
// nothing public is made.
func TestForgeAdvisoryFork(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := newAdvisoryWorld(t, engine)
			ctx := context.Background()
			_, err := f.svc.SetForgeSettings(ctx, f.admin, "p", f.settings())
			must(t, err)
			f.deliver()
			r, err := f.svc.CreateReport(ctx, f.coord, vmt.ReportInput{Project: "p", Title: "Agent overflow", Description: "d", Components: []string{"agent"}})
			must(t, err)
			rep, err := f.svc.CreateUser(ctx, f.admin, vmt.UserInput{Email: "rep@example.org", Name: "Rep", Role: vmt.RoleReporter})
			must(t, err)
			if _, err := f.svc.CreateForgeFork(ctx, vmt.Actor{User: rep}, r.ID); vmt.ErrorCode(err) == "" {
				t.Error("an account not let in asked for the fork")
			}
			st, err := f.svc.CreateForgeFork(ctx, f.coord, r.ID)
			must(t, err)
			if !st.Queued || st.Fork != nil || st.GHSA != "" {
				t.Errorf("the first ask: %+v", st)
			}
			if st, err := f.svc.CreateForgeFork(ctx, f.coord, r.ID); err != nil || st.Queued {
				t.Errorf("a second ask before delivery: %+v, %v", st, err)
			}
			f.deliver()
			for _, o := range f.forgeItems() {
				if o.State != vmt.OutboxDone {
					t.Errorf("item %s is %s: %s", o.Key, o.State, o.LastError)
				}
			}
			l := f.advisoryLink(r.ID)
			a := f.gs.Advisory(l.GHSA)
			if a == nil || a.State != "draft" || a.Forks != 1 || a.Fork != "kata-containers-"+strings.ToLower(l.GHSA) {
				t.Fatalf("the advisory: %+v", a)
			}
			st, err = f.svc.CreateForgeFork(ctx, f.coord, r.ID)
			must(t, err)
			want := "https://github.com/kata-containers/" + a.Fork
			if st.Queued || st.GHSA != l.GHSA || st.Fork == nil || st.Fork.URL != want || st.Fork.CloneURL != want+".git" ||
				st.Fork.Owner != "kata-containers" || st.Fork.Repo != a.Fork {
				t.Errorf("the fork shown: %+v %+v", st, st.Fork)
			}
			changes := len(f.gs.Changes())
			for _, o := range f.forgeItems() {
				if err := f.svc.DeliverForge(ctx, o); err != nil {
					t.Errorf("retry of %s: %v", o.Key, err)
				}
			}
			if n := len(f.gs.Changes()); n != changes {
				t.Errorf("the retries made %d changes", n-changes)
			}
			if a := f.gs.Advisory(l.GHSA); a.Forks != 1 || a.State != "draft" {
				t.Errorf("after the retries: %d forks, %s", a.Forks, a.State)
			}
			for _, c := range f.gs.Changes() {
				switch c.Operation {
				case "issues/create-label", "security-advisories/create-repository-advisory", "security-advisories/create-fork":
				default:
					t.Errorf("a change for the embargoed report: %+v", c)
				}
			}
		})
	}
}

// A branch pushed to the fork taken in as a patch series: read from
// GitHub as a series, checked as an upload (its subjects and base
// recorded); refused when it does not apply, when the fork has no such
// branch, and for one who may not attach a fix. Reading changes nothing
// on GitHub.
func TestForgeFixFromFork(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := newAdvisoryWorld(t, engine)
			ctx := context.Background()
			up, series := upstreamRepo(t)
			checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"p": up}}
			f.setDeps(func(d *app.Deps) { d.Checker = checker })
			f.svc = f.world.svc
			f.wk.Handlers = map[string]jobs.Handler{vmt.KindForge: jobs.Forge(f.svc)}
			_, err := f.svc.UpdateProject(ctx, f.admin, f.project.ID, vmt.ProjectPatch{Branches: &[]string{"master", "stable-1"}})
			must(t, err)
			_, err = f.svc.SetForgeSettings(ctx, f.admin, "p", f.settings())
			must(t, err)
			f.deliver()
			r, err := f.svc.CreateReport(ctx, f.coord, vmt.ReportInput{Project: "p", Title: "Agent overflow", Description: "d", Components: []string{"agent"}})
			must(t, err)
			if _, err := f.svc.FixFromFork(ctx, f.coord, r.ID, "master", "fix-1"); vmt.ErrorCode(err) != vmt.EINVALID {
				t.Errorf("before any fork: %v", err)
			}
			_, err = f.svc.CreateForgeFork(ctx, f.coord, r.ID)
			must(t, err)
			f.deliver()
			ghsa := f.advisoryLink(r.ID).GHSA
			f.gs.PushToFork(ghsa, "master", "fix-1", series)
			f.gs.PushToFork(ghsa, "stable-1", "fix-bad", strings.Replace(series, "-6\n", "-600\n", 1))
			changes := len(f.gs.Changes())

			fix, err := f.svc.FixFromFork(ctx, f.coord, r.ID, "master", "fix-1")
			must(t, err)
			if fix.Branch != "master" || !slices.Equal(fix.Subjects, []string{"agent: check the length"}) || fix.BaseCommit == "" ||
				fix.Review != vmt.ReviewPending {
				t.Errorf("the fix taken in: %+v", fix)
			}
			got, err := f.svc.FixPatch(ctx, f.coord, r.ID, fix.ID)
			must(t, err)
			if got.Series != series {
				t.Errorf("the series stored:\n%s\nwant\n%s", got.Series, series)
			}
			if _, err := f.svc.FixFromFork(ctx, f.coord, r.ID, "stable-1", "fix-bad"); vmt.ErrorCode(err) != vmt.EINVALID ||
				!strings.Contains(err.Error(), "does not apply") {
				t.Errorf("a series that does not apply: %v", err)
			}
			if _, err := f.svc.FixFromFork(ctx, f.coord, r.ID, "stable-1", "nothing-here"); vmt.ErrorCode(err) != vmt.EINVALID || vmt.ErrorField(err) != "ref" {
				t.Errorf("a branch the fork lacks: %v", err)
			}
			if _, err := f.svc.FixFromFork(ctx, f.coord, r.ID, "stable-1", "../x"); vmt.ErrorCode(err) != vmt.EINVALID {
				t.Errorf("a ref that is no branch name: %v", err)
			}
			if _, err := f.svc.FixFromFork(ctx, f.coord, r.ID, "nope", "fix-1"); vmt.ErrorCode(err) != vmt.EINVALID {
				t.Errorf("not a branch of the project: %v", err)
			}
			rep, err := f.svc.CreateUser(ctx, f.admin, vmt.UserInput{Email: "rep@example.org", Name: "Rep", Role: vmt.RoleReporter})
			must(t, err)
			calls := len(f.gs.Calls())
			if _, err := f.svc.FixFromFork(ctx, vmt.Actor{User: rep}, r.ID, "master", "fix-1"); vmt.ErrorCode(err) == "" {
				t.Error("an account not let in took a fix in")
			}
			if n := len(f.gs.Calls()); n != calls {
				t.Errorf("the refused account made %d calls to GitHub", n-calls)
			}
			fixes, err := f.svc.Fixes(ctx, f.coord, r.ID)
			must(t, err)
			if len(fixes) != 1 {
				t.Errorf("%d fixes, want the one that applies", len(fixes))
			}
			if n := len(f.gs.Changes()); n != changes {
				t.Errorf("taking fixes in made %d changes on GitHub", n-changes)
			}
		})
	}
}
