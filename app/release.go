package app

import (
	"context"

	"github.com/vmtproject/vmt"
)

// fillFacts sets the facts of a transition that live outside the report:
// whether every supported branch has its fix merged (as the merge tracker
// last found), and whether the report's advisory or note is published.
func fillFacts(tx vmt.Tx, f *vmt.Facts) error {
	r := f.Report
	p, err := tx.Project(r.ProjectID)
	if err != nil {
		return err
	}
	fixes, err := tx.Fixes(r.ID)
	if err != nil {
		return err
	}
	ws, err := tx.FixWaivers(r.ID)
	if err != nil {
		return err
	}
	f.PatchesMerged = vmt.AllMerged(p.Branches, fixes, ws)
	if f.ImpactApprovals, err = tx.ImpactApprovals(r.ID); err != nil {
		return err
	}
	docs, err := tx.AdvisoriesOfReport(r.ID)
	if err != nil {
		return err
	}
	for _, d := range docs {
		f.AdvisoryPublished = f.AdvisoryPublished || d.State == vmt.AdvisoryPublished
	}
	return nil
}

// releaseIfDone moves a report from Fix committed to Fix released by
// itself once every supported branch has its fix and the advisory is
// published, with an audit event by no one (the system), and queues the
// status label of its issue on the forge, if it has one.
func (s *Service) releaseIfDone(ctx context.Context, reportID int64) error {
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, err := tx.Report(reportID)
		if err != nil || r.Status != vmt.StatusFixCommitted {
			return err
		}
		f := &vmt.Facts{Report: r, Reason: "every fix merged on every supported branch; the advisory is published"}
		if err := fillFacts(tx, f); err != nil {
			return err
		}
		if vmt.CheckTransition(f, vmt.StatusFixReleased) != nil {
			return nil // not yet
		}
		before := *r
		r.Status, r.UpdatedAt = vmt.StatusFixReleased, s.now()
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		if err := s.auditDiff(tx, vmt.Actor{}, vmt.AuditReportTransition, r.ProjectID, r.ID, subject("report", r.ID), &before, r); err != nil {
			return err
		}
		// Not a move (no step of Fix released to do), but a transition:
		// the label follows it, as it follows move's.
		if err := s.forgeStatusChanged(tx, r); err != nil {
			return err
		}
		return s.notifyChange(tx, vmt.Actor{}, &before, r)
	})
}

// closeByNote moves a report in Opinion to Fix released once its security
// note is published, the last step of a note case (status.go: "the
// security note is published"), by no one, in the publication's
// transaction: there is nothing left to decide, so nobody has to come
// back for it. The note must be stored published before: the guard reads
// it from the store. A report in any other status stays where it is.
func (s *Service) closeByNote(tx vmt.Tx, r *vmt.Report) error {
	if r.Status != vmt.StatusOpinion || r.Class.Outcome() != vmt.OutcomeNote {
		return nil
	}
	_, err := s.moveBySystem(tx, r, vmt.StatusFixReleased, "the security note is published")
	return err
}

// FixMatrix returns, for every supported branch of the report's project in
// the project's order, its latest fix: the branch × patch view of the
// report page. Visible to whoever may see the report.
func (s *Service) FixMatrix(ctx context.Context, a vmt.Actor, reportID int64) ([]vmt.FixRow, error) {
	var rows []vmt.FixRow
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, vmt.ActionView)
		if err != nil {
			return err
		}
		p, err := tx.Project(r.ProjectID)
		if err != nil {
			return err
		}
		fixes, err := tx.Fixes(r.ID)
		if err != nil {
			return err
		}
		rows = vmt.FixRows(p.Branches, fixes)
		ws, err := tx.FixWaivers(r.ID)
		for i := range rows {
			for _, w := range ws {
				if w.Covers(rows[i].Branch) && rows[i].Waiver == nil {
					rows[i].Waiver = w
				}
			}
		}
		return err
	})
	return rows, err
}
