package vmt

import (
	"strings"
	"testing"
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
