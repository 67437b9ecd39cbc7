package gitrepo

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// trackFixture is the fixture's upstream with branches that received the
// two-patch fix (a.go, b.go) in different ways, and a one-patch fix that
// touches two files.
type trackFixture struct {
	*fixture
	twoFiles string // format-patch of a fix changing c.go and d.go
}

func newTrackFixture(t *testing.T) *trackFixture {
	f := &trackFixture{fixture: newFixture(t)}
	r := f.up
	r.git("checkout", "-q", "-b", "topic2", "master")
	r.write("src/c.go", lines("c", 1, 30))
	r.write("src/d.go", lines("d", 1, 30))
	r.commit("c, d: add")
	r.write("src/c.go", strings.Replace(lines("c", 1, 30), "c line 10\n", "c line 10 fixed\n", 1))
	r.write("src/d.go", strings.Replace(lines("d", 1, 30), "d line 10\n", "d line 10 fixed\n", 1))
	r.commit("c, d: fix")
	f.twoFiles = r.formatPatch("topic2~1..topic2")
	r.git("checkout", "-q", "master")
	topic := strings.Fields(r.git("rev-list", "--reverse", "master..topic"))

	// master: both patches cherry-picked (new hashes), the second after an
	// unrelated change that moves its lines.
	r.git("cherry-pick", topic[0])
	r.write("src/b.go", "header\nheader\n"+lines("b", 1, 40))
	r.commit("b: a header")
	r.git("cherry-pick", topic[1])
	// stable-1: lines inserted at the top first, then both backported.
	r.git("checkout", "-q", "stable-1")
	r.write("src/a.go", "// stable\n"+lines("a", 1, 40))
	r.commit("a: stable header")
	r.git("cherry-pick", topic[0], topic[1])
	// stable-2: the code around the fix changed, the fix rewritten by hand.
	r.git("checkout", "-q", "-b", "stable-2", "master~3")
	a := strings.Replace(lines("a", 1, 40), "a line 19\n", "a line nineteen\n", 1)
	r.write("src/a.go", a)
	r.commit("a: stable-only change next to the fix")
	r.write("src/a.go", strings.Replace(a, "a line 20\n", "a line 20 checked\n", 1))
	r.commit("a: backport by hand")
	r.write("src/b.go", strings.Replace(lines("b", 1, 40), "b line 30\n", "  b   line 30 checked\n", 1))
	r.commit("b: backport by hand, reindented")
	// stable-3: only the first patch of the series, and c.go of the other fix.
	r.git("checkout", "-q", "-b", "stable-3", "master~3")
	r.git("cherry-pick", topic[0])
	r.git("cherry-pick", "topic2~1")
	r.write("src/c.go", strings.Replace(lines("c", 1, 30), "c line 10\n", "c line 10 fixed\n", 1))
	r.commit("c: half of the fix")
	// stable-4: nothing.
	r.git("branch", "stable-4", "master~3")
	// stable-5: the series squashed into one commit.
	r.git("checkout", "-q", "-b", "stable-5", "master~3")
	r.git("cherry-pick", "-n", topic[0], topic[1])
	r.commit("squashed backport")
	r.git("checkout", "-q", "master")
	return f
}

