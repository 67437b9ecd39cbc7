package gitrepo

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

func TestParseSeries(t *testing.T) {
	f := newFixture(t)
	s, err := ParseSeries([]byte(f.series), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Patches) != 2 {
		t.Fatalf("%d patches, want 2", len(s.Patches))
	}
	p := s.Patches[1]
	if p.Subject != "b: check the length" || p.Author != "Ada Tester <ada@example.org>" || p.Date.Format("2006-01-02T15:04") != "2026-01-01T00:03" {
		t.Errorf("patch 2 = %q by %q at %v", p.Subject, p.Author, p.Date)
	}
	want := File{OldPath: "src/b.go", NewPath: "src/b.go", Hunks: 1, Added: 1, Removed: 1}
	if len(p.Files) != 1 || p.Files[0] != want {
		t.Errorf("files = %+v, want [%+v]", p.Files, want)
	}
	if !strings.HasPrefix(p.Diff, "diff --git a/src/b.go b/src/b.go\n") || strings.Contains(p.Diff, "\n-- \n") {
		t.Errorf("diff = %q, want the diff alone", p.Diff)
	}
	// The diff alone, as the tracker gives it to git patch-id, has the
	// patch id of the whole mail.
	fx := []Fix{NewFix("series", s)}
	if err := seriesPatchIDs(context.Background(), runner{}, fx); err != nil {
		t.Fatal(err)
	}
	gitID := strings.Fields(f.up.gitIn(f.up.formatPatch("master..topic"), "patch-id", "--stable"))
	if len(gitID) != 4 || fx[0].Patches[0].Stable.String() != gitID[0] || fx[0].Patches[1].Stable.String() != gitID[2] {
		t.Errorf("ids %s %s, git patch-id --stable says %v", fx[0].Patches[0].Stable, fx[0].Patches[1].Stable, gitID)
	}
}

// hostile returns variants of a real one-patch series, each of which must be
// refused with the given code and a message containing the given text.
func hostile(good string) []struct{ name, patch, code, msg string } {
	rep := func(old, new string) string { return strings.Replace(good, old, new, -1) }
	huge := "@@ -1,3 +1,20003 @@\n" + strings.Repeat("+x\n", 20000)
	return []struct{ name, patch, code, msg string }{
		{"binary junk", good[:200] + "\x00\x01\x02\xff" + good[200:], vmt.EINVALID, "NUL byte"},
		{"not UTF-8", rep("a line 20 checked", "a line 20 \xff\xfe"), vmt.EINVALID, "not UTF-8"},
		{"git binary patch", rep("--- a/src/a.go\n", "GIT binary patch\nliteral 0\n"), vmt.EINVALID, "binary"},
		{"traversal", rep("src/a.go", "../../outside.go"), vmt.EINVALID, "leaves the repository"},
		{"traversal in a quoted name", rep("a/src/a.go", `"a/\056\056/x.go"`), vmt.EINVALID, "leaves the repository"},
		{"absolute name", rep("a/src/a.go", "a//etc/passwd"), vmt.EINVALID, "is absolute"},
		{"git hooks", rep("src/a.go", ".git/hooks/post-checkout"), vmt.EINVALID, "git's own directory"},
		{"git dir other case", rep("src/a.go", "sub/.GiT./config"), vmt.EINVALID, "git's own directory"},
		{"git short name", rep("src/a.go", "GIT~1/config"), vmt.EINVALID, "git's own directory"},
		{"rename into .git", rep("index ", "rename from src/a.go\nrename to .git/hooks/pre-commit\nindex "), vmt.EINVALID, "git's own directory"},
		{"symlink", rep("index ", "new mode 120000\nold mode 100644\nindex "), vmt.EINVALID, "mode 120000"},
		{"submodule", rep("index ", "old mode 100644\nnew mode 160000\nindex "), vmt.EINVALID, "mode 160000"},
		{"control character", rep("src/a.go", "src/a\x1b.go"), vmt.EINVALID, "control character"},
		{"enormous hunk", good[:strings.Index(good, "@@ ")] + huge, vmt.ETOOLARGE, "over the limit"},
		{"hunk longer than its header", rep("+a line 20 checked\n", "+a line 20 checked\n+extra\n"), vmt.EINVALID, "more lines than its header says"},
		{"hunk shorter than its header", rep(" a line 23\n", ""), vmt.EINVALID, "unexpected"},
		{"names disagree", rep("+++ b/src/a.go", "+++ b/src/other.go"), vmt.EINVALID, "differ"},
		{"no diff", good[:strings.Index(good, "diff --git")], vmt.EINVALID, "has no diff"},
		{"plain text", "hello\n", vmt.EINVALID, "not git format-patch output"},
		{"text before", "junk\n" + good, vmt.EINVALID, "text before the first patch"},
		{"base64 body", rep("Subject:", "Content-Transfer-Encoding: base64\nSubject:"), vmt.EINVALID, "transfer encoding"},
		{"too many patches", strings.Repeat(good, 101), vmt.ETOOLARGE, "101 patches"},
	}
}

