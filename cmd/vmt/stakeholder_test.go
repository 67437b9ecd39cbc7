package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// writeFile writes s to a fresh file and returns its path.
func writeFile(t *testing.T, name, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// tokenFor makes an account of role, its address vouched for, and returns its person at a
// terminal, signed in with a token of their own.
func tokenFor(t *testing.T, s *apiServer, admin *cliUser, email, role string) *cliUser {
	t.Helper()
	admin.ok("user", "add", "--email", email, "--role", role, "--email-proven")
	u := newCLIUser(t)
	u.login(s, strings.TrimSpace(admin.ok("token", "new", "--user", email, "--name", "cli")))
	return u
}

// TestStakeholderCommands: the registry from the command line, through
// the real server on both engines: add with a key file (read within the
// server's limit for a key), list, show by id or name, edit only what a
// flag names, remove; an application filed, listed with its applicant's
// address, accepted and declined. Errors name the field.
func TestStakeholderCommands(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			s := newAPIServerOn(t, engine)
			s.setDeps(func(d *app.Deps) { d.Disclosure.Keys = jobs.CheckKey })
			admin := newCLIUser(t)
			admin.login(s, s.adminToken)
			keyFile := writeFile(t, "distro.asc", publicKey(t))

			out := admin.ok("stakeholder", "add", "--organisation", "Distro Security", "--contact", "sec@distro.example",
				"--key", keyFile, "--project", "kata-containers")
			if !strings.HasPrefix(out, "Added stakeholder 1, Distro Security (") || strings.Contains(out, "no key") {
				t.Errorf("add with a key: %q", out)
			}
			if out := admin.ok("stakeholder", "add", "--organisation", "Cloud", "--contact", "psirt@cloud.example,soc@cloud.example"); !strings.Contains(out, "Cloud (no key: notices signed only)") {
				t.Errorf("add without a key: %q", out)
			}
			admin.fails(exitUsage, "--organisation is required", "stakeholder", "add", "--contact", "a@b.example")
			admin.fails(exitUsage, "--contact is required", "stakeholder", "add", "--organisation", "X")
			admin.fails(exitUsage, "contacts: \"Sec <s@x.example>\" is not a bare mail address", "stakeholder", "add", "--organisation", "X", "--contact", "Sec <s@x.example>")
			admin.fails(exitUsage, "public_key:", "stakeholder", "add", "--organisation", "X", "--contact", "a@x.example", "--key", writeFile(t, "junk.asc", "not a key"))
			big := writeFile(t, "big.asc", strings.Repeat("A", vmt.MaxPublicKeyBytes+1))
			admin.fails(exitError, "the server's limit for an OpenPGP key", "stakeholder", "add", "--organisation", "X", "--contact", "a@x.example", "--key", big)

			list := admin.ok("stakeholder", "list")
			if len(lines(list, "Distro Security", "sec@distro.example", "kata-containers")) != 1 || len(lines(list, "Cloud", "psirt@cloud.example, soc@cloud.example", "all")) != 1 {
				t.Errorf("list:\n%s", list)
			}
			ks := decodeJSON[vmthttp.List[*vmt.Stakeholder]](t, admin.ok("stakeholder", "list", "--json"))
			if ks.Total != 2 {
				t.Fatalf("list --json: %+v", ks)
			}
			fp := ks.Items[1].Fingerprint // by organisation: Cloud, Distro Security
			if fp == "" || ks.Items[1].Organisation != "Distro Security" {
				t.Fatalf("list --json: %+v", ks.Items)
			}
			show := admin.ok("stakeholder", "show", "distro security")
			for _, want := range []string{"id:", "1", "contacts:     sec@distro.example", "key:          " + fp, "key expires:  never", "projects:     kata-containers"} {
				if !strings.Contains(show, want) {
					t.Errorf("show by name lacks %q:\n%s", want, show)
				}
			}
			admin.fails(exitNotFound, `no stakeholder "Nobody"`, "stakeholder", "show", "Nobody")
			admin.fails(exitNotFound, "", "stakeholder", "show", "99")

			// Edit changes what its flags name and keeps the rest.
			admin.ok("stakeholder", "edit", "1", "--contact", "sec@distro.example", "--contact", "psirt@distro.example")
			k := decodeJSON[vmt.Stakeholder](t, admin.ok("stakeholder", "show", "1", "--json"))
			if strings.Join(k.Contacts, ",") != "sec@distro.example,psirt@distro.example" || k.Fingerprint != fp || k.Organisation != "Distro Security" ||
				strings.Join(k.Projects, ",") != "kata-containers" {
				t.Errorf("after editing the contacts: %+v", k)
			}
			admin.ok("stakeholder", "edit", "Distro Security", "--remove-key", "--project", "all", "--organisation", "Distro")
			k = decodeJSON[vmt.Stakeholder](t, admin.ok("stakeholder", "show", "1", "--json"))
			if k.PublicKey != "" || len(k.Projects) != 0 || k.Organisation != "Distro" || len(k.Contacts) != 2 {
				t.Errorf("after removing the key and the projects: %+v", k)
			}
			admin.fails(exitUsage, "nothing to change", "stakeholder", "edit", "1")
			admin.fails(exitUsage, "not both", "stakeholder", "edit", "1", "--remove-key", "--key", keyFile)
			admin.fails(exitUsage, "projects:", "stakeholder", "edit", "1", "--project", "no-such-project")
			if out := admin.ok("stakeholder", "remove", "Cloud"); out != "Removed stakeholder 2, Cloud.\n" {
				t.Errorf("remove: %q", out)
			}
			if list := admin.ok("stakeholder", "list"); strings.Contains(list, "Cloud") {
				t.Errorf("removed, still listed:\n%s", list)
			}

			// Applications: filed by a stakeholder account, decided by the VMT.
			dana := tokenFor(t, s, admin, "dana@cloud.example", "stakeholder")
			out = dana.ok("stakeholder", "apply", "--organisation", "Cloud Co", "--contact", "dana@cloud.example", "--project", "kata-containers",
				"--rationale", "We run Kata for 3,000 tenants.")
			if !strings.HasPrefix(out, "Filed application 1 for Cloud Co") {
				t.Errorf("apply: %q", out)
			}
			dana.ok("stakeholder", "apply", "--organisation", "Cloud Two", "--contact", "dana@cloud.example", "--rationale", "Another one.")
			dana.fails(exitAuth, "", "stakeholder", "list")
			reqs := admin.ok("stakeholder", "requests", "--state", "pending")
			if len(lines(reqs, "Cloud Co", "dana@cloud.example", "pending", "3,000 tenants")) != 1 || len(lines(reqs, "Cloud Two")) != 1 {
				t.Errorf("requests: applicant not named by address, or missing:\n%s", reqs)
			}
			// The project's VMT, not an administrator, reads the applicant
			// by address too.
			vera := tokenFor(t, s, admin, "vera@example.org", "vmt")
			admin.ok("project", "member", "kata-containers", "vera@example.org", "vmt")
			if reqs := vera.ok("stakeholder", "requests"); len(lines(reqs, "Cloud Co", "dana@cloud.example", "pending")) != 1 {
				t.Errorf("requests as the project's VMT:\n%s", reqs)
			}
			if out := admin.ok("stakeholder", "accept", "1", "--note", "Welcome."); !strings.Contains(out, "Accepted application 1 of Cloud Co. It is stakeholder 3.") {
				t.Errorf("accept: %q", out)
			}
			if out := admin.ok("stakeholder", "decline", "2", "--note", "Already in the registry."); !strings.Contains(out, "Declined application 2 of Cloud Two.") {
				t.Errorf("decline: %q", out)
			}
			admin.fails(exitConflict, "", "stakeholder", "accept", "2")
			if reqs := admin.ok("stakeholder", "requests", "--state", "declined"); len(lines(reqs, "Cloud Two", "declined")) != 1 || strings.Contains(reqs, "Cloud Co") {
				t.Errorf("requests --state declined:\n%s", reqs)
			}
			admin.fails(exitUsage, "--state \"maybe\"", "stakeholder", "requests", "--state", "maybe")
			if list := admin.ok("stakeholder", "list"); len(lines(list, "Cloud Co", "dana@cloud.example")) != 1 {
				t.Errorf("the accepted application is not in the registry:\n%s", list)
			}
		})
	}
}
