package http_test

import (
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/gitrepo"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/render"
)

// The administrator's first page carries the setup checklist while
// something is missing: each entry says whether it is done and, if not,
// what to run; an entry turns done when its thing is configured, and the
// box goes once all are. Nobody else sees it.
func TestUIHomeSetupChecklist(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		e.withPassword(e.admin)
		ab := e.browser()
		ab.login("admin@example.org")
		entries := func() map[string]*goquery.Selection {
			t.Helper()
			p := ab.get("/")
			out := map[string]*goquery.Selection{}
			p.doc.Find("#setup li").Each(func(_ int, s *goquery.Selection) {
				out[s.AttrOr("data-check", "")+"/"+s.AttrOr("data-project", "")] = s
			})
			return out
		}
		state := func(s *goquery.Selection) string {
			if s == nil {
				return "absent"
			}
			return s.AttrOr("class", "")
		}
		got := entries()
		for key, want := range map[string]string{
			"signing_key/": "missing", "relay/": "missing", "stakeholders/": "missing",
			// The env's project has main and stable-3.2: set already.
			"branches/kata-containers": "done", "repository/kata-containers": "missing",
		} {
			if st := state(got[key]); st != want {
				t.Errorf("entry %s is %s, want %s", key, st, want)
			}
		}
		for key, fix := range map[string]string{
			"signing_key/": "vmt serve --signing-key", "relay/": "vmt serve --smtp-addr",
			"stakeholders/": "vmt stakeholder add", "repository/kata-containers": "vmt serve --repo kata-containers=",
		} {
			if s := got[key]; s == nil || !strings.Contains(s.Find("code").Text(), fix) {
				t.Errorf("entry %s does not say to run %q", key, fix)
			}
		}
		// What a page mends links to it; what only a flag of vmt serve
		// mends does not.
		for key, link := range map[string]string{"stakeholders/": "/admin/stakeholders", "signing_key/": "", "relay/": "", "repository/kata-containers": ""} {
			if s := got[key]; s == nil || s.Find("a.setup-fix").AttrOr("href", "") != link {
				t.Errorf("entry %s does not link to %q", key, link)
			}
		}
		if s := got["branches/kata-containers"]; s == nil || s.Find("code").Length() != 0 || s.Find("a.setup-fix").Length() != 0 {
			t.Errorf("a done entry still says what to run")
		}

		if _, err := e.svc.CreateStakeholder(ctx, e.admin, vmt.StakeholderInput{Organisation: "Distro", Contacts: []string{"sec@distro.example"}}); err != nil {
			t.Fatal(err)
		}
		br := []string{"main"}
		if _, err := e.svc.UpdateProject(ctx, e.admin, e.proj.ID, vmt.ProjectPatch{Branches: &br}); err != nil {
			t.Fatal(err)
		}
		got = entries()
		if st := state(got["stakeholders/"]); st != "done" {
			t.Errorf("with a stakeholder, its entry is %s", st)
		}
		// Set to main alone by an administrator, the branches are confirmed.
		if st := state(got["branches/kata-containers"]); st != "done" {
			t.Errorf("set to main alone, the branches entry is %s", st)
		}

		_, cb := e.signedIn("coord@example.org", vmt.RoleVMT)
		if p := cb.get("/"); p.doc.Find("#setup").Length() != 0 {
			t.Errorf("a coordinator sees the setup checklist")
		}

		set, err := render.NewSet(nil)
		noErr(t, err)
		br = []string{"main", "stable-3.2"}
		if _, err := e.svc.UpdateProject(ctx, e.admin, e.proj.ID, vmt.ProjectPatch{Branches: &br}); err != nil {
			t.Fatal(err)
		}
		e.setDeps(func(d *app.Deps) {
			d.Publication.Signer = testSigner(t)
			d.Disclosure = vmt.DisclosureHooks{Keys: jobs.CheckKey, Planner: jobs.Plan, Notice: jobs.Site{BaseURL: "https://vmt.example.org"}.Notice(set)}
			d.Checker = &gitrepo.Checker{Dir: t.TempDir(), Sources: map[string]string{"kata-containers": "/srv/git/kata-containers.git"}}
		})
		if p := ab.get("/"); p.doc.Find("#setup").Length() != 0 || p.doc.Find("#inbox-mine").Length() != 1 {
			t.Errorf("with everything configured, the box is still there (or the inbox is gone)")
		}
	})
}
