package vmt

import (
	"strings"
	"testing"
)

func TestCheckQuery(t *testing.T) {
	tests := []struct {
		name, q string
		want    string // the error message, "" for none
	}{
		{"empty", "", ""},
		{"words", `heap overflow "CVE-2025-1234" NEAR( OR -x *`, ""},
		{"at the limit", strings.Repeat("ü", MaxQueryLength), ""},
		{"too long", strings.Repeat("x", MaxQueryLength+1), "has 201 characters, more than the limit of 200"},
		{"newline", "heap\noverflow", "contains the control character U+000A"},
		{"tab", "heap\toverflow", "contains the control character U+0009"},
		{"NUL", "heap\x00", "contains the control character U+0000"},
		{"C1", "heap\u009b", "contains the control character U+009B"},
		{"bad UTF-8", "heap\xff", "is not valid UTF-8"},
	}
	for _, tt := range tests {
		err := CheckQuery(tt.q)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: %v, want no error", tt.name, err)
			}
			continue
		}
		if ErrorCode(err) != EINVALID || ErrorMessage(err) != tt.want || errorField(err) != "q" {
			t.Errorf("%s: %v (field %q), want EINVALID on q: %s", tt.name, err, errorField(err), tt.want)
		}
	}
}

func errorField(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Field
	}
	return ""
}

func TestParseSearchID(t *testing.T) {
	tests := []struct {
		word string
		want SearchID // zero: not an id
	}{
		{"CVE-2026-10700", SearchID{Kind: SearchCVE, ID: "CVE-2026-10700"}},
		{"cve-2026-10700", SearchID{Kind: SearchCVE, ID: "CVE-2026-10700"}},
		{"(CVE-2026-10700),", SearchID{Kind: SearchCVE, ID: "CVE-2026-10700"}},
		{"CVE-2026-107", SearchID{}}, // the start of a CVE id, not an advisory id
		{"CVE-2026", SearchID{}},
		{"GHSA-jfh8-c2jp-5v3q", SearchID{Kind: SearchGHSA, ID: "GHSA-jfh8-c2jp-5v3q"}},
		{"ghsa-JFH8-C2JP-5V3Q", SearchID{Kind: SearchGHSA, ID: "GHSA-jfh8-c2jp-5v3q"}},
		{"GHSA-jfh8-c2jp", SearchID{}},
		{"KCSA-2026-001", SearchID{Kind: SearchAdvisory, ID: "KCSA-2026-001"}},
		{"kcsn-2026-12.", SearchID{Kind: SearchAdvisory, ID: "KCSN-2026-12"}},
		{"#123", SearchID{Kind: SearchReport, ID: "#123", Report: 123}},
		{"#0", SearchID{}},
		{"#12a", SearchID{}},
		{"123", SearchID{}},
		{"virtio-fs", SearchID{}},
		{"runtime-rs", SearchID{}},
		{"#99999999999999999999", SearchID{}},
	}
	for _, tt := range tests {
		got, ok := ParseSearchID(tt.word)
		if ok != (tt.want != SearchID{}) || got != tt.want {
			t.Errorf("ParseSearchID(%q) = %+v, %v; want %+v", tt.word, got, ok, tt.want)
		}
	}
}
