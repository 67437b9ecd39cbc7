package vmt

import (
	"context"
	"slices"
	"time"
)

// MergeTracker decides, by patch identity, how much of each fix its branch
// has in the project's repository. A fix it cannot look at (a pull request
// link, a branch gone upstream) gets a result with Err set, not an error:
// the error return is for the repository as a whole.
type MergeTracker interface {
	TrackMerges(ctx context.Context, p *Project, fixes []*Fix) ([]MergeResult, error)
}

// MergeResult is what the tracker found for one fix.
type MergeResult struct {
	FixID  int64
	State  MergeState
	Commit string
	Err    string
}

// PublicBeforeDisclosure lists the branches of rows whose fix the
// tracked repository already has, in part or whole, while the report is
// still private: a fix merged in public before the date tells anyone who
// reads the history what the embargo keeps, and may be a leak (VMT.md:
// patches are pushed at the disclosure hour, not before).
func PublicBeforeDisclosure(r *Report, rows []FixRow) []string {
	if r.Visibility != Private {
		return nil
	}
	var out []string
	for _, row := range rows {
		if f := row.Fix; f != nil && (f.Merge == MergeCompleted || f.Merge == MergePartial) {
			out = append(out, row.Branch)
		}
	}
	return out
}

// PossibleLeak is a fix seen merged in public before the disclosure: when
// merge tracking first saw it, on which branch, at which commit.
type PossibleLeak struct {
	At     time.Time `json:"at"`
	Branch string    `json:"branch"`
	Commit string    `json:"commit,omitempty"`
}

// FlagPossibleLeak records on r that fix f is merged (in part or whole)
// on the tracked repository at now, and says whether that is news: only
// while r is private, and only the first sighting is kept, so that the
// flag says when the embargo stopped holding.
func FlagPossibleLeak(r *Report, f *Fix, now time.Time) bool {
	if r.Visibility != Private || r.PossibleLeak != nil || (f.Merge != MergeCompleted && f.Merge != MergePartial) {
		return false
	}
	r.PossibleLeak = &PossibleLeak{At: now, Branch: f.Branch, Commit: f.MergeCommit}
	return true
}

// MergedFixCommits lists, per branch of p in its order (the development
// branch first; a branch no longer supported after them, by name), the commit the latest fix version of that branch was
// merged as, for the branches whose fix merge tracking found merged
// whole. fixes are a report's, by branch then version, as Tx.Fixes
// returns them. A branch whose latest version is not merged (or only in
// part, or whose recorded commit is not a full hash) has none: an older
// version merged is not the fix the report now names.
func MergedFixCommits(p *Project, fixes []*Fix) []FixCommit {
	latest := map[string]*Fix{}
	for _, f := range fixes {
		if l := latest[f.Branch]; l == nil || f.Version > l.Version {
			latest[f.Branch] = f
		}
	}
	order := slices.Clone(p.Branches)
	var rest []string
	for b := range latest {
		if !slices.Contains(order, b) {
			rest = append(rest, b)
		}
	}
	slices.Sort(rest)
	var out []FixCommit
	for _, b := range append(order, rest...) {
		if f := latest[b]; f != nil && f.Merge == MergeCompleted && commitRE.MatchString(f.MergeCommit) {
			out = append(out, FixCommit{Branch: b, Commit: f.MergeCommit})
		}
	}
	return out
}
