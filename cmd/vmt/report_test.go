package main

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

// addUser makes a user with the admin's command line and signs a new
// terminal in as them with a token made by `token new`.
func addUser(t *testing.T, s *apiServer, admin *cliUser, email, role string) (*cliUser, int64) {
	t.Helper()
	u := decodeJSON[vmt.User](t, admin.ok("user", "add", "--email", email, "--role", role, "--json"))
	secret := strings.TrimSpace(admin.ok("token", "new", "--user", strconv.FormatInt(u.ID, 10), "--name", "laptop"))
	c := newCLIUser(t)
	c.login(s, secret)
	return c, u.ID
}

func TestReportLifecycle(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	rep, repID := addUser(t, s, admin, "reporter@example.org", "reporter")
	other, _ := addUser(t, s, admin, "other@example.org", "reporter")

	descFile := filepath.Join(t.TempDir(), "desc.md")
	os.WriteFile(descFile, []byte("The agent trusts the guest.\n"), 0o600)
	out := rep.ok("report", "new", "--title", "Guest escape", "--description-file", descFile,
		"--component", "runtime", "--component", "agent", "--versions", "<= 3.2", "--credit", "R. Eporter")
	if want := "Report 1: Guest escape\n  status New, class -, private\n"; out != want {
		t.Errorf("report new printed %q, want %q", out, want)
	}

	// The reporter sees the report, without the moves only the VMT may make.
	show := rep.ok("report", "show", "1")
	for _, want := range []string{"Report 1: Guest escape", "Status:            New", "Components:        runtime, agent",
		"Reporter:          user " + strconv.FormatInt(repID, 10), "Next statuses:     -", "EMBARGO: this report is private", "The agent trusts the guest.", "Comments (0)"} {
		if !strings.Contains(show, want) {
			t.Errorf("report show lacks %q:\n%s", want, show)
		}
	}

	// Another reporter cannot tell the report exists.
	other.fails(exitNotFound, "vmt report: report not found", "report", "show", "1")
	if out := other.ok("report", "list"); out != "No reports match (0 reports in all).\n" {
		t.Errorf("other's list: %q", out)
	}

	// An illegal move is refused with the reason, as a conflict.
	admin.fails(exitConflict, "vmt report: status: a report cannot go from New to Fix released", "report", "status", "1", "fix released")
	admin.ok("report", "classify", "1", "a")
	out = admin.ok("report", "status", "1", "Confirmed")
	if !strings.Contains(out, "status Confirmed, class A, private") || !strings.Contains(out, "next: Incomplete (incomplete), Triaged (triaged)") {
		t.Errorf("report status printed %q", out)
	}

	// A second report classified and closed as Won't Fix in one action
	// leaves the embargo; tables show labels.
	rep.ok("report", "new", "--title", "Verbose logs", "--description", "Logs show paths.")
	out = admin.ok("report", "status", "2", "wont_fix", "--hardening", "--class", "c1")
	if !strings.Contains(out, "ended the embargo") || !strings.Contains(out, "status Won't Fix, class C1, public") {
		t.Errorf("won't fix printed %q", out)
	}
	list := admin.ok("report", "list")
	if l := lines(list, "2", "Won't Fix", "C1", "public", "kata-containers", "Verbose logs"); len(l) != 1 {
		t.Errorf("list lacks report 2 as Won't Fix:\n%s", list)
	}
	if l := lines(list, "1", "Confirmed", "A", "private", "Guest escape"); len(l) != 1 {
		t.Errorf("list lacks report 1 as Confirmed:\n%s", list)
	}
	if !strings.HasPrefix(list, "ID  STATUS") {
		t.Errorf("list header: %q", list)
	}
	// The public report is visible to anyone now; the private one still not.
	if out := other.ok("report", "list"); len(lines(out, "Verbose logs")) != 1 || strings.Contains(out, "Guest escape") {
		t.Errorf("other's list after Won't Fix:\n%s", out)
	}

	l := decodeJSON[vmthttp.List[*vmt.ReportView]](t, admin.ok("report", "list", "--status", "Won't Fix", "--json"))
	if l.Total != 1 || len(l.Items) != 1 || l.Items[0].ID != 2 || l.Items[0].Status != vmt.StatusWontFix || !l.Items[0].Hardening {
		t.Errorf("filtered JSON list %+v", l)
	}
	if out := admin.ok("report", "list", "--limit", "1"); !strings.Contains(out, "Showing 1-1 of 2; see more with --offset 1.") {
		t.Errorf("paged list:\n%s", out)
	}
	admin.fails(exitUsage, "vmt report: status: unknown status", "report", "list", "--status", "bogus")
}