func TestParseSeriesRefusesHostilePatches(t *testing.T) {
	f := newFixture(t)
	good := f.up.formatPatch("master..topic~1")
	if _, err := ParseSeries([]byte(good), DefaultLimits); err != nil {
		t.Fatalf("the good patch is refused: %v", err)
	}
	for _, tc := range hostile(good) {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseSeries([]byte(tc.patch), DefaultLimits)
			if s != nil || vmt.ErrorCode(err) != tc.code || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("ParseSeries = %v, %v; want %s containing %q", s, err, tc.code, tc.msg)
			}
		})
	}
}

func TestParseSeriesLimits(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name string
		lim  Limits
		msg  string
	}{
		{"bytes", Limits{MaxBytes: 100, MaxPatches: 10, MaxFiles: 10, MaxHunkLines: 100}, "bytes, over the limit of 100"},
		{"files", Limits{MaxBytes: 1 << 20, MaxPatches: 10, MaxFiles: 1, MaxHunkLines: 100}, "more than 1 files"},
		{"hunk", Limits{MaxBytes: 1 << 20, MaxPatches: 10, MaxFiles: 10, MaxHunkLines: 5}, "a hunk of 14 lines"},
		{"patches", Limits{MaxBytes: 1 << 20, MaxPatches: 1, MaxFiles: 10, MaxHunkLines: 100}, "2 patches"},
	} {
		_, err := ParseSeries([]byte(f.series), tc.lim)
		if vmt.ErrorCode(err) != vmt.ETOOLARGE || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want ETOOLARGE containing %q", tc.name, err, tc.msg)
		}
	}
}

// TestCheckWritesNothingOutside gives Check diffs the parser would refuse,
// as if a bug let them through: git must refuse them too, and no file may
// appear outside the mirror, nor inside it.
func TestCheckWritesNothingOutside(t *testing.T) {
	f := newFixture(t)
	repo := f.up.mirror()
	root := filepath.Dir(filepath.Dir(repo.Dir()))
	tmpBefore, before := listDir(t, os.TempDir()), snapshot(t, root)
	newFile := func(name string) string {
		return "diff --git a/" + name + " b/" + name + "\nnew file mode 100644\n--- /dev/null\n+++ b/" + name + "\n@@ -0,0 +1 @@\n+owned\n"
	}
	symlink := "diff --git a/link b/link\nnew file mode 120000\n--- /dev/null\n+++ b/link\n@@ -0,0 +1 @@\n+../../..\n\\ No newline at end of file\n"
	for _, diffs := range [][]string{
		{newFile("../../outside.txt")},
		{newFile("/tmp/outside.txt")},
		{newFile(".git/hooks/pre-commit")},
		{newFile("hooks/pre-commit")},
		{symlink, newFile("link/outside.txt")},
	} {
		s := &Series{}
		for _, d := range diffs {
			s.Patches = append(s.Patches, Patch{Subject: "hostile", Diff: d})
		}
		err := repo.Check(context.Background(), "master", s)
		if strings.Contains(diffs[0], "hooks/pre-commit\n") && !strings.Contains(diffs[0], ".git") {
			if err != nil { // an ordinary file named hooks/… is fine in a tree
				t.Errorf("Check(hooks/pre-commit) = %v", err)
			}
			continue
		}
		if vmt.ErrorCode(err) != vmt.EINVALID {
			t.Errorf("Check(%q) = %v, want git's refusal", diffs[len(diffs)-1], err)
		}
	}
	if after := snapshot(t, root); after != before {
		t.Errorf("files changed under %s:\nbefore %s\nafter  %s", root, before, after)
	}
	if tmpAfter := listDir(t, os.TempDir()); tmpAfter != tmpBefore {
		t.Errorf("the temporary directory changed:\nbefore %s\nafter  %s", tmpBefore, tmpAfter)
	}
	if _, err := os.Lstat("/tmp/outside.txt"); err == nil {
		t.Error("/tmp/outside.txt was written")
	}
}

// listDir lists the names directly in dir that this test could have made.
func listDir(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "vmt-check-") || e.Name() == "outside.txt" {
			names = append(names, e.Name())
		}
	}
	return strings.Join(names, " ")
}
