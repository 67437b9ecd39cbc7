package gitrepo

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
)

// commitInfo is what a Tracker keeps of a commit in the searched range: its
// parents, to tell which branches have it, and the files it touches, to
// tell which fixes it may carry. Merges touch no file: like git cherry, the
// Tracker looks for patches in ordinary commits only.
type commitInfo struct {
	parents []string
	paths   []string
}

// branchIndex is what a Tracker knows of one branch at one tip.
type branchIndex struct {
	name    string
	tip     string
	commits int                 // non-merge commits of the range on the branch
	paths   map[string][]string // file → commits of the branch that touch it

	// Identities of the commits of the range that touch a fix's file,
	// filled as fixes are decided; each maps to one commit that has it.
	added         map[string]bool
	stable, lines map[ID]string
	hunks         map[ID]string
}

// refresh lists, in one git call, the commits of the range reachable from
// the tips not seen yet and not from the tips already indexed, so history
// shared by branches is read once and a moved tip costs its new commits.
func (t *Tracker) refresh(ctx context.Context, tips []string) error {
	var revs []string
	for _, tip := range tips {
		if _, ok := t.graph[tip]; !ok {
			revs = append(revs, tip)
		}
	}
	if len(revs) == 0 {
		return nil
	}
	for _, bi := range t.branches {
		revs = append(revs, "^"+bi.tip)
	}
	return t.repo.logGraph(ctx, t.rng, t.graph, revs)
}

// index returns the branch's index at tip ("" if the mirror lacks the
// branch), made from the commit graph unless the tip has not moved.
func (t *Tracker) index(branch, tip string) (*branchIndex, error) {
	if err := ValidBranch(branch); err != nil {
		return nil, err
	}
	if tip == "" {
		delete(t.branches, branch)
		return nil, fmt.Errorf("branch %s of %s: %w", branch, t.repo.dir, ErrBranchGone)
	}
	if old := t.branches[branch]; old != nil && old.tip == tip {
		return old, nil
	}
	bi := &branchIndex{
		name: branch, tip: tip, paths: map[string][]string{},
		added: map[string]bool{}, stable: map[ID]string{}, lines: map[ID]string{}, hunks: map[ID]string{},
	}
	t.walk(tip, func(c string, info *commitInfo) {
		if len(info.parents) <= 1 {
			bi.commits++
		}
		for _, p := range info.paths {
			bi.paths[p] = append(bi.paths[p], c)
		}
	})
	t.branches[branch] = bi
	return bi, nil
}

// walk visits the commits of the graph reachable from tip, each once; the
// walk stops where the range ends (a commit that was not listed).
func (t *Tracker) walk(tip string, visit func(string, *commitInfo)) {
	seen := map[string]bool{}
	stack := []string{tip}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		info, ok := t.graph[c]
		if !ok || seen[c] {
			continue
		}
		seen[c] = true
		visit(c, info)
		stack = append(stack, info.parents...)
	}
}

// logGraph adds to graph the commits of revs within rng, with their parents
// and the files they touch (renames as a deletion and an addition, so both
// names are there).
func (r *Repo) logGraph(ctx context.Context, rng Range, graph map[string]*commitInfo, revs []string) error {
	// --ignore-missing: an old tip may be gone from the mirror after a
	// forced push and a gc; it then just excludes nothing.
	args := []string{"log", "--ignore-missing", "--no-renames", "--format=%x00%H %P", "--name-only", "--max-count=" + strconv.Itoa(rng.Limit)}
	if !rng.Since.IsZero() {
		args = append(args, "--since="+rng.Since.UTC().Format("2006-01-02 15:04:05 +0000"))
	}
	for _, rev := range revs {
		if !validHash(strings.TrimPrefix(rev, "^")) {
			return fmt.Errorf("list commits of %s: bad revision %q", r.dir, rev)
		}
	}
	out, err := r.git.run(ctx, nil, append(append(args, revs...), "--")...)
	if err != nil {
		return fmt.Errorf("list commits of %s: %w", r.dir, err)
	}
	if err := parseLogGraph(out, graph); err != nil {
		return fmt.Errorf("list commits of %s: %w", r.dir, err)
	}
	return nil
}

func parseLogGraph(out []byte, graph map[string]*commitInfo) error {
	var cur *commitInfo
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "\x00"):
			fields := strings.Fields(line[1:])
			if len(fields) == 0 || !validHash(fields[0]) {
				return fmt.Errorf("unexpected git log line %q", clip(line))
			}
			cur = &commitInfo{parents: fields[1:]}
			graph[fields[0]] = cur
		case line == "":
		case cur == nil:
			return fmt.Errorf("unexpected git log output %q", clip(line))
		default:
			name, err := unquotePath(line)
			if err != nil {
				return err
			}
			cur.paths = append(cur.paths, name)
		}
	}
	return sc.Err()
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
