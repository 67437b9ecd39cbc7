package gitrepo

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// write emits the whole history: master with its fixes landing after the
// topic's base, the topic, then each stable branch with backports.
func (g *benchRepo) write() {
	s := g.shape
	g.files = make([][]string, s.Files)
	all := make([]int, s.Files)
	for f := range g.files {
		all[f] = f
		for l := 1; l <= 40; l++ {
			g.files[f] = append(g.files[f], fmt.Sprintf("f%04d line %d", f, l))
		}
	}
	at := func(c int) time.Time { return g.t0.Add(time.Duration(c) * time.Minute) }
	g.commit("refs/heads/master", 0, at(0), "initial", g.files, all...)
	landsAt := map[int]int{} // master commit → fix landing there
	for i := range s.MasterFixes {
		landsAt[s.TopicBase+50+i*(s.Commits-s.TopicBase-100)/s.MasterFixes] = i
	}
	marks := map[int]int{}
	snapshots := map[int][][]string{}
	onMaster := map[int]bool{}
	for c := 1; c < s.Commits; c++ {
		if i, ok := landsAt[c]; ok {
			for _, f := range g.fixFiles(i) {
				applyFix(g.files, f, i)
			}
			marks[c] = g.commit("refs/heads/master", 0, at(c), fmt.Sprintf("fix %d", i), g.files, g.fixFiles(i)...)
			onMaster[i] = true
		} else {
			f := g.churn(g.files, "m"+strconv.Itoa(c))
			marks[c] = g.commit("refs/heads/master", 0, at(c), "change "+strconv.Itoa(c), g.files, f)
		}
		if c == s.TopicBase || slices.Contains(s.Forks, c) {
			snapshots[c] = cloneFiles(g.files)
		}
	}
	g.merged["master"] = len(onMaster)
	g.topic(snapshots[s.TopicBase], marks[s.TopicBase], at(s.TopicBase))
	for k, fork := range s.Forks {
		g.stable(k, snapshots[fork], marks[fork], at(fork), onMasterBefore(landsAt, fork))
	}
}

func onMasterBefore(landsAt map[int]int, fork int) map[int]bool {
	out := map[int]bool{}
	for c, i := range landsAt {
		if c <= fork {
			out[i] = true
		}
	}
	return out
}

// topic is one commit per fix on the topic's base, as a developer's branch.
func (g *benchRepo) topic(files [][]string, from int, when time.Time) {
	for i := range g.shape.Fixes {
		for _, f := range g.fixFiles(i) {
			applyFix(files, f, i)
		}
		g.commit("refs/heads/topic", from, when.Add(time.Duration(i+1)*time.Second), fmt.Sprintf("fix %d", i), files, g.fixFiles(i)...)
		from = 0
	}
}

// stable is branch k: its own changes, and backports of the fixes it does
// not have from master yet, all but one in four; on stable-2 a fix of two
// files is backported with one file only (a partial backport).
func (g *benchRepo) stable(k int, files [][]string, from int, when time.Time, inherited map[int]bool) {
	ref := fmt.Sprintf("refs/heads/stable-%d", k+1)
	g.merged[ref[len("refs/heads/"):]] = len(inherited)
	backports := map[int]int{} // own commit → fix
	for i := range g.shape.Fixes {
		if !inherited[i] && i%4 != k {
			backports[len(backports)*g.shape.StableCommits/g.shape.Fixes+1] = i
		}
	}
	for c := range g.shape.StableCommits {
		t := when.Add(time.Duration(c+1) * time.Second)
		if i, ok := backports[c]; ok {
			g.backport(k, ref, from, t, files, i)
		} else {
			f := g.churn(files, fmt.Sprintf("s%d.%d", k, c))
			g.commit(ref, from, t, "stable change", files, f)
		}
		from = 0
	}
}

// backport commits fix i on stable branch k, counting it if whole.
func (g *benchRepo) backport(k int, ref string, from int, t time.Time, files [][]string, i int) {
	changed := g.fixFiles(i)
	if k == 1 && len(changed) == 2 {
		changed = changed[:1]
	} else {
		g.merged[ref[len("refs/heads/"):]]++
	}
	for _, f := range changed {
		applyFix(files, f, i)
	}
	g.commit(ref, from, t, fmt.Sprintf("backport fix %d", i), files, changed...)
}
