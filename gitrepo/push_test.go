package gitrepo

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// TestPushSeries pushes a reviewed series to a local bare repository, as at
// disclosure: the remote gets the patches as commits on the branch's tip,
// with their authors, subjects and patch identities; the mirror is
// unchanged.
func TestPushSeries(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	repo := f.up.mirror()
	remote := filepath.Join(t.TempDir(), "review.git")
	f.up.git("init", "-q", "--bare", remote)
	s, err := ParseSeries([]byte(f.series), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, repo.Dir())
	head, err := repo.PushSeries(ctx, "stable-1", s, remote, "security/stable-1", HTTPAuth{})
	if err != nil {
		t.Fatal(err)
	}
	if after := snapshot(t, repo.Dir()); after != before {
		t.Error("the mirror changed")
	}
	log := f.up.git("--git-dir="+remote, "log", "--format=%H|%an <%ae>|%cn|%s", "security/stable-1")
	lines := strings.Split(log, "\n")
	stableTip := f.up.git("rev-parse", "stable-1")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], head+"|Ada Tester <ada@example.org>|vmt|b: check the length") ||
		!strings.HasSuffix(lines[1], "|a: check the length") || !strings.HasPrefix(lines[2], stableTip) {
		t.Fatalf("remote log:\n%s", log)
	}
	pushed := f.up.gitIn(f.up.git("--git-dir="+remote, "log", "-p", "--format=commit %H", "security/stable-1~2..security/stable-1")+"\n", "patch-id", "--stable")
	fx := []Fix{NewFix("series", s)}
	if err := seriesPatchIDs(context.Background(), runner{}, fx); err != nil {
		t.Fatal(err)
	}
	for i, p := range s.Patches {
		if id := fx[0].Patches[i].Stable; id.IsZero() || !strings.Contains(pushed, id.String()) {
			t.Errorf("patch %q is not in the pushed commits (patch ids %s)", p.Subject, pushed)
		}
	}
	for _, tc := range []struct{ remote, target string }{
		{"ssh://example.org/x.git", "ok"}, {"-oProxyCommand=x", "ok"}, {remote, "--force"}, {remote, "a..b"},
	} {
		if _, err := repo.PushSeries(ctx, "stable-1", s, tc.remote, tc.target, HTTPAuth{}); err == nil {
			t.Errorf("PushSeries(%q, %q) succeeded", tc.remote, tc.target)
		}
	}
	if _, err := repo.PushSeries(ctx, "gone", s, remote, "x", HTTPAuth{}); !errors.Is(err, ErrBranchGone) {
		t.Errorf("PushSeries from a missing branch: %v", err)
	}
	f.up.write("src/a.go", "rewritten\n")
	f.up.commit("rewrite a")
	if err := repo.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.PushSeries(ctx, "master", s, remote, "x", HTTPAuth{}); vmt.ErrorCode(err) != vmt.EINVALID || !strings.Contains(err.Error(), "does not apply") {
		t.Errorf("PushSeries of a series that no longer applies: %v", err)
	}
}

// A push made again (a retried outbox item) on the same tip pushes the very
// same commits; once the branch moved upstream, it replaces the target
// with the series on the new tip rather than fail as a non-fast-forward.
func TestPushSeriesAgain(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	repo := f.up.mirror()
	remote := filepath.Join(t.TempDir(), "review.git")
	f.up.git("init", "-q", "--bare", remote)
	s, err := ParseSeries([]byte(f.series), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	first, err := repo.PushSeries(ctx, "stable-1", s, remote, "vmt/CVE-2026-1/stable-1", HTTPAuth{})
	if err != nil {
		t.Fatal(err)
	}
	again, err := repo.PushSeries(ctx, "stable-1", s, remote, "vmt/CVE-2026-1/stable-1", HTTPAuth{})
	if err != nil || again != first {
		t.Fatalf("pushed again: %s, %v; want %s", again, err, first)
	}
	f.up.git("checkout", "-q", "stable-1")
	f.up.write("src/c.go", "new file\n")
	newTip := f.up.commit("stable-1 moves on")
	if err := repo.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	moved, err := repo.PushSeries(ctx, "stable-1", s, remote, "vmt/CVE-2026-1/stable-1", HTTPAuth{})
	if err != nil || moved == first {
		t.Fatalf("push after the tip moved: %s, %v", moved, err)
	}
	if got := strings.TrimSpace(f.up.git("--git-dir="+remote, "rev-parse", "vmt/CVE-2026-1/stable-1~2")); got != strings.TrimSpace(newTip) {
		t.Errorf("the series sits on %s, want the new tip %s", got, newTip)
	}
}
