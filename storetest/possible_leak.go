package storetest

import (
	"testing"

	"github.com/vmtproject/vmt"
)

// testPossibleLeak: a report has no possible leak until one is stored;
// the flag (when, branch, commit) round-trips through Report, the lists
// and the search, and survives a later update that does not touch it.
func testPossibleLeak(t *testing.T, st vmt.Store) {
	var r *vmt.Report
	update(t, st, func(tx vmt.Tx) error {
		p := mkProject(t, tx, "p")
		u := mkUser(t, tx, "u@example.org", vmt.RoleReporter)
		r = mkReport(t, tx, p.ID, u.ID, vmt.Private, at(0))
		got, err := tx.Report(r.ID)
		must(t, err)
		if got.PossibleLeak != nil {
			t.Errorf("a new report has a possible leak: %+v", got.PossibleLeak)
		}
		r.PossibleLeak = &vmt.PossibleLeak{At: at(7), Branch: "stable-3.2", Commit: "0123456789abcdef0123456789abcdef01234567"}
		return tx.UpdateReport(r)
	})
	want := *r.PossibleLeak
	check := func(what string, got *vmt.Report) {
		t.Helper()
		if got.PossibleLeak == nil || *got.PossibleLeak != want || !got.PossibleLeak.At.Equal(at(7)) {
			t.Errorf("%s: possible leak %+v, want %+v", what, got.PossibleLeak, want)
		}
	}
	update(t, st, func(tx vmt.Tx) error {
		got, err := tx.Report(r.ID)
		must(t, err)
		check("Report", got)
		got.Title, got.UpdatedAt = "Renamed", at(9)
		return tx.UpdateReport(got)
	})
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.Report(r.ID)
		must(t, err)
		check("after an update of another field", got)
		list, _, err := tx.Reports(vmt.ReportFilter{Viewer: vmt.Viewer{Admin: true}, Limit: 10})
		must(t, err)
		if len(list) != 1 {
			t.Fatalf("%d reports listed", len(list))
		}
		check("Reports", list[0])
		found, _, err := tx.Reports(vmt.ReportFilter{Viewer: vmt.Viewer{Admin: true}, Query: "Renamed", Limit: 10})
		must(t, err)
		if len(found) != 1 {
			t.Fatalf("%d reports found by the search", len(found))
		}
		check("search", found[0])
		return nil
	})
}
