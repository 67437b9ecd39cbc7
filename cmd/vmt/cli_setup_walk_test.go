package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmtproject/vmt/smtp/smtptest"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestCLISetupToNotice: a fresh install set up from the command line
// alone, and a case walked from the report to the notice with it, on a
// real `vmt serve` (signing key, relay, repository) on both engines, not
// one API call by hand: `vmt setup` lists what is missing; the project's
// branches, a notice list and three stakeholders with keys are set; setup
// is then ready; the people are added and the case goes through triage,
// the impact approvals, the CVE request and a waiver to the notice, which
// reaches every stakeholder and the list through the relay.
func TestCLISetupToNotice(t *testing.T) {
	bin := buildVMT(t)
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			relay := smtptest.Start(t, smtptest.Options{})
			keyFile := filepath.Join(t.TempDir(), "vmt.sec.asc")
			if err := os.WriteFile(keyFile, secretKey(t), 0o600); err != nil {
				t.Fatal(err)
			}
			token := "vmt_" + strings.Repeat("c", 32)
			env := []string{"VMT_ADMIN_TOKEN=" + token}
			if dsn := sqldbtest.DSN(t, engine); sqldb.IsPostgres(dsn) {
				env = append(env, "VMT_DATABASE="+dsn)
			}
			repo := newWalkRepo(t)
			srv := startServe(t, bin, env, "--data", filepath.Join(t.TempDir(), "d"), "--signing-key", keyFile,
				"--smtp-addr", relay.Addr, "--smtp-security", "plain", "--mail-from", "Kata VMT <vmt@example.org>",
				"--worker-poll", "50ms", "--repo", "kata-containers="+repo.dir)
			s := &apiServer{t: t, url: srv.url, adminToken: token}
			admin := newCLIUser(t)
			admin.login(s, token)

			out := admin.ok("setup")
			for _, w := range []string{"[x] Signing key", "[x] SMTP relay", "[ ] Stakeholders", "[ ] Supported branches of kata-containers",
				"[x] Repository of kata-containers", "Not ready: 2 things are missing"} {
				if !strings.Contains(out, w) {
					t.Errorf("vmt setup on a fresh install lacks %q:\n%s", w, out)
				}
			}
			admin.ok("project", "branches", "kata-containers", "--set", "main,stable-1")
			admin.ok("project", "notice-lists", "kata-containers", "--add", "embargo", "--address", "embargo@lists.example", "--rules", "private")
			stakeholders := []string{"sec@distro.example", "psirt@cloud.example", "security@vendor.example"}
			for i, addr := range stakeholders {
				k := writeFile(t, "k.asc", armoredKey(t, newEntity(t, "Stakeholder", addr), false))
				admin.ok("stakeholder", "add", "--organisation", []string{"Distro", "Cloud", "Vendor"}[i], "--contact", addr, "--key", k)
			}
			if out := admin.ok("setup"); !strings.Contains(out, "Ready: a notice can go out.") {
				t.Fatalf("vmt setup after the set-up:\n%s", out)
			}

			coord := tokenFor(t, s, admin, "vera@example.org", "vmt")
			carl := tokenFor(t, s, admin, "carl@example.org", "committee")
			ada := tokenFor(t, s, admin, "ada@example.org", "reporter")
			admin.ok("project", "member", "kata-containers", "vera@example.org", "vmt")
			admin.ok("project", "member", "kata-containers", "carl@example.org", "committee")

			ada.ok("report", "new", "--title", "Agent opens any host path", "--description", "A guest names a host path.", "--component", "agent")
			coord.ok("report", "classify", "1", "A")
			coord.ok("report", "edit", "1", "--impact", "A guest can open any host path through the agent.", "--cve", "CVE-2026-4343")
			coord.ok("report", "status", "1", "confirmed")
			ada.ok("report", "impact-approve", "1")
			carl.ok("report", "impact-approve", "1")
			coord.ok("report", "cve-request", "1")
			coord.ok("report", "fix-waive", "1", "--reason", "the fix ships with the advisory")
			if out := coord.ok("report", "notice", "1"); !strings.Contains(out, "on its way to 4 recipients") {
				t.Errorf("report notice: %q", out)
			}
			if out := coord.ok("report", "show", "1"); !strings.Contains(out, "Fix committed") {
				t.Errorf("after the notice the report is not at Fix committed:\n%s", out)
			}
			// Each stakeholder's notice is encrypted to the key the
			// command line gave it; the private list's is signed.
			for _, addr := range stakeholders {
				waitFor(t, "the notice to "+addr, func() bool { return countTo(relay, addr, "multipart/encrypted") == 1 })
			}
			waitFor(t, "the notice to the list", func() bool { return countTo(relay, "embargo@lists.example", "multipart/signed") == 1 })
			if out := admin.ok("outbox", "list", "--state", "failed"); len(strings.Split(strings.TrimSpace(out), "\n")) != 1 {
				t.Errorf("failed outbox items after the notice:\n%s", out)
			}
			srv.stop(t)
		})
	}
}

// countTo counts the relay's messages to addr alone that carry marker.
func countTo(relay *smtptest.Server, addr, marker string) int {
	n := 0
	for _, m := range relay.Messages() {
		if len(m.To) == 1 && m.To[0] == addr && strings.Contains(string(m.Data), marker) {
			n++
		}
	}
	return n
}
