package gitrepo

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkTrack decides 50 fixes on 5 branches of a 20,000-commit history
// three ways in each iteration: with a new Tracker (cold: every branch
// listed, every candidate commit diffed), with the same Tracker again (warm:
// tips unchanged), and with `git cherry <branch> topic` run for each branch,
// the topic holding the same fixes as commits. It reports each as ms per
// full evaluation (50 × 5), and checks that both find the same fixes.
func BenchmarkTrack(b *testing.B) {
	ctx := context.Background()
	start := time.Now()
	upstream := filepath.Join(b.TempDir(), "upstream.git")
	want := makeBenchRepo(b, upstream, benchDefault)
	repo, err := Mirror(ctx, upstream, filepath.Join(b.TempDir(), "mirror.git"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	fixes := benchFixes(b, repo)
	rng := Range{Since: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(benchDefault.TopicBase) * time.Minute)}
	branches := []string{"master", "stable-1", "stable-2", "stable-3", "stable-4"}
	b.Logf("setup: %d commits on master, %d fixes, in %v", benchDefault.Commits, len(fixes), time.Since(start).Round(time.Millisecond))

	var cold, warm, cherry time.Duration
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		tr := NewTracker(repo, rng)
		results, err := tr.Evaluate(ctx, branches, fixes)
		t1 := time.Now()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tr.Evaluate(ctx, branches, fixes); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		found := gitCherry(b, repo, branches)
		t3 := time.Now()
		cold, warm, cherry = cold+t1.Sub(t0), warm+t2.Sub(t1), cherry+t3.Sub(t2)
		checkBenchResults(b, results, found, want)
	}
	n := float64(b.N)
	b.ReportMetric(float64(cold.Milliseconds())/n, "vmt-cold-ms/eval")
	b.ReportMetric(float64(warm.Microseconds())/1000/n, "vmt-warm-ms/eval")
	b.ReportMetric(float64(cherry.Milliseconds())/n, "git-cherry-ms/eval")
}

// benchFixes parses the topic's 50 commits as 50 one-patch fixes.
func benchFixes(b *testing.B, repo *Repo) []Fix {
	out, err := repo.git.run(context.Background(), nil, "format-patch", "--stdout", "topic~50..topic")
	if err != nil {
		b.Fatal(err)
	}
	s, err := ParseSeries(out, DefaultLimits)
	if err != nil {
		b.Fatal(err)
	}
	var fixes []Fix
	for i, p := range s.Patches {
		fixes = append(fixes, NewFix(itoa(i), &Series{Patches: []Patch{p}}))
	}
	return fixes
}

// gitCherry runs git cherry for each branch and counts the topic's commits
// it says the branch has ("-" lines).
func gitCherry(b *testing.B, repo *Repo, branches []string) map[string]int {
	found := map[string]int{}
	for _, br := range branches {
		cmd := exec.Command("git", "--git-dir="+repo.Dir(), "cherry", br, "topic")
		cmd.Env = gitEnv(repo.Dir(), 0)
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("git cherry %s topic: %v", br, err)
		}
		found[br] = strings.Count("\n"+string(out), "\n- ")
	}
	return found
}

// checkBenchResults makes sure the work measured is the work wanted: both
// ways find as many whole fixes per branch as the history holds.
func checkBenchResults(b *testing.B, results []Result, cherry, want map[string]int) {
	merged := map[string]int{}
	for _, r := range results {
		if r.Err != nil {
			b.Fatalf("%s: %v", r.Branch, r.Err)
		}
		if r.State == Merged {
			merged[r.Branch]++
		}
	}
	for br, n := range want {
		if merged[br] != n || cherry[br] != n {
			b.Fatalf("%s: vmt finds %d fixes, git cherry %d, the history has %d", br, merged[br], cherry[br], n)
		}
	}
}