func TestReportCoordination(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	rep, _ := addUser(t, s, admin, "reporter@example.org", "reporter")
	rev, revID := addUser(t, s, admin, "reviewer@example.org", "reviewer")
	rep.ok("report", "new", "--title", "Guest escape", "--description", "Details.")
	revIDs := strconv.FormatInt(revID, 10)

	rev.fails(exitNotFound, "report not found", "report", "show", "1")
	if out := admin.ok("report", "subscribe", "1", revIDs); out != "User "+revIDs+" is subscribed to report 1 and may now see it.\n" {
		t.Errorf("subscribe printed %q", out)
	}
	rev.ok("report", "show", "1")
	if out := rev.ok("report", "comment", "1", "--body", "Looks real."); out != "Comment 1 posted on report 1.\n" {
		t.Errorf("comment printed %q", out)
	}
	rev.fails(exitAuth, "vmt report: you may not", "report", "classify", "1", "A")

	admin.ok("report", "assign", "1", "1")
	admin.ok("report", "classify", "1", "A")
	out := admin.ok("report", "edit", "1", "--cve", "CVE-2026-1234", "--impact", "Guests escape.", "--component", "runtime")
	if !strings.HasPrefix(out, "Report 1: Guest escape (CVE-2026-1234)\n") {
		t.Errorf("edit printed %q", out)
	}
	admin.ok("report", "cve-request", "1")
	admin.fails(exitConflict, "a CVE request is already recorded", "report", "cve-request", "1")

	type shown struct {
		*vmt.ReportView
		Comments []*vmt.Comment `json:"comments"`
	}
	v := decodeJSON[shown](t, admin.ok("report", "show", "1", "--json"))
	if v.ID != 1 || v.Class != "A" || v.CoordinatorID != 1 || !slices.Equal(v.CVEs, []string{"CVE-2026-1234"}) ||
		v.ImpactDescription != "Guests escape." || v.CVERequestedAt == nil || !slices.Equal(v.Components(), []string{"runtime"}) {
		t.Errorf("show --json: %+v", v.Report)
	}
	if !slices.Equal(v.NextStatuses, vmt.NextStatuses(vmt.StatusNew)) {
		t.Errorf("next statuses %v", v.NextStatuses)
	}
	// The reviewer's comment, and the recorded CVE's (VMT.md: the CVE is
	// added in the comment field).
	var bodies []string
	for _, c := range v.Comments {
		bodies = append(bodies, c.Body)
		if c.Body == "Looks real." && c.AuthorID != revID {
			t.Errorf("the reviewer's comment is by %d", c.AuthorID)
		}
	}
	if len(v.Comments) != 2 || !slices.Contains(bodies, "Looks real.") || !slices.Contains(bodies, "CVE assigned: CVE-2026-1234.") {
		t.Errorf("comments %q", bodies)
	}

	show := admin.ok("report", "show", "1")
	for _, want := range []string{"Class:             A (advisory)", "Coordinator:       user 1", "Impact description\n------------------\nGuests escape.",
		"Comments (2)", "by user " + revIDs, "Looks real.", "CVE assigned: CVE-2026-1234."} {
		if !strings.Contains(show, want) {
			t.Errorf("report show lacks %q:\n%s", want, show)
		}
	}

	admin.ok("report", "subscribe", "1", revIDs, "--remove")
	rev.fails(exitNotFound, "report not found", "report", "show", "1")
	extent := rep.ok("report", "extent", "1")
	if len(lines(extent, "user "+revIDs, "subscribed", "user 1")) != 1 || len(lines(extent, "administrators", "the process")) != 1 {
		t.Errorf("extent:\n%s", extent)
	}
	audit := admin.ok("report", "audit", "1")
	for _, action := range []string{"report.create", "subscription.add", "report.assign", "report.update", "report.cve_request", "subscription.remove"} {
		if len(lines(audit, action)) != 1 {
			t.Errorf("audit lacks one %s:\n%s", action, audit)
		}
	}
	if n := len(lines(audit, "comment.add")); n != 2 { // the reviewer's and the CVE's
		t.Errorf("audit has %d comment.add, want 2:\n%s", n, audit)
	}
	if evs := decodeJSON[vmthttp.List[*vmt.AuditEvent]](t, admin.ok("report", "audit", "1", "--json")); evs.Total != len(evs.Items) || evs.Items[0].Action != "report.create" {
		t.Errorf("audit --json: %+v", evs)
	}
	rep.fails(exitAuth, "vmt report: you may not", "report", "audit", "1")

	out = admin.ok("report", "publicize", "1", "--reason", "it leaked")
	if !strings.Contains(out, "public") {
		t.Errorf("publicize printed %q", out)
	}
	rev.ok("report", "show", "1")
	admin.fails(exitConflict, "already public", "report", "publicize", "1", "--reason", "again")
}

func TestReportUsageErrors(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"report"}, "vmt report: missing subcommand"},
		{[]string{"report", "bogus"}, `unknown subcommand "bogus"`},
		{[]string{"report", "show"}, "usage: vmt report show ID"},
		{[]string{"report", "show", "abc"}, `"abc" is not a report id`},
		{[]string{"report", "show", "1", "2"}, "usage: vmt report show ID"},
		{[]string{"report", "show", "1", "--bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"report", "new", "--description", "x"}, "--title is required"},
		{[]string{"report", "new", "--title", "t", "--description", "x", "--description-file", "f"}, "give --description or --description-file, not both"},
		{[]string{"report", "new", "--title", "t"}, "vmt report: description: is required"},
		{[]string{"report", "edit", "1"}, "nothing to change"},
		{[]string{"report", "comment", "1"}, "give the comment with --body or --body-file"},
		{[]string{"report", "publicize", "1"}, "--reason is required"},
		{[]string{"report", "assign", "1", "x"}, `"x" is neither a user id nor an email address`},
		{[]string{"report", "classify", "1", "Q"}, `class: unknown class "Q"`},
		{[]string{"user", "add", "--email", "x@example.org"}, "--email and --role are required"},
		{[]string{"token", "new"}, "--name is required"},
		{[]string{"project", "member", "kata-containers", "1"}, "usage: vmt project member"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := admin.fails(exitUsage, tt.want, tt.args...)
			if r.stdout != "" {
				t.Errorf("stdout %q, want nothing", r.stdout)
			}
		})
	}
	if r := admin.vmt("", "report", "help"); r.code != exitOK || !strings.Contains(r.stdout, "status       move a report to another status") {
		t.Errorf("report help: exit %d, %q", r.code, r.stdout)
	}
}
