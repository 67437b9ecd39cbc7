package gitrepo

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
)

// benchShape is the history the benchmark makes: a master branch of
// Commits commits, stable branches forked late in it with their own commits
// and backports, and a topic branch with the fixes, forked at TopicBase.
type benchShape struct {
	Commits, Files, Fixes int
	TopicBase             int   // master commit the topic (and the search range) starts from
	Forks                 []int // master commit each stable branch starts from
	StableCommits         int   // own commits of each stable branch
	MasterFixes           int   // fixes 0..MasterFixes-1 land on master
}

var benchDefault = benchShape{
	Commits: 20000, Files: 2000, Fixes: 50, TopicBase: 15000,
	Forks: []int{15500, 16500, 17500, 18500}, StableCommits: 400, MasterFixes: 40,
}

// benchRepo writes the history through git fast-import into a bare
// repository and returns how many fixes each branch has whole.
type benchRepo struct {
	shape  benchShape
	w      *bufio.Writer
	rng    *rand.Rand
	files  [][]string // master's files, line by line
	mark   int
	t0     time.Time
	merged map[string]int // branch → fixes it has whole
}

func (g *benchRepo) fixFiles(i int) []int {
	f := []int{i * 37 % g.shape.Files}
	if i%5 == 0 {
		f = append(f, (i*37+1)%g.shape.Files)
	}
	return f
}

func fileName(f int) string { return fmt.Sprintf("pkg/d%02d/file%04d.go", f%50, f) }

// applyFix changes line 20 of the fix's files, wherever that line now is.
func applyFix(files [][]string, f, i int) {
	want := fmt.Sprintf("f%04d line 20", f)
	for n, l := range files[f] {
		if l == want {
			files[f][n] = fmt.Sprintf("%s fixed by %d", want, i)
			return
		}
	}
	panic("fix line not found")
}

// churn changes one random file: a line near its end, or a new first line,
// which moves every fix's line numbers in that file.
func (g *benchRepo) churn(files [][]string, tag string) int {
	f := g.rng.IntN(g.shape.Files)
	lines := files[f]
	if g.rng.IntN(10) < 3 {
		files[f] = append([]string{"// header " + tag}, lines...)
	} else {
		n := len(lines) - 1 - g.rng.IntN(8)
		files[f] = slices.Clone(lines)
		files[f][n] = lines[n] + " " + tag
	}
	return f
}

func (g *benchRepo) commit(ref string, from int, when time.Time, msg string, files [][]string, changed ...int) int {
	g.mark++
	fmt.Fprintf(g.w, "commit %s\nmark :%d\ncommitter Ada Tester <ada@example.org> %d +0000\ndata %d\n%s\n",
		ref, g.mark, when.Unix(), len(msg), msg)
	if from > 0 {
		fmt.Fprintf(g.w, "from :%d\n", from)
	}
	for _, f := range changed {
		content := strings.Join(files[f], "\n") + "\n"
		fmt.Fprintf(g.w, "M 100644 inline %s\ndata %d\n%s\n", fileName(f), len(content), content)
	}
	return g.mark
}

func cloneFiles(files [][]string) [][]string {
	out := make([][]string, len(files))
	for i, f := range files {
		out[i] = slices.Clone(f)
	}
	return out
}

// makeBenchRepo makes the repository in dir (a bare repository).
func makeBenchRepo(tb testing.TB, dir string, shape benchShape) map[string]int {
	tb.Helper()
	run := func(stdin io.Reader, args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Env, cmd.Stdin = gitEnv(dir, 0), stdin
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run(nil, "init", "-q", "--bare", dir)
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		run(pr, "--git-dir="+dir, "fast-import", "--quiet")
	}()
	g := &benchRepo{shape: shape, w: bufio.NewWriterSize(pw, 1<<20), rng: rand.New(rand.NewPCG(1, 2)),
		t0: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), merged: map[string]int{}}
	g.write()
	g.w.Flush()
	pw.Close()
	<-done
	return g.merged
}