func (f *trackFixture) fixes(t *testing.T) []Fix {
	t.Helper()
	var fixes []Fix
	for key, text := range map[string]string{"series": f.series, "two-files": f.twoFiles} {
		s, err := ParseSeries([]byte(text), DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		fixes = append(fixes, NewFix(key, s))
	}
	if fixes[0].Key != "series" {
		fixes[0], fixes[1] = fixes[1], fixes[0]
	}
	return fixes
}

var trackBranches = []string{"master", "stable-1", "stable-2", "stable-3", "stable-4", "stable-5"}

func TestTrackerDecides(t *testing.T) {
	f := newTrackFixture(t)
	tr := NewTracker(f.up.mirror(), Range{})
	results, err := tr.Evaluate(context.Background(), trackBranches, f.fixes(t))
	if err != nil {
		t.Fatal(err)
	}
	topic := f.up.git("rev-list", "master..topic")
	want := map[string]string{ // branch/fix → state and how each patch was found
		"master/series":      "merged patch-id patch-id",
		"master/two-files":   "not_merged not_merged",
		"stable-1/series":    "merged patch-id patch-id",
		"stable-1/two-files": "not_merged not_merged",
		"stable-2/series":    "merged changed-lines patch-id",
		"stable-2/two-files": "not_merged not_merged",
		"stable-3/series":    "partial patch-id not_merged",
		"stable-3/two-files": "partial partial:1/2",
		"stable-4/series":    "not_merged not_merged not_merged",
		"stable-4/two-files": "not_merged not_merged",
		"stable-5/series":    "merged hunks hunks",
		"stable-5/two-files": "not_merged not_merged",
	}
	if len(results) != len(want) {
		t.Fatalf("%d results, want %d", len(results), len(want))
	}
	for _, res := range results {
		key := res.Branch + "/" + res.Fix
		if got := describe(res); got != want[key] {
			t.Errorf("%s: %s, want %s", key, got, want[key])
		}
		for _, p := range res.Patches {
			if p.Commit != "" && strings.Contains(topic, p.Commit) {
				t.Errorf("%s: found the topic's own commit %s, not the branch's", key, p.Commit)
			}
			if p.State == Merged && p.Commit != "" && !strings.Contains(f.up.git("branch", "--contains", p.Commit), res.Branch) {
				t.Errorf("%s: commit %s is not on the branch", key, p.Commit)
			}
		}
	}
}

// describe condenses a Result: its state, then each patch's state or the
// way it was found.
func describe(res Result) string {
	parts := []string{string(res.State)}
	for _, p := range res.Patches {
		switch {
		case p.State == Merged:
			parts = append(parts, strings.ReplaceAll(p.By, " ", "-"))
		case p.State == Partial:
			parts = append(parts, "partial:"+itoa(p.HunksFound)+"/"+itoa(p.Hunks))
		default:
			parts = append(parts, string(p.State))
		}
	}
	return strings.Join(parts, " ")
}

// TestTrackerFollowsTheMirror: a fix landing later is found after a fetch,
// diffing only the new commit; a branch deleted upstream becomes an error
// for that branch only.
func TestTrackerFollowsTheMirror(t *testing.T) {
	ctx := context.Background()
	f := newTrackFixture(t)
	repo := f.up.mirror()
	tr := NewTracker(repo, Range{})
	fixes := f.fixes(t)
	if _, err := tr.Evaluate(ctx, trackBranches, fixes); err != nil {
		t.Fatal(err)
	}
	before := len(tr.ids)
	f.up.git("checkout", "-q", "stable-3")
	f.up.git("cherry-pick", f.up.git("rev-parse", "topic"))
	f.up.git("checkout", "-q", "master")
	f.up.git("branch", "-D", "stable-1")
	if err := repo.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	results, err := tr.Evaluate(ctx, trackBranches, fixes[:1])
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range results {
		switch res.Branch {
		case "stable-1":
			if !errors.Is(res.Err, ErrBranchGone) || res.State != "" {
				t.Errorf("stable-1 after its deletion: %v %q, want ErrBranchGone", res.Err, res.State)
			}
		case "stable-3":
			if res.State != Merged || res.Err != nil {
				t.Errorf("stable-3 after the second backport: %s, %v", describe(res), res.Err)
			}
		}
	}
	if after := len(tr.ids); after != before+1 {
		t.Errorf("%d commits diffed after the second round, want %d (the new one)", after, before+1)
	}
}

// TestTrackerSearchesFromTheBase: with its Base set, a fix is looked for
// in the commits since the merge base of the branch and the base only. The
// same change made and reverted before the base is not taken for the fix
// (without a base it is, as the whole history is searched); the fix landing
// after the base is found, on a branch forked before the base too; and only
// commits since the base are diffed.
func TestTrackerSearchesFromTheBase(t *testing.T) {
	ctx := context.Background()
	r := newTestRepo(t)
	r.write("src/a.go", lines("a", 1, 40))
	r.write("src/b.go", lines("b", 1, 40))
	r.commit("base")
	fixed := strings.Replace(lines("a", 1, 40), "a line 20\n", "a line 20 checked\n", 1)
	// Long ago: the change is made, then reverted.
	r.write("src/a.go", fixed)
	early := r.commit("a: check the length (reverted below)")
	r.write("src/a.go", lines("a", 1, 40))
	r.commit("Revert: a: check the length")
	r.git("branch", "stable-1") // forked before the fix's base
	for i := range 5 {
		r.write("src/b.go", lines("b", 1, 41+i))
		r.commit("b: grow")
	}
	base := r.git("rev-parse", "HEAD")
	// The fix, written against base, as a series.
	r.git("checkout", "-q", "-b", "topic")
	r.write("src/a.go", fixed)
	r.commit("a: check the length")
	series := r.formatPatch("master..topic")
	r.git("checkout", "-q", "master")
	s, err := ParseSeries([]byte(series), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	fix := NewFix("fix", s)
	based := fix
	based.Key, based.Base = "based", base

	repo := r.mirror()
	tr := NewTracker(repo, Range{})
	results, err := tr.Evaluate(ctx, []string{"master"}, []Fix{fix, based})
	if err != nil {
		t.Fatal(err)
	}
	if got := describe(results[0]) + " " + results[0].Patches[0].Commit; got != "merged patch-id "+early {
		t.Errorf("without a base, the whole history: %s, want merged by the reverted %s", got, early)
	}
	if got := describe(results[1]); got != "not_merged not_merged" {
		t.Errorf("with a base, before the fix landed: %s, want not_merged", got)
	}

	// The fix lands on master, and is backported to stable-1.
	r.write("src/a.go", strings.Replace(lines("a", 1, 40), "a line 20\n", "a line 20 checked\n", 1))
	landed := r.commit("a: check the length")
	r.git("checkout", "-q", "stable-1")
	r.git("cherry-pick", landed)
	backport := r.git("rev-parse", "HEAD")
	r.git("checkout", "-q", "master")
	if err := repo.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	tr = NewTracker(repo, Range{})
	results, err = tr.Evaluate(ctx, []string{"master", "stable-1"}, []Fix{based})
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range results {
		want := map[string]string{"master": landed, "stable-1": backport}[res.Branch]
		if res.State != Merged || res.Patches[0].Commit != want {
			t.Errorf("%s after the fix landed: %s %s, want merged as %s", res.Branch, describe(res), res.Patches[0].Commit, want)
		}
	}
	// master since base: the fix; stable-1 since its merge base with
	// base: the backport. Nothing older is diffed.
	if len(tr.ids) != 2 {
		t.Errorf("%d commits diffed, want 2 (those since the base that touch src/a.go)", len(tr.ids))
	}
}
