package storetest

import (
	"testing"

	"github.com/vmtproject/vmt"
)

// testOverdueFilter checks ReportFilter.Overdue: the private reports the
// worker marked (raised for going public, or reminded past their stage's
// limit), within what the viewer may see, in lists, counts and search.
func testOverdueFilter(t *testing.T, st vmt.Store) {
	var raised, reminded, plain, public *vmt.Report
	var vmtm, reporter, other *vmt.User
	update(t, st, func(tx vmt.Tx) error {
		p := mkProject(t, tx, "p")
		vmtm = mkUser(t, tx, "vmt@example.org", vmt.RoleVMT)
		reporter = mkUser(t, tx, "r@example.org", vmt.RoleReporter)
		other = mkUser(t, tx, "o@example.org", vmt.RoleReporter)
		must(t, tx.SetMember(vmt.Member{ProjectID: p.ID, UserID: vmtm.ID, Role: vmt.MemberVMT}))
		raised = mkReport(t, tx, p.ID, reporter.ID, vmt.Private, at(1))
		reminded = mkReport(t, tx, p.ID, reporter.ID, vmt.Private, at(2))
		plain = mkReport(t, tx, p.ID, reporter.ID, vmt.Private, at(3))
		public = mkReport(t, tx, p.ID, reporter.ID, vmt.Public, at(4))
		raised.EmbargoRaisedAt = ptr(at(10))
		reminded.StageRemindedAt = ptr(at(10))
		// A report made public keeps its mark but is no longer overdue.
		public.EmbargoRaisedAt = ptr(at(10))
		for _, r := range []*vmt.Report{raised, reminded, public} {
			r.Title = "overdue report"
			must(t, tx.UpdateReport(r))
		}
		plain.Title = "overdue report"
		return tx.UpdateReport(plain)
	})
	tests := []struct {
		name   string
		viewer vmt.Viewer
		query  string
		want   []*vmt.Report
	}{
		{"vmt", vmt.Viewer{UserID: vmtm.ID}, "", []*vmt.Report{reminded, raised}},
		{"reporter", vmt.Viewer{UserID: reporter.ID}, "", []*vmt.Report{reminded, raised}},
		{"another reporter", vmt.Viewer{UserID: other.ID}, "", []*vmt.Report{}},
		{"anonymous", vmt.Viewer{}, "", []*vmt.Report{}},
		{"vmt, search", vmt.Viewer{UserID: vmtm.ID}, "overdue", []*vmt.Report{reminded, raised}},
		{"another reporter, search", vmt.Viewer{UserID: other.ID}, "overdue", []*vmt.Report{}},
	}
	for _, tt := range tests {
		view(t, st, func(tx vmt.Tx) error {
			rs, n, err := tx.Reports(vmt.ReportFilter{Viewer: tt.viewer, Overdue: true, Query: tt.query})
			must(t, err)
			if tt.query != "" {
				// Search ranks by match, then newest: equal titles keep the newest first.
				same(t, tt.name+": reports", ids(rs), ids(tt.want))
			} else {
				same(t, tt.name+": reports", rs, tt.want)
			}
			same(t, tt.name+": count", n, len(tt.want))
			counts, err := tx.CountByStatus(vmt.ReportFilter{Viewer: tt.viewer, Overdue: true})
			must(t, err)
			same(t, tt.name+": count by status", counts[vmt.StatusNew], len(tt.want))
			return nil
		})
	}
}
