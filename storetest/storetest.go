// Package storetest is the conformance suite of vmt.Store: every
// implementation runs it, so that the engines behave alike.
package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
)

// Run checks that the stores made by open behave as vmt.Store and vmt.Tx
// document. open is called once per subtest, possibly in parallel, and must
// return an empty, migrated store that it closes when t ends.
func Run(t *testing.T, open func(t *testing.T) vmt.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, vmt.Store)
	}{
		{"Users", testUsers},
		{"UserErrors", testUserErrors},
		{"Tokens", testTokens},
		{"EmailProofs", testEmailProofs},
		{"AccountLinks", testAccountLinks},
		{"Intake", testIntake},
		{"NotificationPrefs", testNotificationPrefs},
		{"DigestEntries", testDigestEntries},
		{"Projects", testProjects},
		{"Members", testMembers},
		{"Reports", testReports},
		{"ReportConcurrentUpdates", testReportConcurrentUpdates},
		{"CountByStatus", testCountByStatus},
		{"ReportZeroValues", testReportZeroValues},
		{"ReportErrors", testReportErrors},
		{"ReportFilters", testReportFilters},
		{"ReportVisibility", testReportVisibility},
		{"ReportPaging", testReportPaging},
		{"Search", testSearch},
		{"SearchVisibility", testSearchVisibility},
		{"SearchHostile", testSearchHostile},
		{"SearchBound", testSearchBound},
		{"SearchFollowsChanges", testSearchFollowsChanges},
		{"SearchIDs", testSearchIDs},
		{"Subscriptions", testSubscriptions},
		{"AccessRequests", testAccessRequests},
		{"Comments", testComments},
		{"AuditEmpty", testAuditEmpty},
		{"AuditAppend", testAuditAppend},
		{"AuditLogPages", testAuditLogPages},
		{"AuditFilter", testAuditFilter},
		{"AuditConcurrent", testAuditConcurrent},
		{"AuditExtentAndLatest", testAuditExtentAndLatest},
		{"Rollback", testRollback},
		{"RollbackOnPanic", testRollbackOnPanic},
		{"ViewIsReadOnly", testViewIsReadOnly},
		{"ViewOne", testViewOne},
		{"Fixes", testFixes},
		{"WaiversAndHolds", testWaiversAndHolds},
		{"Advisories", testAdvisories},
		{"Stakeholders", testStakeholders},
		{"Outbox", testOutbox},
		{"OutboxRelease", testOutboxRelease},
		{"OutboxRetry", testOutboxRetry},
		{"StageTimers", testStageTimers},
		{"OverdueFilter", testOverdueFilter},
		{"ImpactTemplatesCNA", testImpactTemplatesCNA},
		{"Forge", testForge},
		{"ForgePullRequests", testForgePullRequests},
		{"ForgeAdvisories", testForgeAdvisories},
		{"PublicationSettings", testPublicationSettings},
		{"PossibleLeak", testPossibleLeak},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, open(t))
		})
	}
}

// t0 is a time at the microsecond precision stores keep.
var t0 = time.Date(2025, 3, 14, 9, 26, 53, 589793000, time.UTC)

// at returns t0 plus n minutes.
func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

func ptr[T any](v T) *T { return &v }

// update runs fn in st.Update and fails the test on error.
func update(t *testing.T, st vmt.Store, fn func(vmt.Tx) error) {
	t.Helper()
	if err := st.Update(t.Context(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// view runs fn in st.View and fails the test on error.
func view(t *testing.T, st vmt.Store, fn func(vmt.Tx) error) {
	t.Helper()
	if err := st.View(t.Context(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// wantCode fails unless err carries the domain error code want.
func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := vmt.ErrorCode(err); got != want {
		t.Errorf("%s: error %v (code %q), want code %q", what, err, got, want)
	}
}

// same fails unless got and want are deeply equal.
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %s\n want %s", what, show(got), show(want))
	}
}

// show prints pointers to structs, and slices of them, by value.
func show(v any) string {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice {
		s := "["
		for i := range rv.Len() {
			s += show(rv.Index(i).Interface()) + " "
		}
		return s + "]"
	}
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		return fmt.Sprintf("&%+v", rv.Elem().Interface())
	}
	return fmt.Sprintf("%+v", v)
}

// must fails the test on err, inside a transaction function.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var errBoom = errors.New("boom")

// The fixtures below create objects inside a transaction.

func mkUser(t *testing.T, tx vmt.Tx, email string, role vmt.Role) *vmt.User {
	t.Helper()
	u := &vmt.User{Email: email, Name: "User " + email, Role: role, CreatedAt: t0}
	must(t, tx.CreateUser(u))
	return u
}

func mkProject(t *testing.T, tx vmt.Tx, name string) *vmt.Project {
	t.Helper()
	p := &vmt.Project{Name: name, AdvisoryPrefix: "KCSA", NotePrefix: "KCSN",
		Branches: []string{"master"}, CreatedAt: t0}
	must(t, tx.CreateProject(p))
	return p
}

func mkReport(t *testing.T, tx vmt.Tx, projectID, reporterID int64, vis vmt.Visibility, created time.Time) *vmt.Report {
	t.Helper()
	r := &vmt.Report{ProjectID: projectID, Title: "A bug", Description: "It breaks.",
		ReporterID: reporterID, Visibility: vis, Status: vmt.StatusNew,
		Affected: []vmt.AffectedEntry{}, CVEs: []string{}, NeverDisclose: []string{},
		CreatedAt: created, UpdatedAt: created}
	must(t, tx.CreateReport(r))
	return r
}

// ids returns the ids of rs, in order.
func ids(rs []*vmt.Report) []int64 {
	out := []int64{}
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}
