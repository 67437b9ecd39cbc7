package gitrepo

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestIdentifyMatchesGit compares the Stable identity identifyCommits gives
// with `git patch-id --stable` run on its own, on commits of every kind git
// can print: edits, new, deleted and empty files, renames, mode changes,
// binary files, no newline at the end, several files; and checks that each
// has its changed-lines identities.
func TestIdentifyMatchesGit(t *testing.T) {
	r := newTestRepo(t)
	r.write("a.txt", lines("a", 1, 30))
	r.write("b.txt", lines("b", 1, 10))
	r.write("bin.dat", "\x00\x01\x02binary")
	r.commit("base")
	steps := []func(){
		func() { r.write("a.txt", strings.Replace(lines("a", 1, 30), "a line 5\n", "a line five\n", 1)) },
		func() { r.write("new.txt", "fresh\n"); r.write("b.txt", lines("b", 1, 12)) },
		func() { r.git("rm", "-q", "new.txt") },
		func() { r.write("empty.txt", ""); r.write("c.txt", "c\n") },
		func() { r.git("mv", "b.txt", "renamed.txt") },
		func() { chmod(t, r.dir+"/a.txt", 0o755) },
		func() { r.write("bin.dat", "\x00\x03changed") },
		func() { r.write("c.txt", "no newline") },
		func() { r.write("a.txt", "  a   line 1\t\n"+lines("a", 2, 29)) },
	}
	var hashes []string
	for i, step := range steps {
		step()
		hashes = append(hashes, r.commit("step "+itoa(i)))
	}
	repo := r.mirror()
	ids, err := repo.identifyCommits(context.Background(), hashes)
	if err != nil {
		t.Fatal(err)
	}
	for i, hash := range hashes {
		show := r.git("show", "--format=commit %H", hash)
		want := strings.Fields(r.gitIn(show+"\n", "patch-id", "--stable"))
		got := ids[hash]
		if len(want) != 2 || got.Stable.String() != want[0] {
			t.Errorf("step %d: Stable = %s, git patch-id --stable says %v", i, got.Stable, want)
		}
		if local := Identify([]byte(show + "\n")); len(got.Files) == 0 || got.Lines.IsZero() ||
			!reflect.DeepEqual(local.Files, got.Files) {
			t.Errorf("step %d: file identities %+v, from the diff alone %+v", i, got, local)
		}
	}
}

// TestIdentifyIgnoresLinesAndSpace: moving a change and reindenting it keeps
// Stable (git's) and Lines; changing its context keeps Lines but not Stable.
func TestIdentifyIgnoresLinesAndSpace(t *testing.T) {
	base := "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -10,3 +10,3 @@\n ctx1\n-old\n+new\n ctx2\n"
	moved := "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -90,3 +91,3 @@ func x\n  ctx1\n-old \n+ new\n ctx2\n"
	recontext := "diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -10,3 +10,3 @@\n other\n-old\n+new\n ctx2\n"
	var fixes []Fix
	for _, d := range []string{base, moved, recontext} {
		fixes = append(fixes, Fix{Patches: []Identity{Identify([]byte(d))}, diffs: []string{d}})
	}
	if err := seriesPatchIDs(context.Background(), runner{}, fixes); err != nil {
		t.Fatal(err)
	}
	a, b, c := fixes[0].Patches[0], fixes[1].Patches[0], fixes[2].Patches[0]
	if a.Stable.IsZero() {
		t.Fatal("git gave no patch id")
	}
	if a.Stable != b.Stable || a.Lines != b.Lines {
		t.Errorf("moved and reindented: %v/%v, want %v/%v", b.Stable, b.Lines, a.Stable, a.Lines)
	}
	if a.Stable == c.Stable || a.Lines != c.Lines {
		t.Errorf("other context: Stable %v (want different from %v), Lines %v (want %v)", c.Stable, a.Stable, c.Lines, a.Lines)
	}
	if len(a.Files) != 1 || a.Files[0].Path != "f" || len(a.Files[0].Hunks) != 1 {
		t.Errorf("files = %+v", a.Files)
	}
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// TestCommitSplitterChunks: git's output reaches the splitter in chunks
// cut anywhere, a commit line included; every cut gives the identities of
// the whole stream. (A commit line cut in two once recursed without end.)
func TestCommitSplitterChunks(t *testing.T) {
	h1, h2 := strings.Repeat("1", 40), strings.Repeat("2", 40)
	stream := "commit " + h1 + "\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n ctx\n-old\n+new\n" +
		"commit " + h2 + "\ndiff --git a/g b/g\n--- a/g\n+++ b/g\n@@ -1 +1 @@\n-a\n+b\n"
	whole := &commitSplitter{ids: map[string]Identity{}}
	whole.Write([]byte(stream))
	whole.end()
	if len(whole.ids) != 2 || whole.ids[h1].Lines.IsZero() || whole.ids[h2].Lines.IsZero() {
		t.Fatalf("identities of the whole stream: %+v", whole.ids)
	}
	for cut := 1; cut < len(stream); cut++ {
		w := &commitSplitter{ids: map[string]Identity{}}
		w.Write([]byte(stream[:cut]))
		w.Write([]byte(stream[cut:]))
		w.end()
		if !reflect.DeepEqual(w.ids, whole.ids) || !reflect.DeepEqual(w.order, []string{h1, h2}) {
			t.Fatalf("cut at %d: %+v %v", cut, w.ids, w.order)
		}
	}
}
