package vmt

import (
	"reflect"
	"strings"
	"testing"
)

// TestMergedFixCommits: per branch, the commit of the latest version
// when it is merged whole, in the project's branch order, then branches
// no longer supported by name.
func TestMergedFixCommits(t *testing.T) {
	c := func(b byte) string { return strings.Repeat(string(b), 40) }
	p := &Project{Branches: []string{"main", "stable-3.2", "stable-3.1"}}
	for _, tc := range []struct {
		name  string
		fixes []*Fix
		want  []FixCommit
	}{
		{"none", nil, nil},
		{"in branch order", []*Fix{
			{Branch: "stable-3.2", Version: 1, Merge: MergeCompleted, MergeCommit: c('b')},
			{Branch: "main", Version: 1, Merge: MergeCompleted, MergeCommit: c('a')},
		}, []FixCommit{{"main", c('a')}, {"stable-3.2", c('b')}}},
		{"an older version merged is not the fix", []*Fix{
			{Branch: "main", Version: 1, Merge: MergeCompleted, MergeCommit: c('a')},
			{Branch: "main", Version: 2, Merge: MergeNone},
		}, nil},
		{"partial, unknown and a short hash give nothing", []*Fix{
			{Branch: "main", Version: 1, Merge: MergePartial, MergeCommit: c('a')},
			{Branch: "stable-3.2", Version: 1, Merge: MergeUnknown},
			{Branch: "stable-3.1", Version: 1, Merge: MergeCompleted, MergeCommit: "abcdef1"},
		}, nil},
		{"a branch no longer supported comes last", []*Fix{
			{Branch: "stable-2.9", Version: 1, Merge: MergeCompleted, MergeCommit: c('c')},
			{Branch: "stable-3.1", Version: 3, Merge: MergeCompleted, MergeCommit: c('d')},
		}, []FixCommit{{"stable-3.1", c('d')}, {"stable-2.9", c('c')}}},
	} {
		if got := MergedFixCommits(p, tc.fixes); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
