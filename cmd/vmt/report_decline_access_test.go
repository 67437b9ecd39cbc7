package main

import (
	"strconv"
	"testing"
)

// decline-access and access-status reach the service through the API: no
// pending request is "not found", the report hidden from an account not
// told of it is too, and the arguments are checked. The decline itself,
// with a notice sent, is tested in jobs (service, both engines) and http
// (the report page).
func TestReportDeclineAccessCommands(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	rep, _ := addUser(t, s, admin, "reporter@example.org", "reporter")
	stk, stkID := addUser(t, s, admin, "sec@distro.example", "stakeholder")
	rep.ok("report", "new", "--title", "Guest escape", "--description", "The agent trusts the guest.")

	admin.fails(exitNotFound, "access request", "report", "decline-access", "1", strconv.FormatInt(stkID, 10), "--reason", "not affected")
	stk.fails(exitNotFound, "not found", "report", "decline-access", "1", strconv.FormatInt(stkID, 10))
	stk.fails(exitNotFound, "not found", "report", "access-status", "1")
	admin.fails(exitUsage, "user", "report", "decline-access", "1", "someone")
	admin.fails(exitUsage, "decline-access", "report", "decline-access", "1")
}
