package vmt

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestFixValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fix   Fix
		code  string
		field string
	}{
		{"series", Fix{Branch: "stable/1.0", Series: "From x\n"}, "", ""},
		{"pull request", Fix{Branch: "master", URL: "https://github.com/o/r/pull/1"}, "", ""},
		{"neither", Fix{Branch: "master"}, EINVALID, "series"},
		{"both", Fix{Branch: "master", Series: "x", URL: "https://example.org/pr/1"}, EINVALID, "series"},
		{"too large", Fix{Branch: "master", Series: strings.Repeat("x", MaxFixSeriesBytes+1)}, ETOOLARGE, "series"},
		{"http link", Fix{Branch: "master", URL: "http://example.org/pr/1"}, EINVALID, "url"},
		{"link with credentials", Fix{Branch: "master", URL: "https://u:p@example.org/pr/1"}, EINVALID, "url"},
		{"option-like branch", Fix{Branch: "-x", Series: "x"}, EINVALID, "branch"},
		{"branch with ..", Fix{Branch: "a..b", Series: "x"}, EINVALID, "branch"},
		{"empty branch", Fix{Series: "x"}, EINVALID, "branch"},
	} {
		err := tc.fix.Validate()
		var field string
		if e, ok := err.(*Error); ok {
			field = e.Field
		}
		if ErrorCode(err) != tc.code || field != tc.field {
			t.Errorf("%s: Validate() = %v, want code %q on field %q", tc.name, err, tc.code, tc.field)
		}
	}
	for _, r := range []FixReview{ReviewPending, ReviewApproved, ReviewChangesRequested} {
		if !r.Valid() {
			t.Errorf("%q is not Valid", r)
		}
	}
	if FixReview("merged").Valid() {
		t.Error(`"merged" is a valid review`)
	}
}

func TestPublicBeforeDisclosure(t *testing.T) {
	rows := []FixRow{
		{Branch: "main", Fix: &Fix{Merge: MergeCompleted}},
		{Branch: "stable-1", Fix: &Fix{Merge: MergePartial}},
		{Branch: "stable-2", Fix: &Fix{Merge: MergeNone}},
		{Branch: "stable-3"},
	}
	if got := PublicBeforeDisclosure(&Report{Visibility: Private}, rows); strings.Join(got, ",") != "main,stable-1" {
		t.Errorf("private: %v, want main and stable-1", got)
	}
	if got := PublicBeforeDisclosure(&Report{Visibility: Public}, rows); got != nil {
		t.Errorf("public: %v, want none (a disclosed fix leaks nothing)", got)
	}
}

// FlagPossibleLeak: a merged (or partly merged) fix of a private report
// is flagged once, with its branch and commit; a public report, a fix not
// merged, or a report already flagged is left as it is.
func TestFlagPossibleLeak(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	first := &PossibleLeak{At: now.Add(-time.Hour), Branch: "stable-1", Commit: "aaaa"}
	for _, tc := range []struct {
		name string
		r    Report
		f    Fix
		want *PossibleLeak
		news bool
	}{
		{"private, merged", Report{Visibility: Private}, Fix{Branch: "main", Merge: MergeCompleted, MergeCommit: "bbbb"},
			&PossibleLeak{At: now, Branch: "main", Commit: "bbbb"}, true},
		{"private, partly merged", Report{Visibility: Private}, Fix{Branch: "main", Merge: MergePartial},
			&PossibleLeak{At: now, Branch: "main"}, true},
		{"private, not merged", Report{Visibility: Private}, Fix{Branch: "main", Merge: MergeNone}, nil, false},
		{"public, merged", Report{Visibility: Public}, Fix{Branch: "main", Merge: MergeCompleted, MergeCommit: "bbbb"}, nil, false},
		{"already flagged", Report{Visibility: Private, PossibleLeak: first}, Fix{Branch: "main", Merge: MergeCompleted}, first, false},
	} {
		news := FlagPossibleLeak(&tc.r, &tc.f, now)
		if news != tc.news || !reflect.DeepEqual(tc.r.PossibleLeak, tc.want) {
			t.Errorf("%s: news %v, flag %+v; want %v, %+v", tc.name, news, tc.r.PossibleLeak, tc.news, tc.want)
		}
	}
}
