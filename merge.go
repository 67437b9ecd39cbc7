package vmt

import (
	"context"
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
