package vmt

import "context"

// fillFacts sets the facts of a transition that live outside the report:
// whether every supported branch has its fix merged (as the merge tracker
// last found), and whether the report's advisory or note is published.
func fillFacts(tx Tx, f *Facts) error {
	r := f.Report
	p, err := tx.Project(r.ProjectID)
	if err != nil {
		return err
	}
	fixes, err := tx.Fixes(r.ID)
	if err != nil {
		return err
	}
	f.PatchesMerged = allMerged(p.Branches, fixes)
	docs, err := tx.AdvisoriesOfReport(r.ID)
	if err != nil {
		return err
	}
	for _, d := range docs {
		f.AdvisoryPublished = f.AdvisoryPublished || d.State == AdvisoryPublished
	}
	return nil
}

// allMerged reports whether the latest fix of every branch is merged on it.
func allMerged(branches []string, fixes []*Fix) bool {
	latest := map[string]*Fix{}
	for _, f := range fixes { // by branch, then version: the last one wins
		latest[f.Branch] = f
	}
	for _, b := range branches {
		if f := latest[b]; f == nil || f.Merge != MergeCompleted {
			return false
		}
	}
	return len(branches) > 0
}

// releaseIfDone moves a report from Fix committed to Fix released by
// itself once every supported branch has its fix and the advisory is
// published, with an audit event by no one (the system).
func (s *Service) releaseIfDone(ctx context.Context, reportID int64) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		r, err := tx.Report(reportID)
		if err != nil || r.Status != StatusFixCommitted {
			return err
		}
		f := &Facts{Report: r, Reason: "every fix merged on every supported branch; the advisory is published"}
		if err := fillFacts(tx, f); err != nil {
			return err
		}
		if CheckTransition(f, StatusFixReleased) != nil {
			return nil // not yet
		}
		before := *r
		r.Status, r.UpdatedAt = StatusFixReleased, s.now()
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		return s.auditDiff(tx, Actor{}, "report.transition", r.ProjectID, r.ID, subject("report", r.ID), &before, r)
	})
}
