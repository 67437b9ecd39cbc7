package storetest

import (
	"testing"

	"github.com/vmtproject/vmt"
)

// testForgePullRequests: a report's pull requests are listed by branch,
// one per branch (a new one replaces it), and one number follows one
// report of a project.
func testForgePullRequests(t *testing.T, st vmt.Store) {
	var p, q *vmt.Project
	var r1, r2, r3 *vmt.Report
	update(t, st, func(tx vmt.Tx) error {
		p, q = mkProject(t, tx, "p"), mkProject(t, tx, "q")
		rep := mkUser(t, tx, "rep@example.org", vmt.RoleReporter)
		r1, r2 = mkReport(t, tx, p.ID, rep.ID, vmt.Public, at(1)), mkReport(t, tx, p.ID, rep.ID, vmt.Public, at(2))
		r3 = mkReport(t, tx, q.ID, rep.ID, vmt.Public, at(3))
		return nil
	})
	stable := &vmt.ForgePullRequest{ReportID: r1.ID, ProjectID: p.ID, Branch: "stable-1", Head: "vmt/CVE-2026-1/stable-1",
		Number: 12, URL: "https://github.com/o/r/pull/12", OpenedAt: at(4)}
	master := &vmt.ForgePullRequest{ReportID: r1.ID, ProjectID: p.ID, Branch: "master", Head: "vmt/CVE-2026-1/master",
		Number: 11, URL: "https://github.com/o/r/pull/11", OpenedAt: at(5)}
	update(t, st, func(tx vmt.Tx) error {
		got, err := tx.ForgePullRequests(r1.ID)
		must(t, err)
		if len(got) != 0 {
			t.Errorf("ForgePullRequests before any: %+v", got)
		}
		must(t, tx.SetForgePullRequest(stable))
		must(t, tx.SetForgePullRequest(master))
		got, err = tx.ForgePullRequests(r1.ID)
		must(t, err)
		same(t, "ForgePullRequests", got, []*vmt.ForgePullRequest{master, stable})
		wantCode(t, "pull request 12 for a second report", tx.SetForgePullRequest(&vmt.ForgePullRequest{ReportID: r2.ID,
			ProjectID: p.ID, Branch: "master", Head: "h", Number: 12, URL: "u", OpenedAt: at(6)}), vmt.ECONFLICT)
		must(t, tx.SetForgePullRequest(&vmt.ForgePullRequest{ReportID: r3.ID, ProjectID: q.ID, Branch: "master", Head: "h",
			Number: 12, URL: "u", OpenedAt: at(6)}))
		return nil
	})
	update(t, st, func(tx vmt.Tx) error {
		got, err := tx.ForgePullRequests(r2.ID)
		must(t, err)
		if len(got) != 0 {
			t.Errorf("the refused pull request is stored: %+v", got)
		}
		moved := *master
		moved.Number, moved.URL = 13, "https://github.com/o/r/pull/13"
		must(t, tx.SetForgePullRequest(&moved))
		got, err = tx.ForgePullRequests(r1.ID)
		must(t, err)
		same(t, "ForgePullRequests replaced", got, []*vmt.ForgePullRequest{&moved, stable})
		return nil
	})
}
