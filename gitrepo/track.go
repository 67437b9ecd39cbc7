package gitrepo

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
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
	// Base is the commit the fix was written against (a series' recorded
	// base, a pull request commit's parent); "" if unknown. No commit
	// that is an ancestor of it carries the fix, so a branch is searched
	// from its merge base with Base on, not through its whole history.
	Base string

	diffs []string // of each patch, for git to identify (see seriesPatchIDs)
}

// NewFix returns the Fix of a parsed series; git computes the Stable
// identity of its patches when it is evaluated.
func NewFix(key string, s *Series) Fix {
	f := Fix{Key: key}
	for _, p := range s.Patches {
		f.Patches = append(f.Patches, p.ID)
		f.diffs = append(f.diffs, p.Diff)
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
// empty, when it could not be decided: ErrBranchGone for a branch deleted
// upstream, or a git failure reading the branch or the commits that touch
// the fix's files (an object missing from the mirror).
type Result struct {
	Fix     string
	Branch  string
	Tip     string
	State   State
	Patches []PatchResult
	Err     error
}

// Range bounds the commits of a branch that are searched, besides each
// fix's Base.
type Range struct {
	Since time.Time // committer date; zero means no bound
	Limit int       // newest commits at most; zero means DefaultRangeLimit
}

// DefaultRangeLimit bounds a branch's search when Range.Limit is zero.
const DefaultRangeLimit = 100000

// Tracker decides whether fixes have landed on branches of one mirror. Per
// branch and round, for the fixes of each base, it lists in one git call
// the commits since the merge base of the branch and that base that touch
// a file of those fixes, and diffs those it has not seen before in one
// more (with git patch-id beside it). A commit's identity and a merge base
// are kept: commits never change, so a later round diffs only new commits.
// It is safe for concurrent use; calls are serialised. Memory grows with
// the commits diffed.
type Tracker struct {
	repo *Repo
	rng  Range

	mu  sync.Mutex
	ids map[string]Identity  // commit → identity
	mbs map[[2]string]string // tip, base → where to search from
}

// NewTracker returns a Tracker over repo that searches rng of each branch.
func NewTracker(repo *Repo, rng Range) *Tracker {
	if rng.Limit <= 0 {
		rng.Limit = DefaultRangeLimit
	}
	return &Tracker{repo: repo, rng: rng, ids: map[string]Identity{}, mbs: map[[2]string]string{}}
}

// Evaluate decides every fix on every branch, one Result per pair, branch
// by branch in the order given. What fails for one branch (gone, unreadable)
// or one fix (a commit touching its files that git cannot diff) is that
// Result's Err; the others are still decided. The error returned is for a
// failure that concerns every branch: listing them, or git patch-id.
func (t *Tracker) Evaluate(ctx context.Context, branches []string, fixes []Fix) ([]Result, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	tips, err := t.repo.Branches(ctx)
	if err != nil {
		return nil, fmt.Errorf("track fixes in %s: %w", t.repo.dir, err)
	}
	fixes = slices.Clone(fixes)
	for i := range fixes {
		fixes[i].Patches = slices.Clone(fixes[i].Patches)
	}
	if err := seriesPatchIDs(ctx, t.repo.git, fixes); err != nil {
		return nil, fmt.Errorf("track fixes in %s: %w", t.repo.dir, err)
	}
	var out []Result
	for _, b := range branches {
		out = append(out, t.evaluateBranch(ctx, b, tips[b], fixes)...)
	}
	return out, nil
}

// evaluateBranch decides the fixes on one branch at tip.
func (t *Tracker) evaluateBranch(ctx context.Context, branch, tip string, fixes []Fix) []Result {
	fail := func(err error) []Result {
		out := make([]Result, len(fixes))
		for i, f := range fixes {
			out[i] = Result{Fix: f.Key, Branch: branch, Tip: tip, Err: err}
		}
		return out
	}
	if err := ValidBranch(branch); err != nil {
		return fail(err)
	}
	if tip == "" {
		return fail(fmt.Errorf("branch %s of %s: %w", branch, t.repo.dir, ErrBranchGone))
	}
	// Fixes are grouped by where their search starts: those of one base
	// (or none) share one listing.
	groups := map[string][]int{}
	var starts []string
	for i, f := range fixes {
		from, ok := t.mbs[[2]string{tip, f.Base}]
		if !ok {
			from = t.repo.searchFrom(ctx, tip, f.Base)
			t.mbs[[2]string{tip, f.Base}] = from
		}
		if _, ok := groups[from]; !ok {
			starts = append(starts, from)
		}
		groups[from] = append(groups[from], i)
	}
	out := make([]Result, len(fixes))
	for _, from := range starts {
		group := make([]Fix, len(groups[from]))
		for j, i := range groups[from] {
			group[j] = fixes[i]
		}
		for j, res := range t.evaluateFrom(ctx, branch, tip, from, group) {
			out[groups[from][j]] = res
		}
	}
	return out
}

// evaluateFrom decides fixes on one branch at tip, searching the commits
// since from ("" for the whole range).
func (t *Tracker) evaluateFrom(ctx context.Context, branch, tip, from string, fixes []Fix) []Result {
	out := make([]Result, len(fixes))
	order, touching, err := t.repo.touching(ctx, t.rng, tip, from, fixPaths(fixes))
	if err != nil {
		for i, f := range fixes {
			out[i] = Result{Fix: f.Key, Branch: branch, Tip: tip, Err: err}
		}
		return out
	}
	failed := t.identify(ctx, touching, fixes)
	bi := newBranchIndex(branch, tip, order, touching)
	for i, f := range fixes {
		if err := failed[f.Key]; err != nil {
			out[i] = Result{Fix: f.Key, Branch: branch, Tip: tip, Err: err}
			continue
		}
		out[i] = bi.decide(f, t.ids)
	}
	return out
}

// identify diffs, in one git call, every commit of touching not seen
// before. If that fails (an object the mirror lacks), it diffs the commits
// of each fix on their own, so that only the fixes whose commits cannot be
// read fail, each with its error.
func (t *Tracker) identify(ctx context.Context, touching map[string][]string, fixes []Fix) map[string]error {
	var missing []string
	for c := range touching {
		if _, ok := t.ids[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	slices.Sort(missing)
	ids, err := t.repo.identifyCommits(ctx, missing)
	if err == nil {
		maps.Copy(t.ids, ids)
		return nil
	}
	failed := map[string]error{}
	for _, f := range fixes {
		var own []string
		paths := fixPaths([]Fix{f})
		for c, ps := range touching {
			if _, ok := t.ids[c]; !ok && slices.ContainsFunc(ps, func(p string) bool { return paths[p] }) {
				own = append(own, c)
			}
		}
		if len(own) == 0 {
			continue
		}
		slices.Sort(own)
		ids, err := t.repo.identifyCommits(ctx, own)
		if err != nil {
			failed[f.Key] = fmt.Errorf("the commits that touch the fix's files could not be read: %w", err)
			continue
		}
		maps.Copy(t.ids, ids)
	}
	return failed
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

// searchFrom returns the commit whose ancestors a fix written against
// base cannot be in: the merge base of tip and base, or "" (the whole
// history) for a fix without a base or one git finds no merge base for (a
// base gone from the mirror after a forced push).
func (r *Repo) searchFrom(ctx context.Context, tip, base string) string {
	if !validHash(base) || !validHash(tip) {
		return ""
	}
	out, err := r.git.run(ctx, nil, "merge-base", tip, base)
	if mb := strings.TrimSpace(string(out)); err == nil && validHash(mb) {
		return mb
	}
	return ""
}

// touching lists the non-merge commits of rng reachable from tip and not
// from from ("" for none) that touch one of paths, newest first, with the
// paths of those each touches. Like git cherry, merges are not searched: their changes are
// in the commits they merge. Renames count as a deletion and an addition,
// so both names are there.
func (r *Repo) touching(ctx context.Context, rng Range, tip, from string, paths map[string]bool) ([]string, map[string][]string, error) {
	var order []string
	out := map[string][]string{}
	if len(paths) == 0 {
		return order, out, nil
	}
	args := []string{"--literal-pathspecs", "log", "--no-merges", "--no-renames", "--format=%x00%H", "--name-only",
		"--max-count=" + strconv.Itoa(rng.Limit)}
	if !rng.Since.IsZero() {
		args = append(args, "--since="+rng.Since.UTC().Format("2006-01-02 15:04:05 +0000"))
	}
	if !validHash(tip) || from != "" && !validHash(from) {
		return nil, nil, fmt.Errorf("list commits of %s: bad revision %q..%q", r.dir, from, tip)
	}
	args = append(args, tip)
	if from != "" {
		args = append(args, "^"+from)
	}
	args = append(args, "--")
	for p := range paths {
		args = append(args, p)
	}
	raw, err := r.git.run(ctx, nil, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("list commits of %s: %w", r.dir, err)
	}
	var cur string
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "\x00"):
			if cur = line[1:]; !validHash(cur) {
				return nil, nil, fmt.Errorf("list commits of %s: unexpected git log line %q", r.dir, clip(line))
			}
			order = append(order, cur)
			out[cur] = nil
		case line == "":
		case cur == "":
			return nil, nil, fmt.Errorf("list commits of %s: unexpected git log output %q", r.dir, clip(line))
		default:
			name, err := unquotePath(line)
			if err != nil {
				return nil, nil, fmt.Errorf("list commits of %s: %w", r.dir, err)
			}
			out[cur] = append(out[cur], name)
		}
	}
	return order, out, sc.Err()
}

// identifyCommits diffs the given commits in one git call, streaming its
// output into Identify commit by commit and into one git patch-id for their
// Stable identity.
func (r *Repo) identifyCommits(ctx context.Context, hashes []string) (map[string]Identity, error) {
	var stdin strings.Builder
	for _, h := range hashes {
		if !validHash(h) {
			return nil, fmt.Errorf("diff commits: bad hash %q", h)
		}
		stdin.WriteString(h + "\n")
	}
	lw := &commitSplitter{ids: make(map[string]Identity, len(hashes))}
	pr, pw := io.Pipe()
	var stable map[string]ID
	var pidErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		stable, pidErr = patchIDs(ctx, r.git, pr)
		pr.CloseWithError(io.EOF) // git log may still be writing after an error
	}()
	err := r.git.stream(ctx, strings.NewReader(stdin.String()), io.MultiWriter(lw, pw),
		"log", "--no-walk=unsorted", "--stdin", "-p", "--format=commit %H", "--no-color", "--no-ext-diff", "--no-textconv")
	pw.Close()
	<-done
	if err != nil {
		return nil, fmt.Errorf("diff commits: %w", err)
	}
	if pidErr != nil {
		return nil, fmt.Errorf("diff commits: %w", pidErr)
	}
	lw.end()
	if len(lw.ids) != len(hashes) {
		return nil, fmt.Errorf("diff commits: git printed %d of %d commits", len(lw.ids), len(hashes))
	}
	for c, id := range lw.ids {
		id.Stable = stable[c]
		lw.ids[c] = id
	}
	return lw.ids, nil
}

// branchIndex is what is known of one branch at one tip in one round: the
// commits that touch a fix's file, and the identities of those, added as
// fixes are decided; each identity maps to one commit that has it.
type branchIndex struct {
	name  string
	tip   string
	paths map[string][]string // file → commits of the branch that touch it

	added         map[string]bool
	stable, lines map[ID]string
	hunks         map[ID]string
}

// newBranchIndex indexes the commits order (newest first) by the files
// touching says they touch: of several commits with one identity, the
// newest is named.
func newBranchIndex(name, tip string, order []string, touching map[string][]string) *branchIndex {
	bi := &branchIndex{name: name, tip: tip, paths: map[string][]string{},
		added: map[string]bool{}, stable: map[ID]string{}, lines: map[ID]string{}, hunks: map[ID]string{}}
	for _, c := range order {
		for _, p := range touching[c] {
			bi.paths[p] = append(bi.paths[p], c)
		}
	}
	return bi
}
