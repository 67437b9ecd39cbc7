package vmt

import (
	"context"
	"slices"
)

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
	ws, err := tx.FixWaivers(r.ID)
	if err != nil {
		return err
	}
	f.PatchesMerged = allMerged(p.Branches, fixes, ws)
	if f.ImpactApprovals, err = tx.ImpactApprovals(r.ID); err != nil {
		return err
	}
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
// A branch waived without any fix (an end-of-life branch the fix does not
// go to) does not wait for one; a branch with a fix waits for it, waived
// or not; and at least one fix must have landed.
func allMerged(branches []string, fixes []*Fix, waivers []*FixWaiver) bool {
	latest := map[string]*Fix{}
	for _, f := range fixes { // by branch, then version: the last one wins
		latest[f.Branch] = f
	}
	merged := 0
	for _, b := range branches {
		f := latest[b]
		switch {
		case f == nil && slices.ContainsFunc(waivers, func(w *FixWaiver) bool { return w.Covers(b) }):
		case f == nil || f.Merge != MergeCompleted:
			return false
		default:
			merged++
		}
	}
	return merged > 0
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

// FixRow is one supported branch of a report's fix matrix: its latest fix,
// if any, with its review and what the merge tracker found.
type FixRow struct {
	Branch string `json:"branch"`
	Fix    *Fix   `json:"fix"` // nil: no fix for this branch yet
	// Merge sums up the fix's merge state for a reader: merged, partial,
	// not_merged, error (Fix.MergeError says what), not_tracked (a link
	// without its commit), unchecked (not looked at yet), or "" (no fix).
	Merge string `json:"merge"`
	// Waiver, if any, lets the branch reach the disclosure hour without an
	// approved fix.
	Waiver *FixWaiver `json:"waiver,omitempty"`
}

// mergeSummary is FixRow.Merge for f.
func mergeSummary(f *Fix) string {
	switch {
	case f == nil:
		return ""
	case !f.Tracked():
		return "not_tracked"
	case f.MergeError != "":
		return "error"
	case f.Merge == MergeUnknown:
		return "unchecked"
	}
	return string(f.Merge)
}

// FixMatrix returns, for every supported branch of the report's project in
// the project's order, its latest fix: the branch × patch view of the
// report page. Visible to whoever may see the report.
func (s *Service) FixMatrix(ctx context.Context, a Actor, reportID int64) ([]FixRow, error) {
	var rows []FixRow
	err := s.Store.View(ctx, func(tx Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, ActionView)
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
		rows = fixRows(p.Branches, fixes)
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

func fixRows(branches []string, fixes []*Fix) []FixRow {
	latest := map[string]*Fix{}
	for _, f := range fixes { // by branch, then version: the last one wins
		latest[f.Branch] = f
	}
	rows := make([]FixRow, 0, len(branches))
	for _, b := range branches {
		rows = append(rows, FixRow{Branch: b, Fix: latest[b], Merge: mergeSummary(latest[b])})
	}
	return rows
}

// UnapprovedBranches returns the supported branches whose latest fix is not
// approved (or that have none): what must be approved, or waived with a
// reason by a coordinator, before a disclosure date is set.
func UnapprovedBranches(rows []FixRow) []string {
	var out []string
	for _, row := range rows {
		if row.Fix == nil || row.Fix.Review != ReviewApproved {
			out = append(out, row.Branch)
		}
	}
	return out
}
