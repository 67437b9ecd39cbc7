package storetest

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/vmtproject/vmt"
)

// fullReport sets every field of a report to a value other than its zero.
func fullReport(projectID, reporterID, coordinatorID int64) *vmt.Report {
	return &vmt.Report{
		ProjectID: projectID, Title: "Heap overflow in the parser (CVE-2025-1234)",
		Description: vmt.EmbargoReminder() + "Line one\nline two\ttabbed — ünïcode ✓\r\n",
		ReporterID:  reporterID, CoordinatorID: coordinatorID,
		Visibility: vmt.Private, Status: vmt.StatusInProgress, Class: "A",
		Affected: []vmt.AffectedEntry{{Component: "parser", Versions: "<=1.2.3"},
			{Component: "net/http", Ecosystem: "Go", Package: "net/http", Versions: ">=1.0.0 <1.2.4"}},
		Credit: "Grace Hopper", CVEs: []string{"CVE-2025-1234", "CVE-2025-99999"},
		Hardening: true, ImpactDescription: "# Impact\n\nRemote code execution.",
		ReporterTerms: "Disclose after 30 days.", NeverDisclose: []string{"credit", "reporter_identity"},
		DisclosureAt: ptr(at(60 * 24 * 30)), CVERequestedAt: ptr(at(5)), NoticeSentAt: ptr(at(6)),
		Reminder: vmt.EmbargoReminder(), CreatedAt: t0, UpdatedAt: at(7),
	}
}

func testReports(t *testing.T, st vmt.Store) {
	var p, q *vmt.Project
	var rep, co, co2 *vmt.User
	var r *vmt.Report
	update(t, st, func(tx vmt.Tx) error {
		p, q = mkProject(t, tx, "p"), mkProject(t, tx, "q")
		rep, co = mkUser(t, tx, "r@example.org", vmt.RoleReporter), mkUser(t, tx, "c@example.org", vmt.RoleVMT)
		co2 = mkUser(t, tx, "c2@example.org", vmt.RoleVMT)
		r = fullReport(p.ID, rep.ID, co.ID)
		return tx.CreateReport(r)
	})
	if r.ID == 0 {
		t.Fatal("CreateReport did not set the id")
	}
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.Report(r.ID)
		must(t, err)
		same(t, "Report", got, r)
		return nil
	})

	// Every field changes, times to nil and lists to empty included.
	want := &vmt.Report{
		ID: r.ID, ProjectID: q.ID, Title: "Renamed", Description: "Public now.", ReporterID: co2.ID,
		CoordinatorID: co2.ID, Visibility: vmt.Public, Status: vmt.StatusFixReleased, Class: "B2",
		Affected: []vmt.AffectedEntry{{Versions: "all"}}, Credit: "", CVEs: []string{"CVE-2025-0001"},
		Hardening: false, ImpactDescription: "", ReporterTerms: "none", NeverDisclose: []string{},
		DisclosureAt: nil, CVERequestedAt: ptr(at(100)), NoticeSentAt: nil,
		Reminder: "", CreatedAt: at(-1), UpdatedAt: at(200),
	}
	update(t, st, func(tx vmt.Tx) error { return tx.UpdateReport(want) })
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.Report(r.ID)
		must(t, err)
		same(t, "Report after UpdateReport", got, want)
		return nil
	})
	// Unassigning stores CoordinatorID 0.
	want.CoordinatorID = 0
	update(t, st, func(tx vmt.Tx) error { return tx.UpdateReport(want) })
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.Report(r.ID)
		must(t, err)
		same(t, "Report after unassigning", got, want)
		return nil
	})
}

// testReportZeroValues checks that nil lists read back as empty lists and
// unset times as nil.
func testReportZeroValues(t *testing.T, st vmt.Store) {
	var r *vmt.Report
	update(t, st, func(tx vmt.Tx) error {
		p, u := mkProject(t, tx, "p"), mkUser(t, tx, "r@example.org", vmt.RoleReporter)
		r = &vmt.Report{ProjectID: p.ID, Title: "t", Description: "d", ReporterID: u.ID,
			Visibility: vmt.Private, Status: vmt.StatusNew, CreatedAt: t0, UpdatedAt: t0}
		return tx.CreateReport(r)
	})
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.Report(r.ID)
		must(t, err)
		want := *r
		want.Affected, want.CVEs, want.NeverDisclose = []vmt.AffectedEntry{}, []string{}, []string{}
		same(t, "Report with nil lists and times", got, &want)
		if got.Affected == nil || got.CVEs == nil || got.NeverDisclose == nil {
			t.Errorf("nil list read back as nil, want []string{}: %+v", got)
		}
		return nil
	})
}

func testReportErrors(t *testing.T, st vmt.Store) {
	view(t, st, func(tx vmt.Tx) error {
		_, err := tx.Report(1)
		wantCode(t, "Report(unknown)", err, vmt.ENOTFOUND)
		rs, n, err := tx.Reports(vmt.ReportFilter{Viewer: vmt.Viewer{Admin: true, UserID: 1}})
		must(t, err)
		if rs == nil || len(rs) != 0 || n != 0 {
			t.Errorf("Reports on an empty store = %#v, %d; want an empty non-nil slice, 0", rs, n)
		}
		return nil
	})
	update(t, st, func(tx vmt.Tx) error {
		r := &vmt.Report{ID: 42, Title: "t", Visibility: vmt.Public, Status: vmt.StatusNew}
		wantCode(t, "UpdateReport(unknown)", tx.UpdateReport(r), vmt.ENOTFOUND)
		return nil
	})
}

