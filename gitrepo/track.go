package gitrepo

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// State says how much of a fix a branch has.
type State string

const (
	NotMerged State = "not_merged" // no part of the fix is on the branch
	Partial   State = "partial"    // some patches, files or hunks are, not all
	Merged    State = "merged"     // every patch of the fix is on the branch
)

// Fix is a series to look for on branches, under the caller's key.
type Fix struct {
	Key     string
	Patches []Identity
}

// NewFix returns the Fix of a parsed series.
func NewFix(key string, s *Series) Fix {
	f := Fix{Key: key}
	for _, p := range s.Patches {
		f.Patches = append(f.Patches, p.ID)
	}
	return f
}

// PatchResult says whether one patch of a fix is on a branch, and how it
// was recognised: "patch-id" (git patch-id --stable), "changed lines" (the
// same changes with other context) or "hunks" (every hunk found, perhaps
// spread over several commits).
type PatchResult struct {
	State      State
	Commit     string // the commit carrying the whole patch, when known
	By         string
	HunksFound int
	Hunks      int
}

// Result is the decision for one fix on one branch. Err is set, and State
// empty, when the branch could not be read: ErrBranchGone for a branch
// deleted upstream, or a git failure.
type Result struct {
	Fix     string
	Branch  string
	Tip     string
	State   State
	Patches []PatchResult
	Err     error
}

// Range bounds the commits of a branch that are searched: a fix cannot land
// before it was written, so Since is best set a little before the report.
type Range struct {
	Since time.Time // committer date; zero means no bound
	Limit int       // newest commits at most; zero means DefaultRangeLimit
}

// DefaultRangeLimit bounds a branch's search when Range.Limit is zero.
const DefaultRangeLimit = 100000

// Tracker decides whether fixes have landed on branches of one mirror. It
// keeps the commit graph of the range with the files each commit touches,
// read once for history the branches share and extended as tips move; per
// branch, which commits touch which file; and per commit its identity,
// computed once and shared by every branch that has the commit. Only commits
// that touch a file of some fix are ever diffed. It is safe for concurrent
// use; calls are serialised. Memory grows with the commits of the range.
type Tracker struct {
	repo *Repo
	rng  Range

	mu       sync.Mutex
	graph    map[string]*commitInfo // commits of the range seen so far
	ids      map[string]Identity    // commit → identity; commits never change
	branches map[string]*branchIndex
}

// NewTracker returns a Tracker over repo that searches rng of each branch.
func NewTracker(repo *Repo, rng Range) *Tracker {
	if rng.Limit <= 0 {
		rng.Limit = DefaultRangeLimit
	}
	return &Tracker{repo: repo, rng: rng, graph: map[string]*commitInfo{}, ids: map[string]Identity{}, branches: map[string]*branchIndex{}}
}

// Evaluate decides every fix on every branch, one Result per pair, branch
// by branch in the order given. A branch that cannot be read yields Results
// carrying its error; the other branches are still decided. The error
// returned is for a failure that concerns every branch (listing branches,
// diffing commits).
func (t *Tracker) Evaluate(ctx context.Context, branches []string, fixes []Fix) ([]Result, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	tips, err := t.repo.Branches(ctx)
	if err != nil {
		return nil, fmt.Errorf("track fixes in %s: %w", t.repo.dir, err)
	}
	var want []string
	for _, b := range branches {
		if tips[b] != "" && ValidBranch(b) == nil {
			want = append(want, tips[b])
		}
	}
	if err := t.refresh(ctx, want); err != nil {
		return nil, fmt.Errorf("track fixes: %w", err)
	}
	idx := make([]*branchIndex, len(branches))
	errs := make([]error, len(branches))
	for i, b := range branches {
		idx[i], errs[i] = t.index(b, tips[b])
	}
	if err := t.identifyCandidates(ctx, idx, fixes); err != nil {
		return nil, err
	}
	var out []Result
	for i, b := range branches {
		for _, f := range fixes {
			if errs[i] != nil {
				out = append(out, Result{Fix: f.Key, Branch: b, Err: errs[i]})
				continue
			}
			out = append(out, idx[i].decide(f, t.ids))
		}
	}
	return out, nil
}

// identifyCandidates diffs, in one git call, every commit not seen before
// that touches a file of some fix on some branch.
func (t *Tracker) identifyCandidates(ctx context.Context, idx []*branchIndex, fixes []Fix) error {
	paths := fixPaths(fixes)
	var missing []string
	queued := map[string]bool{}
	for _, bi := range idx {
		if bi == nil {
			continue
		}
		for p := range paths {
			for _, c := range bi.paths[p] {
				if _, ok := t.ids[c]; !ok && !queued[c] {
					queued[c] = true
					missing = append(missing, c)
				}
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	found, err := t.repo.identifyCommits(ctx, missing)
	if err != nil {
		return fmt.Errorf("track fixes in %s: %w", t.repo.dir, err)
	}
	for c, id := range found {
		t.ids[c] = id
	}
	return nil
}

// fixPaths returns every file name the fixes change.
func fixPaths(fixes []Fix) map[string]bool {
	paths := map[string]bool{}
	for _, f := range fixes {
		for _, p := range f.Patches {
			for _, file := range p.Files {
				paths[file.Path] = true
			}
		}
	}
	return paths
}
