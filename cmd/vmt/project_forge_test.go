package main

import (
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// TestProjectForgeCommands: an administrator sets a project's GitHub
// repository, its credentials by reference only; its VMT sees them, a
// reporter does not; a key given in place of a reference is refused.
func TestProjectForgeCommands(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	rep, _ := addUser(t, s, admin, "reporter@example.org", "reporter")

	admin.fails(exitUsage, "never the token", "project", "forge", "set", "kata-containers",
		"--repo", "kata-containers/kata-containers", "--github-token", "github_pat_11AAAA")
	admin.fails(exitUsage, "--repo must be OWNER/REPO", "project", "forge", "set", "kata-containers", "--repo", "kata", "--github-token", "env:GH")
	admin.fails(exitUsage, "not both", "project", "forge", "set", "kata-containers", "--repo", "o/r", "--github-token", "env:GH",
		"--app-id", "1", "--installation-id", "2", "--key", "file:/etc/vmt/app.pem")
	out := admin.ok("project", "forge", "set", "kata-containers", "--repo", "kata-containers/kata-containers",
		"--app-id", "12", "--installation-id", "34", "--key", "file:/etc/vmt/app.pem", "--webhook-secret", "env:VMT_GH_HOOK")
	if !strings.Contains(out, "GitHub App 12, installation 34, key file:/etc/vmt/app.pem") {
		t.Errorf("forge set:\n%s", out)
	}
	f := decodeJSON[vmt.ForgeSettings](t, admin.ok("project", "forge", "show", "kata-containers", "--json"))
	if !f.Enabled || f.Repository() != "kata-containers/kata-containers" || f.Endpoint != "https://api.github.com/" {
		t.Errorf("forge show: %+v", f)
	}
	rep.fails(exitAuth, "only the project's VMT may see its GitHub repository settings", "project", "forge", "show", "kata-containers")
	if audit := admin.ok("audit", "log"); !strings.Contains(audit, "project.forge") {
		t.Errorf("no project.forge event in the audit log:\n%s", audit)
	}
}
