package storetest

import (
	"testing"

	"github.com/vmtproject/vmt"
)

// testStageTimers: the store keeps StatusSince (the creation, then the
// update that changes the status) and clears the stage marks on a status
// change but keeps them otherwise; the terms fields round-trip; and the
// three queries of the worker's rounds select by project, status, time and
// mark.
func testStageTimers(t *testing.T, st vmt.Store) {
	var a, b, c *vmt.Report
	update(t, st, func(tx vmt.Tx) error {
		p, q := mkProject(t, tx, "p"), mkProject(t, tx, "q")
		u := mkUser(t, tx, "u@example.org", vmt.RoleReporter)
		a = mkReport(t, tx, p.ID, u.ID, vmt.Private, at(0))
		b = mkReport(t, tx, p.ID, u.ID, vmt.Private, at(10))
		c = mkReport(t, tx, p.ID, u.ID, vmt.Public, at(0))
		mkReport(t, tx, q.ID, u.ID, vmt.Private, at(0)) // another project's: never selected
		if !a.StatusSince.Equal(at(0)) {
			t.Errorf("StatusSince after create: %v, want the creation %v", a.StatusSince, at(0))
		}
		return nil
	})
	update(t, st, func(tx vmt.Tx) error {
		// A change that keeps the status keeps StatusSince and stores the
		// marks and the terms fields.
		a.Title, a.UpdatedAt = "Renamed", at(5)
		a.StageRemindedAt, a.EmbargoRaisedAt, a.RequestedDisclosureAt = ptr(at(5)), ptr(at(6)), ptr(at(900))
		a.TermsOverride = &vmt.TermsOverride{Reason: "agreed", By: 7, At: at(5), Requested: at(900), Used: at(800)}
		must(t, tx.UpdateReport(a))
		got, err := tx.Report(a.ID)
		must(t, err)
		same(t, "report after an update that keeps the status", got, a)
		if !got.StatusSince.Equal(at(0)) || got.StageRemindedAt == nil || !got.StageRemindedAt.Equal(at(5)) {
			t.Errorf("same status: since %v reminded %v, want %v and %v", got.StatusSince, got.StageRemindedAt, at(0), at(5))
		}
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		due, err := tx.StageDue(a.ProjectID, vmt.StatusNew, at(20))
		must(t, err)
		same(t, "StageDue skips the reminded report", due, []int64{b.ID, c.ID})
		due, err = tx.StageDue(a.ProjectID, vmt.StatusNew, at(5))
		must(t, err)
		same(t, "StageDue by entry time", due, []int64{c.ID})
		esc, err := tx.EscalationDue(a.ProjectID, at(5))
		must(t, err)
		same(t, "EscalationDue", esc, []int64{a.ID})
		esc, err = tx.EscalationDue(a.ProjectID, at(4))
		must(t, err)
		same(t, "EscalationDue before the reminder", esc, []int64{})
		over, err := tx.OverdueEmbargoes(a.ProjectID, at(10))
		must(t, err)
		// a is raised, c public, other in another project.
		same(t, "OverdueEmbargoes", over, []int64{b.ID})
		over, err = tx.OverdueEmbargoes(a.ProjectID, at(9))
		must(t, err)
		same(t, "OverdueEmbargoes by creation", over, []int64{})
		return nil
	})
	update(t, st, func(tx vmt.Tx) error {
		// A status change moves StatusSince to the update and clears the
		// marks, whatever the caller passes.
		a.Status, a.UpdatedAt, a.StageEscalatedAt = vmt.StatusConfirmed, at(30), ptr(at(29))
		must(t, tx.UpdateReport(a))
		if !a.StatusSince.Equal(at(30)) || a.StageRemindedAt != nil || a.StageEscalatedAt != nil {
			t.Errorf("on the value after a status change: since %v reminded %v escalated %v", a.StatusSince, a.StageRemindedAt, a.StageEscalatedAt)
		}
		got, err := tx.Report(a.ID)
		must(t, err)
		same(t, "report after a status change", got, a)
		due, err := tx.StageDue(a.ProjectID, vmt.StatusConfirmed, at(30))
		must(t, err)
		same(t, "StageDue in the new status", due, []int64{a.ID})
		return nil
	})
}
