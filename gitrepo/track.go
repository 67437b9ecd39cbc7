package gitrepo

import (
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
// branch and round it lists, for the fixes of each base at once, the
// commits of the branch that the base does not have and that touch a file
// of those fixes, then diffs those it has not seen before in one git call,
// with one git patch-id beside it. Identities are kept (commits never
// change) and so are listings while a tip does not move: a later round
// diffs only new commits, and reads nothing for a branch that did not
// move. It is safe for concurrent use; calls are serialised. Memory grows
// with the commits diffed.
type Tracker struct {
	repo *Repo
	rng  Range

	mu     sync.Mutex
	ids    map[string]Identity // commit → identity
	listed map[string][]string // listKey → the commits listed
}

// NewTracker returns a Tracker over repo that searches rng of each branch.
func NewTracker(repo *Repo, rng Range) *Tracker {
	if rng.Limit <= 0 {
		rng.Limit = DefaultRangeLimit
	}
	return &Tracker{repo: repo, rng: rng, ids: map[string]Identity{}, listed: map[string][]string{}}
}

// Evaluate decides every fix on every branch, one Result per pair, branch
// by branch in the order given. What fails for one branch (gone, unreadable)
// or one fix (a commit touching its files that git cannot diff) is that
// Result's Err; the others are still decided. The error returned is for a
// failure that concerns every branch: listing them, or git patch-id.
func (t *Tracker) Evaluate(ctx context.Context, branches []string, fixes []Fix) ([]Result, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fixes = slices.Clone(fixes)
	for i := range fixes {
		fixes[i].Patches = slices.Clone(fixes[i].Patches)
	}
	// git identifies the series' patches (into the copies) while the
	// branches are read.
	seriesDone := make(chan error, 1)
	go func() { seriesDone <- seriesPatchIDs(ctx, t.repo.git, fixes) }()
	tips, err := t.repo.Branches(ctx)
	if err != nil {
		<-seriesDone
		return nil, fmt.Errorf("track fixes in %s: %w", t.repo.dir, err)
	}
	// Listings of tips that moved are not read again.
	current := map[string]bool{}
	for _, tip := range tips {
		current[tip] = true
	}
	maps.DeleteFunc(t.listed, func(key string, _ []string) bool { return !current[key[:40]] })

	// One listing per branch and base: the branch's commits the base does
	// not have that touch a file of the fixes of that base. Those not kept
	// from an earlier round at the same tip are read at once.
	out := make([][]Result, len(branches))
	var lists []*listing
	for bi, b := range branches {
		tip := tips[b]
		err := ValidBranch(b)
		if err == nil && tip == "" {
			err = fmt.Errorf("branch %s of %s: %w", b, t.repo.dir, ErrBranchGone)
		}
		out[bi] = make([]Result, len(fixes))
		if err != nil {
			for i, f := range fixes {
				out[bi][i] = Result{Fix: f.Key, Branch: b, Tip: tip, Err: err}
			}
			continue
		}
		byBase := map[string]*listing{}
		for i, f := range fixes {
			base := f.Base
			if !validHash(base) {
				base = ""
			}
			l := byBase[base]
			if l == nil {
				l = &listing{branch: bi, tip: tip, base: base}
				byBase[base] = l
				lists = append(lists, l)
			}
			l.fixes = append(l.fixes, i)
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, l := range lists {
		l.key = listKey(l.tip, l.base, fixPaths(pick(fixes, l.fixes)))
		if order, ok := t.listed[l.key]; ok {
			l.order = order
			continue
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			l.order, l.err = t.repo.listRange(ctx, t.rng, l.tip, l.base, fixPaths(pick(fixes, l.fixes)))
		})
	}
	wg.Wait()
	// Every commit listed and not seen before, diffed in one git call.
	var missing []string
	seen := map[string]bool{}
	for _, l := range lists {
		if l.err == nil {
			t.listed[l.key] = l.order
		}
		for _, c := range l.order {
			if _, ok := t.ids[c]; !ok && !seen[c] {
				seen[c] = true
				missing = append(missing, c)
			}
		}
	}
	failed := t.identify(ctx, missing, lists, fixes)
	if err := <-seriesDone; err != nil {
		return nil, fmt.Errorf("track fixes in %s: %w", t.repo.dir, err)
	}
	for _, l := range lists {
		b := branches[l.branch]
		bi := newBranchIndex(b, l.tip, l.order, t.ids)
		for _, i := range l.fixes {
			f := fixes[i]
			switch {
			case l.err != nil:
				out[l.branch][i] = Result{Fix: f.Key, Branch: b, Tip: l.tip, Err: l.err}
			case failed[[2]int{l.branch, i}] != nil:
				out[l.branch][i] = Result{Fix: f.Key, Branch: b, Tip: l.tip, Err: failed[[2]int{l.branch, i}]}
			default:
				out[l.branch][i] = bi.decide(f, t.ids)
			}
		}
	}
	return slices.Concat(out...), nil
}

// listing is the commits of one branch searched for the fixes of one base.
type listing struct {
	branch    int // in the branches evaluated
	tip, base string
	fixes     []int // in the fixes evaluated
	key       string
	order     []string // newest first
	err       error
}

// pick returns the fixes at the indexes.
func pick(fixes []Fix, idx []int) []Fix {
	out := make([]Fix, len(idx))
	for j, i := range idx {
		out[j] = fixes[i]
	}
	return out
}

// identify diffs the missing commits in one git call (and one git
// patch-id). If that fails (an object the mirror lacks), it diffs each
// fix's commits on each branch on their own, so that only the fixes whose
// commits cannot be read fail, each with its error, keyed by branch and
// fix index.
func (t *Tracker) identify(ctx context.Context, missing []string, lists []*listing, fixes []Fix) map[[2]int]error {
	if len(missing) == 0 {
		return nil
	}
	ids, err := t.repo.identifyCommits(ctx, missing)
	if err == nil {
		maps.Copy(t.ids, ids)
		return nil
	}
	failed := map[[2]int]error{}
	for _, l := range lists {
		if l.err != nil {
			continue
		}
		for _, i := range l.fixes {
			own, err := t.repo.listRange(ctx, t.rng, l.tip, l.base, fixPaths(fixes[i:i+1]))
			if err == nil {
				own = slices.DeleteFunc(own, func(c string) bool { _, ok := t.ids[c]; return ok })
				if len(own) == 0 {
					continue
				}
				var ids map[string]Identity
				if ids, err = t.repo.identifyCommits(ctx, own); err == nil {
					maps.Copy(t.ids, ids)
					continue
				}
			}
			failed[[2]int{l.branch, i}] = fmt.Errorf("the commits that touch the fix's files could not be read: %w", err)
		}
	}
	return failed
}

// listKey names one listing of a branch: its tip, the base and the files.
func listKey(tip, base string, paths map[string]bool) string {
	ps := slices.Sorted(maps.Keys(paths))
	return tip + " " + base + "\x00" + strings.Join(ps, "\x00")
}

// fixPaths returns every file name the fixes change.
func fixPaths(fixes []Fix) map[string]bool {
	paths := map[string]bool{}
	for _, f := range fixes {
		// By index: git may be setting the patches' Stable meanwhile.
		for i := range f.Patches {
			for _, file := range f.Patches[i].Files {
				paths[file.Path] = true
			}
		}
	}
	return paths
}

// listRange lists the non-merge commits of rng reachable from tip and not
// from base ("" for none) that touch one of paths, newest first. Like git
// cherry, merges are not searched: their changes are in the commits they
// merge. Renames count as a deletion and an addition, so both names are
// there. A base the mirror no longer has (a forced push and a gc) bounds
// nothing.
func (r *Repo) listRange(ctx context.Context, rng Range, tip, base string, paths map[string]bool) ([]string, error) {
	if len(paths) == 0 {
		return nil, nil
	}
	if !validHash(tip) || base != "" && !validHash(base) {
		return nil, fmt.Errorf("list commits of %s: bad revision %q..%q", r.dir, base, tip)
	}
	args := []string{"--literal-pathspecs", "log", "--ignore-missing", "--no-merges", "--no-renames", "--format=%H",
		"--max-count=" + strconv.Itoa(rng.Limit)}
	if !rng.Since.IsZero() {
		args = append(args, "--since="+rng.Since.UTC().Format("2006-01-02 15:04:05 +0000"))
	}
	args = append(args, tip)
	if base != "" {
		args = append(args, "^"+base)
	}
	args = append(args, "--")
	args = append(args, slices.Sorted(maps.Keys(paths))...)
	out, err := r.git.run(ctx, nil, args...)
	if err != nil {
		return nil, fmt.Errorf("list commits of %s: %w", r.dir, err)
	}
	order := strings.Fields(string(out))
	for _, c := range order {
		if !validHash(c) {
			return nil, fmt.Errorf("list commits of %s: unexpected git log line %q", r.dir, clip(c))
		}
	}
	return order, nil
}

// streamIdentities runs git with args and stdin, a git log -p with
// --format="commit %H", and reads each commit's identity from its output,
// with git patch-id --stable for the Stable part.
func (r *Repo) streamIdentities(ctx context.Context, stdin io.Reader, args []string) (*commitSplitter, error) {
	lw := &commitSplitter{ids: map[string]Identity{}}
	pr, pw := io.Pipe()
	var stable map[string]ID
	var pidErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		stable, pidErr = patchIDs(ctx, r.git, pr)
		pr.CloseWithError(io.EOF) // git log may still be writing after an error
	}()
	err := r.git.stream(ctx, stdin, io.MultiWriter(lw, pw), args...)
	pw.Close()
	<-done
	if err != nil {
		return nil, err
	}
	if pidErr != nil {
		return nil, pidErr
	}
	lw.end()
	for c, id := range lw.ids {
		id.Stable = stable[c]
		lw.ids[c] = id
	}
	return lw, nil
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
	lw, err := r.streamIdentities(ctx, strings.NewReader(stdin.String()),
		[]string{"log", "--no-walk=unsorted", "--stdin", "-p", "--format=commit %H", "--no-color", "--no-ext-diff", "--no-textconv"})
	if err != nil {
		return nil, fmt.Errorf("diff commits: %w", err)
	}
	if len(lw.ids) != len(hashes) {
		return nil, fmt.Errorf("diff commits: git printed %d of %d commits", len(lw.ids), len(hashes))
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
// their identities name: of several commits with one identity, the newest
// is named.
func newBranchIndex(name, tip string, order []string, ids map[string]Identity) *branchIndex {
	bi := &branchIndex{name: name, tip: tip, paths: map[string][]string{},
		added: map[string]bool{}, stable: map[ID]string{}, lines: map[ID]string{}, hunks: map[ID]string{}}
	seen := map[string]bool{}
	for _, c := range order {
		if seen[c] {
			continue
		}
		seen[c] = true
		for _, f := range ids[c].Files {
			bi.paths[f.Path] = append(bi.paths[f.Path], c)
		}
	}
	return bi
}
