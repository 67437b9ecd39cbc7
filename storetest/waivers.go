package storetest

import (
	"testing"

	"github.com/vmtproject/vmt"
)

// testWaiversAndHolds: waivers round-trip per report, oldest first; a held
// report is skipped by DueDisclosure, and released it is due again; a
// second hold is ECONFLICT and releasing nothing ENOTFOUND; a fix's
// pull request commit round-trips.
func testWaiversAndHolds(t *testing.T, st vmt.Store) {
	var r, other *vmt.Report
	var w1, w2 *vmt.FixWaiver
	update(t, st, func(tx vmt.Tx) error {
		p := mkProject(t, tx, "p")
		u := mkUser(t, tx, "coord@example.org", vmt.RoleVMT)
		r = mkReport(t, tx, p.ID, u.ID, vmt.Private, t0)
		other = mkReport(t, tx, p.ID, u.ID, vmt.Private, t0)
		w1 = &vmt.FixWaiver{ReportID: r.ID, Branch: "stable/1.0", Reason: "end of life", CreatedBy: u.ID, CreatedAt: at(1)}
		w2 = &vmt.FixWaiver{ReportID: r.ID, Branch: "", Reason: "whole", CreatedBy: u.ID, CreatedAt: at(2)}
		must(t, tx.CreateFixWaiver(w1))
		must(t, tx.CreateFixWaiver(w2))
		for _, x := range []*vmt.Report{r, other} {
			x.DisclosureAt = ptr(at(10))
			must(t, tx.UpdateReport(x))
		}
		link := &vmt.Fix{ReportID: other.ID, Branch: "master", URL: "https://example.org/pr/2",
			Commit: "0123456789abcdef0123456789abcdef01234567", Subjects: []string{}, UploadedBy: u.ID, CreatedAt: at(3)}
		must(t, tx.CreateFix(link))
		got, err := tx.Fix(link.ID)
		must(t, err)
		same(t, "a link's commit", got.Commit, link.Commit)
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		ws, err := tx.FixWaivers(r.ID)
		must(t, err)
		same(t, "FixWaivers", ws, []*vmt.FixWaiver{w1, w2})
		none, err := tx.FixWaivers(other.ID)
		must(t, err)
		same(t, "FixWaivers of a report without", none, []*vmt.FixWaiver{})
		_, err = tx.DisclosureHold(r.ID)
		wantCode(t, "DisclosureHold of a report not held", err, vmt.ENOTFOUND)
		return nil
	})
	due := func(want int64) {
		t.Helper()
		update(t, st, func(tx vmt.Tx) error {
			id, err := tx.DueDisclosure(at(20))
			must(t, err)
			same(t, "DueDisclosure", id, want)
			return nil
		})
	}
	due(r.ID)
	h := &vmt.DisclosureHold{ReportID: r.ID, Branches: []string{"master", "stable/1.0"}, HeldAt: at(11)}
	update(t, st, func(tx vmt.Tx) error {
		must(t, tx.HoldDisclosure(h))
		wantCode(t, "a second hold", tx.HoldDisclosure(&vmt.DisclosureHold{ReportID: r.ID, HeldAt: at(12)}), vmt.ECONFLICT)
		// Held in this very transaction: already skipped.
		id, err := tx.DueDisclosure(at(20))
		must(t, err)
		same(t, "DueDisclosure after a hold in the same transaction", id, other.ID)
		return nil
	})
	due(other.ID)
	update(t, st, func(tx vmt.Tx) error {
		must(t, tx.HoldDisclosure(&vmt.DisclosureHold{ReportID: other.ID, Branches: []string{}, HeldAt: at(13)}))
		return nil
	})
	due(0)
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.DisclosureHold(r.ID)
		must(t, err)
		same(t, "DisclosureHold", got, h)
		all, err := tx.DisclosureHolds()
		must(t, err)
		same(t, "DisclosureHolds", all, []*vmt.DisclosureHold{h, {ReportID: other.ID, Branches: []string{}, HeldAt: at(13)}})
		return nil
	})
	update(t, st, func(tx vmt.Tx) error {
		must(t, tx.ReleaseDisclosure(r.ID))
		wantCode(t, "a second release", tx.ReleaseDisclosure(r.ID), vmt.ENOTFOUND)
		return nil
	})
	due(r.ID)
}