func testReportFilters(t *testing.T, st vmt.Store) {
	var r1, r2, r3, r4 *vmt.Report
	var p, q *vmt.Project
	var a, b *vmt.User
	update(t, st, func(tx vmt.Tx) error {
		p, q = mkProject(t, tx, "p"), mkProject(t, tx, "q")
		a, b = mkUser(t, tx, "a@example.org", vmt.RoleVMT), mkUser(t, tx, "b@example.org", vmt.RoleReporter)
		r1 = mkReport(t, tx, p.ID, a.ID, vmt.Public, at(1))
		r2 = mkReport(t, tx, p.ID, b.ID, vmt.Private, at(2))
		r3 = mkReport(t, tx, q.ID, b.ID, vmt.Public, at(3))
		r4 = mkReport(t, tx, q.ID, a.ID, vmt.Private, at(4))
		r2.Status, r2.Class, r2.CoordinatorID = vmt.StatusConfirmed, "A", a.ID
		r3.Status, r3.Class = vmt.StatusConfirmed, "B1"
		r4.CoordinatorID = a.ID
		for _, r := range []*vmt.Report{r2, r3, r4} {
			must(t, tx.UpdateReport(r))
		}
		return nil
	})
	admin := vmt.Viewer{UserID: a.ID, Admin: true}
	tests := []struct {
		name string
		f    vmt.ReportFilter
		want []*vmt.Report
	}{
		{"all", vmt.ReportFilter{}, []*vmt.Report{r4, r3, r2, r1}},
		{"project", vmt.ReportFilter{ProjectID: p.ID}, []*vmt.Report{r2, r1}},
		{"status", vmt.ReportFilter{Status: vmt.StatusConfirmed}, []*vmt.Report{r3, r2}},
		{"class", vmt.ReportFilter{Class: "A"}, []*vmt.Report{r2}},
		{"visibility", vmt.ReportFilter{Visibility: vmt.Private}, []*vmt.Report{r4, r2}},
		{"coordinator", vmt.ReportFilter{CoordinatorID: a.ID}, []*vmt.Report{r4, r2}},
		{"reporter", vmt.ReportFilter{ReporterID: b.ID}, []*vmt.Report{r3, r2}},
		{"project and status", vmt.ReportFilter{ProjectID: q.ID, Status: vmt.StatusNew}, []*vmt.Report{r4}},
		{"status and class", vmt.ReportFilter{Status: vmt.StatusConfirmed, Class: "B1"}, []*vmt.Report{r3}},
		{"nothing matches", vmt.ReportFilter{ProjectID: p.ID, Class: "B1"}, []*vmt.Report{}},
	}
	for _, tt := range tests {
		tt.f.Viewer = admin
		view(t, st, func(tx vmt.Tx) error {
			rs, n, err := tx.Reports(tt.f)
			must(t, err)
			same(t, tt.name+": reports", rs, tt.want)
			same(t, tt.name+": count", n, len(tt.want))
			return nil
		})
	}
}

func testReportPaging(t *testing.T, st vmt.Store) {
	var pub []*vmt.Report // newest first
	update(t, st, func(tx vmt.Tx) error {
		p, u := mkProject(t, tx, "p"), mkUser(t, tx, "u@example.org", vmt.RoleReporter)
		for i := range 7 {
			// Pairs share a creation time: the id breaks the tie.
			pub = append([]*vmt.Report{mkReport(t, tx, p.ID, u.ID, vmt.Public, at(i/2))}, pub...)
			mkReport(t, tx, p.ID, u.ID, vmt.Private, at(i)) // hidden from the anonymous viewer
		}
		return nil
	})
	tests := []struct {
		limit, offset int
		want          []*vmt.Report
	}{
		{3, 0, pub[0:3]},
		{3, 3, pub[3:6]},
		{3, 6, pub[6:7]},
		{3, 7, []*vmt.Report{}},
		{3, 100, []*vmt.Report{}},
		{100, 2, pub[2:]},
		{0, 0, pub}, // no limit
	}
	for _, tt := range tests {
		view(t, st, func(tx vmt.Tx) error {
			rs, n, err := tx.Reports(vmt.ReportFilter{Limit: tt.limit, Offset: tt.offset})
			must(t, err)
			page := fmt.Sprintf("limit %d offset %d", tt.limit, tt.offset)
			same(t, page+": ids", ids(rs), ids(tt.want))
			same(t, page+": count", n, 7)
			return nil
		})
	}
}

// testReportConcurrentUpdates runs read-modify-writes of one report from
// several goroutines at once: each adds a component. None may be lost, as a
// coordinator's edit must never undo the disclosure that raced it.
func testReportConcurrentUpdates(t *testing.T, st vmt.Store) {
	var r *vmt.Report
	update(t, st, func(tx vmt.Tx) error {
		u := mkUser(t, tx, "c@example.org", vmt.RoleReporter)
		r = mkReport(t, tx, mkProject(t, tx, "c").ID, u.ID, vmt.Private, t0)
		return nil
	})
	const n = 12
	errs := make(chan error, n)
	for i := range n {
		go func() {
			errs <- st.Update(t.Context(), func(tx vmt.Tx) error {
				got, err := tx.Report(r.ID)
				if err != nil {
					return err
				}
				got.Affected = append(got.Affected, vmt.AffectedEntry{Component: "c" + strconv.Itoa(i)})
				return tx.UpdateReport(got)
			})
		}()
	}
	for range n {
		must(t, <-errs)
	}
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.Report(r.ID)
		must(t, err)
		if len(got.Affected) != n {
			t.Errorf("after %d concurrent updates the report has %d components: %v", n, len(got.Affected), got.Components())
		}
		return nil
	})
}
