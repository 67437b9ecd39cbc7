package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/cveservices/cvetest"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/jobs"
)

// TestCNACommands: a project that is a CNA reserves a CVE id for a report
// through CVE Services (a local server following its OpenAPI description),
// which retitles the report, and publishes the CVE record of its published
// advisory, then updates it; the key is read from the server's
// environment, never stored or shown; a project that is not a CNA, and the
// service's refusals, are clear errors.
func TestCNACommands(t *testing.T) {
	cve := cvetest.Start(t, time.Now().UTC().Year())
	t.Setenv("VMT_TEST_CVE_KEY", cve.Key)
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	rep, _ := addUser(t, s, admin, "reporter@example.org", "reporter")
	rep.ok("report", "new", "--title", "Guest escape", "--description", "The agent trusts the guest.", "--component", "agent")

	admin.fails(exitUsage, "project kata-containers is not a CNA here", "report", "cve-reserve", "1")
	admin.fails(exitUsage, "never the key", "project", "cna", "set", "kata-containers", "--short-name", "kata",
		"--org-id", "0c5c5b1e-6c0e-4d5f-9a5e-5f8e2f6a1b2c", "--user", cve.User, "--key", cve.Key, "--endpoint", cve.Endpoint())
	rep.fails(exitAuth, "only the project's VMT may manage its CVE Services settings", "project", "cna", "show", "kata-containers")
	admin.ok("project", "cna", "set", "kata-containers", "--short-name", "kata", "--org-id", "0c5c5b1e-6c0e-4d5f-9a5e-5f8e2f6a1b2c",
		"--user", cve.User, "--key", "env:VMT_TEST_CVE_KEY", "--endpoint", cve.Endpoint())
	shown := admin.ok("project", "cna", "show", "kata-containers", "--json")
	if c := decodeJSON[vmt.CNASettings](t, shown); !c.Enabled || c.APIKeyRef != "env:VMT_TEST_CVE_KEY" || strings.Contains(shown, cve.Key) {
		t.Errorf("cna show: %s", shown)
	}

	rep.fails(exitAuth, "coordinate this report", "report", "cve-reserve", "1")
	v := decodeJSON[vmt.ReportView](t, admin.ok("report", "cve-reserve", "1", "--json"))
	id := v.CVEs[0]
	if !strings.HasSuffix(v.Title, "Guest escape ("+id+")") || cve.State(id) != "RESERVED" {
		t.Errorf("after the reservation: %q %v, at the service %q", v.Title, v.CVEs, cve.State(id))
	}
	audit := admin.ok("report", "audit", "1")
	if !strings.Contains(audit, "report.cve_reserve") || strings.Contains(audit, cve.Key) {
		t.Errorf("audit after the reservation:\n%s", audit)
	}

	t.Setenv("VMT_TEST_CVE_KEY", "a-wrong-key")
	r := admin.fails(exitUsage, "CVE Services refused POST /cve-id (HTTP 401): UNAUTHORIZED: Unauthorized", "report", "cve-reserve", "1")
	if strings.Contains(r.stderr, "a-wrong-key") {
		t.Errorf("the refusal shows the key: %s", r.stderr)
	}
	t.Setenv("VMT_TEST_CVE_KEY", cve.Key)

	// A published advisory of the report, through the API.
	c := &vmthttp.Client{BaseURL: s.url, Token: s.adminToken}
	ctx := t.Context()
	if _, err := c.Classify(ctx, 1, "A"); err != nil {
		t.Fatal(err)
	}
	d, err := c.DraftAdvisory(ctx, 1, vmt.Advisory{Vendor: "Kata Containers", Title: "Guest escape",
		Description: "A guest process can make the agent run commands on the host.",
		Affected:    []vmt.Affected{{Component: "agent", Versions: "<3.2.1"}}, CVEs: []string{id},
		References: []vmt.Reference{{Type: "REPORT", URL: "https://github.com/kata-containers/kata-containers/issues/1"}}})
	if err != nil {
		t.Fatal(err)
	}
	rec := strconv.FormatInt(d.RecordID, 10)
	admin.fails(exitConflict, "only a published advisory", "advisory", "cve-publish", rec)
	if _, err := c.EmbargoAdvisory(ctx, d.RecordID); err != nil {
		t.Fatal(err)
	}
	// Ending the embargo publishes the final document with the report.
	admin.ok("report", "publicize", "1", "--reason", "fixed in the open")
	// The publication is queued; the worker publishes it.
	worker := &jobs.Worker{Service: s.svc, Handlers: map[string]jobs.Handler{vmt.KindCVEPublish: jobs.CVEPublish(s.svc)}}
	deliver := func(want int) {
		t.Helper()
		if n, err := worker.Deliver(ctx); err != nil || n != want {
			t.Fatalf("worker delivered %d, %v; want %d", n, err, want)
		}
	}
	if out := admin.ok("advisory", "cve-publish", rec); !strings.Contains(out, "The CVE record of "+id+" (KCSA-") || !strings.Contains(out, "is queued") {
		t.Errorf("cve-publish printed %q", out)
	}
	admin.fails(exitConflict, "queued or published already", "advisory", "cve-publish", rec)
	if cve.State(id) != "RESERVED" {
		t.Errorf("published before the worker ran: %s", cve.State(id))
	}
	deliver(1)
	if cve.State(id) != "PUBLISHED" || !strings.Contains(string(cve.Container(id)), "make the agent run commands") {
		t.Errorf("at the service: %s %s", cve.State(id), cve.Container(id))
	}
	// An erratum is a new revision: its record replaces the first.
	d.Description += " Fixed in 3.2.1."
	if _, err := c.AmendAdvisory(ctx, d.RecordID, *d, "The fixed release"); err != nil {
		t.Fatal(err)
	}
	admin.ok("advisory", "cve-publish", rec)
	deliver(1)
	if !strings.Contains(string(cve.Container(id)), "Fixed in 3.2.1.") {
		t.Errorf("the update did not reach the service: %s", cve.Container(id))
	}
	admin.fails(exitUsage, "does not list CVE-2026-9999", "advisory", "cve-publish", rec, "--cve", "CVE-2026-9999")
	audit = admin.ok("report", "audit", "1")
	if q, p := strings.Count(audit, "advisory.cve_publish_queued"), strings.Count(audit, "advisory.cve_publish "); q != 2 || p != 2 {
		t.Errorf("audited %d queued and %d publications, want 2 and 2:\n%s", q, p, audit)
	}
}
