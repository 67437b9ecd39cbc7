package vmt

import (
	"slices"
	"strings"
	"testing"
)

func TestPatchPaths(t *testing.T) {
	series := "From 1 Mon Sep 17 00:00:00 2001\nSubject: [PATCH 1/2] agent: check\n\n" +
		"diff --git a/src/agent/src/rpc.rs b/src/agent/src/rpc.rs\n--- a/src/agent/src/rpc.rs\n+++ b/src/agent/src/rpc.rs\n" +
		"@@ -1 +1 @@\n-a\n+b\n" +
		"diff --git a/docs/a b.md b/docs/a b.md\n" + // a name with a space
		"diff --git a/src/agent/src/rpc.rs b/src/agent/src/rpc.rs\n" + // the second patch, the same file
		" diff --git a/not/a/header b/not/a/header\n"
	want := []string{"docs/a b.md", "src/agent/src/rpc.rs"}
	if got := PatchPaths(series); !slices.Equal(got, want) {
		t.Errorf("PatchPaths = %q, want %q", got, want)
	}
	if got := PatchPaths(""); len(got) != 0 {
		t.Errorf("PatchPaths of nothing = %q", got)
	}
}

// RankSimilar: each signal raises the score and says so; a candidate
// that shares nothing is not shown; the best comes first.
func TestRankSimilar(t *testing.T) {
	r := &Report{ID: 1, Title: "Agent follows symlinks in the shared directory", Description: "The agent writes on the host.",
		CVEs: []string{"CVE-2026-1234"}, Affected: AffectedOf([]string{"agent"}, "")}
	text := &Report{ID: 2, Title: "Shared directory symlinks followed by the agent", Description: "Writes land on the host."}
	cve := &Report{ID: 3, Title: "Unrelated words entirely", Description: "Nothing alike.", CVEs: []string{"CVE-2026-1234"}}
	patch := &Report{ID: 4, Title: "Something about balloons", Description: "Memory."}
	none := &Report{ID: 5, Title: "Dashboard footer typo", Description: "Spelling."}
	st := TermStats{Total: 1000, DF: map[string]int{"agent": 100, "symlinks": 5, "shared": 40, "directory": 60, "host": 200}}
	paths := map[int64][]string{1: {"src/agent/rpc.rs", "src/agent/mount.rs"}, 4: {"src/agent/rpc.rs"}}
	got := RankSimilar(r, []*Report{none, patch, cve, text, r}, st, paths)
	byID := map[int64]Similar{}
	var order []int64
	for _, s := range got {
		byID[s.Report.ID] = s
		order = append(order, s.Report.ID)
	}
	for _, c := range []struct {
		id     int64
		reason string
	}{{2, "words in common: "}, {3, "both carry CVE-2026-1234"}, {4, "patches touch the same files: src/agent/rpc.rs"}} {
		s, ok := byID[c.id]
		if !ok {
			t.Errorf("report %d not suggested (got %v)", c.id, order)
			continue
		}
		if !slices.ContainsFunc(s.Reasons, func(x string) bool { return strings.HasPrefix(x, c.reason) }) {
			t.Errorf("report %d: reasons %q lack %q", c.id, s.Reasons, c.reason)
		}
	}
	if _, ok := byID[5]; ok {
		t.Errorf("a report sharing nothing is suggested: %v", order)
	}
	if _, ok := byID[1]; ok {
		t.Error("the report is suggested as its own duplicate")
	}
	if !slices.IsSortedFunc(got, func(a, b Similar) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	}) {
		t.Errorf("not best first: %v", got)
	}
	if g := RankSimilar(r, []*Report{patch}, st, nil); len(g) != 0 {
		t.Errorf("without patches a report sharing only files is suggested: %+v", g)
	}
}
