package gitrepo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/vmtproject/vmt"
)

// Merges is the vmt.MergeTracker over a Checker's mirrors. It keeps one
// Tracker per project between runs, so a run after the first costs the new
// commits of the branches and the fixes not seen before.
type Merges struct {
	Checker *Checker // its mirrors, fetched at each run
	Range   Range

	mu       sync.Mutex
	trackers map[string]*Tracker
}

var _ vmt.MergeTracker = (*Merges)(nil)

// TrackMerges fetches the project's mirror and decides each fix on its own
// branch. A pull request link, a series that no longer parses and a branch
// gone upstream are results with Err set.
func (m *Merges) TrackMerges(ctx context.Context, p *vmt.Project, fixes []*vmt.Fix) ([]vmt.MergeResult, error) {
	repo, err := m.Checker.mirror(ctx, p.Name)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	tr := m.tracker(p.Name, repo)
	var out []vmt.MergeResult
	byBranch := map[string][]Fix{}
	for _, f := range fixes {
		s, err := m.series(f)
		if err != nil {
			out = append(out, vmt.MergeResult{FixID: f.ID, Err: err.Error()})
			continue
		}
		byBranch[f.Branch] = append(byBranch[f.Branch], NewFix(strconv.FormatInt(f.ID, 10), s))
	}
	for branch, bf := range byBranch {
		results, err := tr.Evaluate(ctx, []string{branch}, bf)
		if err != nil {
			return nil, err
		}
		for _, r := range results {
			out = append(out, mergeResult(r))
		}
	}
	return out, nil
}

func (m *Merges) tracker(project string, repo *Repo) *Tracker {
	if m.trackers == nil {
		m.trackers = map[string]*Tracker{}
	}
	tr := m.trackers[project]
	if tr == nil || tr.repo.dir != repo.dir {
		tr = NewTracker(repo, m.Range)
		m.trackers[project] = tr
	}
	tr.repo = repo
	return tr
}

func (m *Merges) series(f *vmt.Fix) (*Series, error) {
	if f.Series == "" {
		return nil, fmt.Errorf("a pull request link is not tracked by patch identity")
	}
	lim := m.Checker.Limits
	if lim == (Limits{}) {
		lim = DefaultLimits
	}
	return ParseSeries([]byte(f.Series), lim)
}

// mergeResult turns a Result into the domain's: the commit is the one that
// carries the series' last patch, when known.
func mergeResult(r Result) vmt.MergeResult {
	id, _ := strconv.ParseInt(r.Fix, 10, 64)
	res := vmt.MergeResult{FixID: id, State: vmt.MergeState(r.State)}
	switch {
	case errors.Is(r.Err, ErrBranchGone):
		res.State, res.Err = vmt.MergeUnknown, fmt.Sprintf("branch %s is not in the repository (deleted upstream?)", r.Branch)
	case r.Err != nil:
		res.State, res.Err = vmt.MergeUnknown, "the branch could not be read"
	}
	if n := len(r.Patches); n > 0 && r.State == Merged {
		res.Commit = r.Patches[n-1].Commit
	}
	return res
}
