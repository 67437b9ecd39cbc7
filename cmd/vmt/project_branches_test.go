package main

import (
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestProjectBranchesAndNoticeLists: a project's supported branches and
// its notice lists from the command line, through the real server on both
// engines; what the server refuses names its field.
func TestProjectBranchesAndNoticeLists(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			s := newAPIServerOn(t, engine)
			s.setDeps(func(d *app.Deps) { d.Disclosure.Keys = jobs.CheckKey })
			admin := newCLIUser(t)
			admin.login(s, s.adminToken)
			const p = "kata-containers"

			if out := admin.ok("project", "branches", p); out != "main\tdevelopment\n" {
				t.Errorf("branches of a new project: %q", out)
			}
			if out := admin.ok("project", "branches", p, "--set", "master,stable-3.2"); out != "master\tdevelopment\nstable-3.2\tstable\n" {
				t.Errorf("--set: %q", out)
			}
			admin.ok("project", "branches", p, "--add", "stable-3.3", "--remove", "stable-3.2")
			got := decodeJSON[[]string](t, admin.ok("project", "branches", p, "--json"))
			if strings.Join(got, ",") != "master,stable-3.3" {
				t.Errorf("after --add and --remove: %v", got)
			}
			admin.fails(exitUsage, `branches: kata-containers has no branch "stable-9"`, "project", "branches", p, "--remove", "stable-9")
			admin.fails(exitUsage, `branches: kata-containers has the branch "master" already`, "project", "branches", p, "--add", "master")
			admin.fails(exitUsage, `branches: "-x" is not a branch name`, "project", "branches", p, "--set", "master,-x")
			admin.fails(exitUsage, "at least one branch is required", "project", "branches", p, "--remove", "master,stable-3.3")
			admin.fails(exitUsage, "not both", "project", "branches", p, "--set", "main", "--add", "x")
			admin.fails(exitNotFound, "", "project", "branches", "no-such-project")
			coord := tokenFor(t, s, admin, "vera@example.org", "vmt")
			coord.fails(exitAuth, "", "project", "branches", p, "--add", "stable-4")

			if out := admin.ok("project", "notice-lists", p); !strings.Contains(out, "has no notice list") {
				t.Errorf("no list yet: %q", out)
			}
			admin.fails(exitUsage, "lists[0].public_key: the linux-distros rules encrypt", "project", "notice-lists", p,
				"--add", "distros", "--address", "distros@vs.openwall.org", "--rules", "linux-distros")
			key := writeFile(t, "distros.asc", publicKey(t))
			admin.ok("project", "notice-lists", p, "--add", "distros", "--address", "distros@vs.openwall.org", "--rules", "linux-distros", "--key", key)
			out := admin.ok("project", "notice-lists", p, "--add", "private", "--address", "embargo@kata.example", "--rules", "private")
			if len(lines(out, "distros", "distros@vs.openwall.org", "linux-distros", "set")) != 1 || len(lines(out, "private", "embargo@kata.example", "private", "-")) != 1 {
				t.Errorf("two lists:\n%s", out)
			}
			admin.fails(exitUsage, `lists[2].rules: unknown rules "open"`, "project", "notice-lists", p, "--add", "open", "--address", "o@kata.example", "--rules", "open")
			admin.fails(exitUsage, `lists[2].address`, "project", "notice-lists", p, "--add", "bad", "--address", "not an address", "--rules", "private")
			admin.fails(exitUsage, "needs --address and --rules", "project", "notice-lists", p, "--add", "x")
			admin.fails(exitUsage, "--rules goes with --add", "project", "notice-lists", p, "--rules", "private")
			// Adding a list of a name already there replaces it.
			admin.ok("project", "notice-lists", p, "--add", "private", "--address", "embargo2@kata.example", "--rules", "private")
			admin.ok("project", "notice-lists", p, "--remove", "distros")
			ls := decodeJSON[vmthttp.List[vmt.NoticeList]](t, admin.ok("project", "notice-lists", p, "--json"))
			if ls.Total != 1 || ls.Items[0].Name != "private" || ls.Items[0].Address != "embargo2@kata.example" {
				t.Errorf("after replacing one and removing the other: %+v", ls)
			}
			admin.fails(exitUsage, `lists: kata-containers has no notice list "distros"`, "project", "notice-lists", p, "--remove", "distros")
			// The disclosure settings the lists live in are untouched.
			if out := admin.ok("project", "disclosure", p); !strings.Contains(out, "private <embargo2@kata.example> (private)") || !strings.Contains(out, "embargo limit:       14 days") {
				t.Errorf("project disclosure after the lists changed:\n%s", out)
			}
		})
	}
}
