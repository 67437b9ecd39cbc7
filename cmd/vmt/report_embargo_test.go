package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
)

// The embargo commands against a server: the reporter states the date they
// ask for (report edit --disclosure-date), refused by field when it is not
// a future date; the notice and the grant reach the service, which says
// why it will not act yet. The notice itself is tested end to end in
// serve_mail_test.go and serve_kill_test.go.
func TestReportEmbargoCommands(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	rep, _ := addUser(t, s, admin, "reporter@example.org", "reporter")
	_, stkID := addUser(t, s, admin, "sec@distro.example", "stakeholder")
	rep.ok("report", "new", "--title", "Guest escape", "--description", "The agent trusts the guest.")

	rep.fails(exitUsage, "requested_disclosure_at", "report", "edit", "1", "--disclosure-date", "2020-01-01")
	rep.fails(exitUsage, "requested_disclosure_at", "report", "edit", "1", "--disclosure-date", "soon")
	day := time.Now().UTC().AddDate(0, 0, 20).Format(time.DateOnly)
	v := decodeJSON[vmt.ReportView](t, rep.ok("report", "edit", "1", "--disclosure-date", day, "--json"))
	if v.RequestedDisclosureAt == nil || v.RequestedDisclosureAt.Format(time.DateOnly) != day {
		t.Errorf("requested date after edit: %v, want %s", v.RequestedDisclosureAt, day)
	}
	v = decodeJSON[vmt.ReportView](t, rep.ok("report", "edit", "1", "--disclosure-date", "", "--json"))
	if v.RequestedDisclosureAt != nil {
		t.Errorf("the date is not withdrawn: %v", v.RequestedDisclosureAt)
	}

	if r := rep.vmt("", "report", "notice", "1"); r.code == 0 {
		t.Errorf("the reporter sent the notice: %+v", r)
	}
	admin.fails(exitUsage, "sends no notices", "report", "notice", "1", "--override-reason", "agreed with the reporter")
	admin.fails(exitConflict, "after the notice", "report", "grant", "1", strconv.FormatInt(stkID, 10))
	if out := admin.ok("report", "access-requests", "1"); out != "No one is asking to read report 1.\n" {
		t.Errorf("access-requests: %q", out)
	}
	rep.fails(exitNotFound, "not found", "report", "ask-access", "1", "--note", "please")
	admin.fails(exitUsage, "--reason is required", "report", "raise", "1")
	if v := decodeJSON[vmt.ReportView](t, admin.ok("report", "raise", "1", "--reason", "the fix needs a complex patch", "--json")); v.EmbargoRaisedAt == nil {
		t.Error("report raise did not raise the report")
	}
	admin.fails(exitConflict, "already raised", "report", "raise", "1", "--reason", "again")
	if r := admin.vmt("", "report", "grant", "1", strconv.FormatInt(stkID, 10), "--revoke"); r.code != exitNotFound || !strings.Contains(r.stderr, "not found") {
		t.Errorf("revoking a grant never made: %+v", r)
	}
}
