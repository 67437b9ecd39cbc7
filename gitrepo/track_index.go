package gitrepo

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
)

// commitPaths is one commit of a branch's range and the files it touches.
type commitPaths struct {
	hash  string
	paths []string
}

// branchIndex is what a Tracker knows of one branch at one tip.
type branchIndex struct {
	name    string
	tip     string
	commits []commitPaths       // newest first
	paths   map[string][]string // file → commits that touch it, newest first

	// Identities of the commits of the range that touch a fix's file,
	// filled as fixes are decided; each maps to one commit that has it.
	added         map[string]bool
	stable, lines map[ID]string
	hunks         map[ID]string
}

// index returns the branch's index at its current tip, extending the one it
// had when the old tip is an ancestor of the new one.
func (t *Tracker) index(ctx context.Context, branch string) (*branchIndex, error) {
	tip, err := t.repo.Tip(ctx, branch)
	if err != nil {
		delete(t.branches, branch)
		return nil, err
	}
	old := t.branches[branch]
	if old != nil && old.tip == tip {
		return old, nil
	}
	revs := []string{tip}
	if old != nil {
		if ok, err := t.repo.isAncestor(ctx, old.tip, tip); err != nil {
			return nil, err
		} else if ok {
			revs = append(revs, "^"+old.tip)
		}
	}
	commits, err := t.repo.logPaths(ctx, t.rng, revs...)
	if err != nil {
		return nil, err
	}
	if len(revs) == 2 {
		commits = append(commits, old.commits...)
	}
	bi := newBranchIndex(branch, tip, commits[:min(len(commits), t.rng.Limit)])
	t.branches[branch] = bi
	return bi, nil
}

func newBranchIndex(name, tip string, commits []commitPaths) *branchIndex {
	bi := &branchIndex{
		name: name, tip: tip, commits: commits,
		paths: map[string][]string{},
		added: map[string]bool{}, stable: map[ID]string{}, lines: map[ID]string{}, hunks: map[ID]string{},
	}
	for _, c := range commits {
		for _, p := range c.paths {
			bi.paths[p] = append(bi.paths[p], c.hash)
		}
	}
	return bi
}

// logPaths lists the non-merge commits of revs within rng, newest first,
// with the files each touches (renames as a deletion and an addition, so
// both names are there).
func (r *Repo) logPaths(ctx context.Context, rng Range, revs ...string) ([]commitPaths, error) {
	args := []string{"log", "--no-merges", "--no-renames", "--format=%x00%H", "--name-only", "--max-count=" + strconv.Itoa(rng.Limit)}
	if !rng.Since.IsZero() {
		args = append(args, "--since="+rng.Since.UTC().Format("2006-01-02 15:04:05 +0000"))
	}
	for _, rev := range revs {
		if !validHash(strings.TrimPrefix(rev, "^")) {
			return nil, fmt.Errorf("list commits of %s: bad revision %q", r.dir, rev)
		}
	}
	out, err := r.git.run(ctx, nil, append(append(args, revs...), "--")...)
	if err != nil {
		return nil, fmt.Errorf("list commits of %s: %w", r.dir, err)
	}
	return parseLogPaths(out)
}

func parseLogPaths(out []byte) ([]commitPaths, error) {
	var commits []commitPaths
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "\x00"):
			commits = append(commits, commitPaths{hash: line[1:]})
		case line == "":
		case len(commits) == 0:
			return nil, fmt.Errorf("unexpected git log output %q", clip(line))
		default:
			name, err := unquotePath(line)
			if err != nil {
				return nil, err
			}
			c := &commits[len(commits)-1]
			c.paths = append(c.paths, name)
		}
	}
	return commits, sc.Err()
}

// isAncestor reports whether commit a is an ancestor of commit b.
func (r *Repo) isAncestor(ctx context.Context, a, b string) (bool, error) {
	_, err := r.git.run(ctx, nil, "merge-base", "--is-ancestor", a, b)
	switch {
	case err == nil:
		return true, nil
	case exitCode(err) == 1:
		return false, nil
	}
	return false, fmt.Errorf("compare %.12s and %.12s in %s: %w", a, b, r.dir, err)
}

// identifyCommits diffs the given commits in one git call, streaming its
// output into Identify commit by commit.
func (r *Repo) identifyCommits(ctx context.Context, hashes []string) (map[string]Identity, error) {
	var stdin strings.Builder
	for _, h := range hashes {
		if !validHash(h) {
			return nil, fmt.Errorf("diff commits: bad hash %q", h)
		}
		stdin.WriteString(h + "\n")
	}
	lw := &commitSplitter{ids: make(map[string]Identity, len(hashes))}
	err := r.git.stream(ctx, strings.NewReader(stdin.String()), lw,
		"log", "--no-walk=unsorted", "--stdin", "-p", "--format=commit %H", "--no-color", "--no-ext-diff", "--no-textconv")
	if err != nil {
		return nil, fmt.Errorf("diff commits: %w", err)
	}
	lw.end()
	if len(lw.ids) != len(hashes) {
		return nil, fmt.Errorf("diff commits: git printed %d of %d commits", len(lw.ids), len(hashes))
	}
	return lw.ids, nil
}
