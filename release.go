package vmt

import (
	"slices"
)

// AllMerged reports whether the latest fix of every branch is merged on it.
// A branch waived without any fix (an end-of-life branch the fix does not
// go to) does not wait for one; a branch with a fix waits for it, waived
// or not; and at least one fix must have landed.
func AllMerged(branches []string, fixes []*Fix, waivers []*FixWaiver) bool {
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

// FixRows gives one row per supported branch with the latest fix on it
// (nil if none) and that fix's merge state.
func FixRows(branches []string, fixes []*Fix) []FixRow {
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
