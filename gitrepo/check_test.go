package gitrepo

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// fixture is an upstream repository with a master branch and a stable
// branch, and a two-patch fix made on a topic branch from master.
type fixture struct {
	up     *testRepo
	series string // format-patch output of the fix
}

func newFixture(t testing.TB) *fixture {
	r := newTestRepo(t)
	r.write("src/a.go", lines("a", 1, 40))
	r.write("src/b.go", lines("b", 1, 40))
	r.commit("base")
	r.git("branch", "stable-1")
	r.git("checkout", "-q", "-b", "topic")
	r.write("src/a.go", strings.Replace(lines("a", 1, 40), "a line 20\n", "a line 20 checked\n", 1))
	r.commit("a: check the length")
	r.write("src/b.go", strings.Replace(lines("b", 1, 40), "b line 30\n", "b line 30 checked\n", 1))
	r.commit("b: check the length")
	series := r.formatPatch("master..topic")
	r.git("checkout", "-q", "master")
	return &fixture{up: r, series: series}
}

func TestCheckAppliesWithoutTouchingTheMirror(t *testing.T) {
	f := newFixture(t)
	repo := f.up.mirror()
	s, err := ParseSeries([]byte(f.series), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, repo.Dir())
	for _, branch := range []string{"master", "stable-1"} {
		if err := repo.Check(context.Background(), branch, s); err != nil {
			t.Errorf("Check(%s) = %v, want nil", branch, err)
		}
	}
	if after := snapshot(t, repo.Dir()); after != before {
		t.Errorf("the mirror changed:\nbefore %s\nafter  %s", before, after)
	}
}

func TestCheckRefusesWithGitsReason(t *testing.T) {
	f := newFixture(t)
	f.up.write("src/a.go", strings.Replace(lines("a", 1, 40), "a line 20\n", "a line 20 rewritten\n", 1))
	f.up.commit("a: conflicting change")
	repo := f.up.mirror()
	s, err := ParseSeries([]byte(f.series), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	err = repo.Check(context.Background(), "master", s)
	if vmt.ErrorCode(err) != vmt.EINVALID || !strings.Contains(err.Error(), "patch 1 of 2") ||
		!strings.Contains(err.Error(), "src/a.go: patch does not apply") {
		t.Fatalf("Check on a conflicting master = %v, want EINVALID naming patch 1 and git's reason", err)
	}
	if err := repo.Check(context.Background(), "stable-1", s); err != nil {
		t.Errorf("Check(stable-1) = %v, want nil", err)
	}
	if err := repo.Check(context.Background(), "gone", s); !errors.Is(err, ErrBranchGone) {
		t.Errorf("Check(gone) = %v, want ErrBranchGone", err)
	}
}

// snapshot lists every file under dir with its mode and a hash of its
// content, so a test can tell that nothing was added, removed or rewritten.
// Modification times are left out: git freshens the time of an object it
// finds it already has, which changes no content.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		sum := ""
		if info.Mode().IsRegular() {
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			sum = fmt.Sprintf("%x", sha256.Sum256(data))
		}
		rel, _ := filepath.Rel(dir, path)
		b.WriteString(rel + " " + info.Mode().String() + " " + sum + "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
