package main

import (
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/gitrepo"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/pgpmail"
	"github.com/vmtproject/vmt/smtp"
	"github.com/vmtproject/vmt/smtp/smtptest"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestSetupCommand: `vmt setup` (GET /api/v1/setup) on a fresh install
// lists the five things a notice needs, each missing with what to run;
// each entry turns done when its thing is configured, the way `vmt
// serve` configures it (a signing key, the worker's relay, the
// registry, the project's branches, its repository), and then the
// instance is ready. Only administrators.
func TestSetupCommand(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			s := newAPIServerOn(t, engine)
			s.setDeps(func(d *app.Deps) { d.Disclosure.Keys = jobs.CheckKey })
			admin := newCLIUser(t)
			admin.login(s, s.adminToken)
			done := func() map[string]vmt.SetupItem {
				t.Helper()
				sc := decodeJSON[vmt.SetupChecklist](t, admin.ok("setup", "--json"))
				out := map[string]vmt.SetupItem{}
				ready := true
				for _, it := range sc.Items {
					out[it.Check] = it
					ready = ready && it.Done
					if it.Done == (it.Fix != "") {
						t.Errorf("entry %s: done %v with fix %q", it.Check, it.Done, it.Fix)
					}
				}
				if sc.Ready != ready {
					t.Errorf("ready %v with entries %+v", sc.Ready, sc.Items)
				}
				return out
			}
			want := func(step string, states map[string]bool) {
				t.Helper()
				got := done()
				if len(got) != 5 {
					t.Fatalf("%s: %d entries, want 5: %+v", step, len(got), got)
				}
				for check, d := range states {
					if got[check].Done != d {
						t.Errorf("%s: %s done %v, want %v (%+v)", step, check, got[check].Done, d, got[check])
					}
				}
			}

			out := admin.ok("setup")
			for _, w := range []string{
				"[ ] Signing key: no OpenPGP signing key", "      run: vmt serve --signing-key FILE",
				"[ ] SMTP relay:", "      run: vmt serve --smtp-addr HOST:PORT",
				"[ ] Stakeholders: the registry is empty", "      run: vmt stakeholder add --organisation ORG --contact ADDR",
				"[ ] Supported branches of kata-containers: still the default branch main only", "      run: vmt project branches kata-containers --set main,stable-3.2",
				"[ ] Repository of kata-containers:", "      run: vmt serve --repo kata-containers=URL",
				"Not ready: 5 things are missing before a notice can go out.",
			} {
				if !strings.Contains(out, w) {
					t.Errorf("vmt setup on a fresh install lacks %q:\n%s", w, out)
				}
			}

			admin.ok("stakeholder", "add", "--organisation", "Distro", "--contact", "sec@distro.example")
			want("a stakeholder", map[string]bool{vmt.SetupStakeholders: true, vmt.SetupBranches: false, vmt.SetupSigningKey: false})
			// Listing them, or changing something else, confirms nothing.
			admin.ok("project", "branches", "kata-containers")
			admin.ok("project", "disclosure", "kata-containers", "--embargo-limit-days", "10")
			want("the branches shown", map[string]bool{vmt.SetupBranches: false})
			// Setting main alone confirms it: a project may support main only.
			admin.ok("project", "branches", "kata-containers", "--set", "main")
			want("main confirmed", map[string]bool{vmt.SetupStakeholders: true, vmt.SetupBranches: true, vmt.SetupRelay: false})
			admin.ok("project", "branches", "kata-containers", "--set", "master,stable-3.2")
			want("the branches", map[string]bool{vmt.SetupStakeholders: true, vmt.SetupBranches: true, vmt.SetupRelay: false})

			key := secretKey(t)
			signer, err := pgpmail.ParseSigner(key, nil, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			s.setDeps(func(d *app.Deps) { d.Publication.Signer = signer })
			want("the signing key", map[string]bool{vmt.SetupSigningKey: true, vmt.SetupRelay: false})
			if got := done()[vmt.SetupSigningKey]; !strings.Contains(got.Detail, signer.KeyFingerprint()) {
				t.Errorf("the signing key's entry does not name it: %+v", got)
			}
			// The worker's setup with a relay, as `vmt serve --signing-key
			// --smtp-addr` makes it.
			relay := smtptest.Start(t, smtptest.Options{})
			ws, err := jobs.New(jobs.Config{SigningKey: key, From: "Kata VMT <vmt@example.org>",
				SMTP: smtp.Config{Addr: relay.Addr, Security: smtp.Plain}, Site: jobs.Site{BaseURL: "http://127.0.0.1"}}, s.log)
			if err != nil {
				t.Fatal(err)
			}
			s.setDeps(func(d *app.Deps) { d.Disclosure, d.Publication = ws.Provides.Disclosure, ws.Provides.Publication })
			want("the relay", map[string]bool{vmt.SetupSigningKey: true, vmt.SetupRelay: true, vmt.SetupRepository: false})
			s.setDeps(func(d *app.Deps) {
				d.Checker = &gitrepo.Checker{Dir: t.TempDir(), Sources: map[string]string{"kata-containers": "https://github.com/kata-containers/kata-containers"}}
			})
			want("the repository", map[string]bool{vmt.SetupSigningKey: true, vmt.SetupRelay: true, vmt.SetupStakeholders: true,
				vmt.SetupBranches: true, vmt.SetupRepository: true})
			out = admin.ok("setup")
			if !strings.Contains(out, "Ready: a notice can go out.") || strings.Contains(out, "[ ]") || strings.Contains(out, "run:") {
				t.Errorf("vmt setup when everything is there:\n%s", out)
			}
			// Removing the last stakeholder undoes its entry.
			admin.ok("stakeholder", "remove", "Distro")
			want("no stakeholder", map[string]bool{vmt.SetupStakeholders: false, vmt.SetupRepository: true})

			// A project an administrator makes had its branches chosen.
			if _, err := s.svc.CreateProject(t.Context(), admin0(t, s), vmt.Project{Name: "other", AdvisoryPrefix: "OSA", NotePrefix: "OSN", Branches: []string{"main"}}); err != nil {
				t.Fatal(err)
			}
			for _, it := range decodeJSON[vmt.SetupChecklist](t, admin.ok("setup", "--json")).Items {
				if it.Project == "other" && it.Check == vmt.SetupBranches && !it.Done {
					t.Errorf("a project made with main alone by an administrator: %+v", it)
				}
			}

			coord := tokenFor(t, s, admin, "vera@example.org", "vmt")
			coord.fails(exitAuth, "", "setup")
		})
	}
}

// admin0 is the bootstrapped administrator as the service's actor.
func admin0(t *testing.T, s *apiServer) vmt.Actor {
	t.Helper()
	a, err := s.svc.Authenticate(t.Context(), s.adminToken)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
