package gitrepo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
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
// branch. A pull request link without its commit gets no result (it is not
// tracked); a series that no longer parses, a commit the mirror lacks and a
// branch gone upstream are results with Err set.
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
		if !f.Tracked() {
			continue // a link without its commit: the page says "not tracked"
		}
		fx, err := m.fix(ctx, repo, f)
		if err != nil {
			out = append(out, vmt.MergeResult{FixID: f.ID, Err: err.Error()})
			continue
		}
		byBranch[f.Branch] = append(byBranch[f.Branch], fx)
	}
	branches := slices.Sorted(maps.Keys(byBranch))
	for _, branch := range branches {
		results, err := tr.Evaluate(ctx, []string{branch}, byBranch[branch])
		if err != nil {
			return nil, err
		}
		for _, r := range results {
			out = append(out, mergeResult(r, repo.dir))
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

// fix is what to look for: the patches of a series, or the change of a
// pull request's commit, found by patch identity like a series (so the
// pull request is found merged as another commit: squashed, rebased,
// cherry-picked to a stable branch). Its base is the commit the series was
// checked against (or, for a series stored before that was recorded, the
// base-commit git format-patch --base wrote), or the pull request commit's
// parent.
func (m *Merges) fix(ctx context.Context, repo *Repo, f *vmt.Fix) (Fix, error) {
	key := strconv.FormatInt(f.ID, 10)
	if f.IsSeries() {
		s, err := m.series(f)
		if err != nil {
			return Fix{}, err
		}
		fx := NewFix(key, s)
		fx.Base = f.BaseCommit
		if fx.Base == "" {
			fx.Base = seriesBase(f.Series)
		}
		return fx, nil
	}
	if !validHash(f.Commit) {
		return Fix{}, fmt.Errorf("%q is not a commit hash", f.Commit)
	}
	if _, err := repo.git.run(ctx, nil, "cat-file", "-e", f.Commit+"^{commit}"); err != nil {
		return Fix{}, fmt.Errorf("commit %.12s of the pull request is not in the repository (not fetched yet?)", f.Commit)
	}
	ids, err := repo.identifyCommits(ctx, []string{f.Commit})
	if err != nil {
		return Fix{}, fmt.Errorf("commit %.12s of the pull request could not be read: %w", f.Commit, err)
	}
	fx := Fix{Key: key, Patches: []Identity{ids[f.Commit]}}
	// A root commit has no parent, and its fix no base.
	if out, err := repo.git.run(ctx, nil, "rev-parse", "--verify", "--quiet", f.Commit+"^1^{commit}"); err == nil {
		fx.Base = strings.TrimSpace(string(out))
	}
	return fx, nil
}

// maxMergeError bounds the error kept on a fix, in bytes.
const maxMergeError = 500

// baseCommitRE is the line git format-patch --base adds to a series.
var baseCommitRE = regexp.MustCompile(`(?m)^base-commit: ([0-9a-f]{40})$`)

// seriesBase returns the base-commit a series names, or "".
func seriesBase(series string) string {
	if m := baseCommitRE.FindStringSubmatch(series); m != nil {
		return m[1]
	}
	return ""
}

func (m *Merges) series(f *vmt.Fix) (*Series, error) {
	lim := m.Checker.Limits
	if lim == (Limits{}) {
		lim = DefaultLimits
	}
	return ParseSeries([]byte(f.Series), lim)
}

// mergeResult turns a Result into the domain's: the commit is the one that
// carries the series' last patch, when known.
func mergeResult(r Result, dir string) vmt.MergeResult {
	id, _ := strconv.ParseInt(r.Fix, 10, 64)
	res := vmt.MergeResult{FixID: id, State: vmt.MergeState(r.State)}
	switch {
	case errors.Is(r.Err, ErrBranchGone):
		res.State, res.Err = vmt.MergeUnknown, fmt.Sprintf("branch %s is not in the repository (deleted upstream?)", r.Branch)
	case r.Err != nil:
		// What git could not read, shown on the fix's report: git's
		// words, without the server's paths.
		msg := strings.ReplaceAll(r.Err.Error(), dir, "the mirror")
		if len(msg) > maxMergeError {
			msg = strings.ToValidUTF8(msg[:maxMergeError], "") + "…"
		}
		res.State, res.Err = vmt.MergeUnknown, msg
	}
	if n := len(r.Patches); n > 0 && r.State == Merged {
		res.Commit = r.Patches[n-1].Commit
	}
	return res
}
