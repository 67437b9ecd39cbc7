package gitrepo

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkTrackRound is one merge-tracking round as the worker runs it
// (issue 17), next to `git cherry <branch> topic` for each branch in the
// same iteration: a history of 2,000 commits that all touch the 12 files
// the fixes change, a branch point, then on master 100 more commits with the
// 12 fixes landing among them, on stable (forked at the branch point) 50
// commits with 8 backports; the 12 fixes are series written against the
// branch point (their recorded base) and are decided on both branches. A
// round is timed cold (a new Tracker, as after a restart: every candidate
// diffed) with the fixes' bases, and without them (the whole history, as
// before). Both must find what the history holds, as git cherry does.
//
//	go test ./gitrepo -run '^$' -bench TrackRound -benchtime 10x
func BenchmarkTrackRound(b *testing.B) {
	ctx := context.Background()
	upstream := filepath.Join(b.TempDir(), "upstream.git")
	base, want := makeRoundRepo(b, upstream)
	repo, err := Mirror(ctx, upstream, filepath.Join(b.TempDir(), "mirror.git"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	out, err := repo.git.run(ctx, nil, "format-patch", "--stdout", base+"..topic")
	if err != nil {
		b.Fatal(err)
	}
	s, err := ParseSeries(out, DefaultLimits)
	if err != nil {
		b.Fatal(err)
	}
	var based, unbased []Fix
	for i, p := range s.Patches {
		f := NewFix(itoa(i), &Series{Patches: []Patch{p}})
		unbased = append(unbased, f)
		f.Base = base
		based = append(based, f)
	}
	branches := []string{"master", "stable"}
	var vmt, whole, cherry time.Duration
	for b.Loop() {
		t0 := time.Now()
		results, err := NewTracker(repo, Range{}).Evaluate(ctx, branches, based)
		t1 := time.Now()
		if err != nil {
			b.Fatal(err)
		}
		all, err := NewTracker(repo, Range{}).Evaluate(ctx, branches, unbased)
		t2 := time.Now()
		if err != nil {
			b.Fatal(err)
		}
		found := gitCherry(b, repo, branches)
		t3 := time.Now()
		vmt, whole, cherry = vmt+t1.Sub(t0), whole+t2.Sub(t1), cherry+t3.Sub(t2)
		checkBenchResults(b, results, found, want)
		checkBenchResults(b, all, found, want)
	}
	n := float64(b.N)
	b.ReportMetric(float64(vmt.Microseconds())/1000/n, "vmt-ms/round")
	b.ReportMetric(float64(cherry.Microseconds())/1000/n, "git-cherry-ms/round")
	b.ReportMetric(float64(whole.Microseconds())/1000/n, "vmt-whole-history-ms/round")
	b.ReportMetric(float64(vmt)/float64(cherry), "vmt/cherry")
}

// makeRoundRepo writes the history of BenchmarkTrackRound into dir (a bare
// repository) with git fast-import, and returns the branch point and how
// many fixes each branch has whole.
func makeRoundRepo(tb testing.TB, dir string) (string, map[string]int) {
	tb.Helper()
	const files, history, after, stableCommits, backports = 12, 2000, 100, 50, 8
	run := func(stdin io.Reader, args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Env, cmd.Stdin = gitEnv(dir, 0), stdin
		out, err := cmd.CombinedOutput()
		if err != nil {
			tb.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	run(nil, "init", "-q", "--bare", dir)
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		run(pr, "--git-dir="+dir, "fast-import", "--quiet")
	}()
	w := bufio.NewWriterSize(pw, 1<<20)
	rng := rand.New(rand.NewPCG(3, 4))
	name := func(f int) string { return fmt.Sprintf("src/runtime/file%02d.go", f) }
	// Each file: 20 lines the fixes change (line 20 of file i for fix i)
	// and never churned, then 60 lines that the history churns.
	content := make([][]string, files)
	for f := range content {
		for l := 1; l <= 80; l++ {
			content[f] = append(content[f], fmt.Sprintf("file %d line %d", f, l))
		}
	}
	mark, tick := 0, 0
	commit := func(ref string, from int, msg string, cur [][]string, changed ...int) int {
		mark++
		tick++
		fmt.Fprintf(w, "commit %s\nmark :%d\ncommitter Ada Tester <ada@example.org> %d +0000\ndata %d\n%s\n",
			ref, mark, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(tick)*time.Minute).Unix(), len(msg), msg)
		if from > 0 {
			fmt.Fprintf(w, "from :%d\n", from)
		}
		for _, f := range changed {
			c := strings.Join(cur[f], "\n") + "\n"
			fmt.Fprintf(w, "M 100644 inline %s\ndata %d\n%s\n", name(f), len(c), c)
		}
		return mark
	}
	churn := func(cur [][]string, tag string) int {
		f := rng.IntN(files)
		l := 40 + rng.IntN(40)
		cur[f] = append([]string(nil), cur[f]...)
		cur[f][l] = fmt.Sprintf("file %d line %d %s", f, l+1, tag)
		return f
	}
	fix := func(cur [][]string, i int) {
		cur[i] = append([]string(nil), cur[i]...)
		cur[i][19] = fmt.Sprintf("file %d line 20 checked", i)
	}
	all := make([]int, files)
	for f := range all {
		all[f] = f
	}
	commit("refs/heads/master", 0, "initial", content, all...)
	for c := 1; c < history; c++ {
		f := churn(content, fmt.Sprintf("m%d", c))
		commit("refs/heads/master", 0, fmt.Sprintf("change %d", c), content, f)
	}
	branchPoint := mark
	snapshot := func() [][]string {
		out := make([][]string, files)
		copy(out, content)
		return out
	}
	atBase := snapshot()
	// The topic: the 12 fixes, written against the branch point.
	topic := snapshot()
	prev := branchPoint
	for i := range files {
		fix(topic, i)
		prev = commit("refs/heads/topic", prev, fmt.Sprintf("runtime: check line 20 of file %d", i), topic, i)
	}
	// master: the fixes land among other changes.
	master := content
	prev = branchPoint
	for c := range after {
		if c%8 == 3 && c/8 < files {
			fix(master, c/8)
			prev = commit("refs/heads/master", prev, fmt.Sprintf("runtime: check line 20 of file %d", c/8), master, c/8)
			continue
		}
		f := churn(master, fmt.Sprintf("a%d", c))
		prev = commit("refs/heads/master", prev, fmt.Sprintf("change after %d", c), master, f)
	}
	// stable: its own changes and 8 backports.
	stable := atBase
	prev = branchPoint
	for c := range stableCommits {
		if c%6 == 2 && c/6 < backports {
			fix(stable, c/6)
			prev = commit("refs/heads/stable", prev, fmt.Sprintf("runtime: check line 20 of file %d (backport)", c/6), stable, c/6)
			continue
		}
		f := churn(stable, fmt.Sprintf("s%d", c))
		prev = commit("refs/heads/stable", prev, fmt.Sprintf("stable change %d", c), stable, f)
	}
	w.Flush()
	pw.Close()
	<-done
	base := run(nil, "--git-dir="+dir, "rev-parse", "topic~12")
	return base, map[string]int{"master": files, "stable": backports}
}
