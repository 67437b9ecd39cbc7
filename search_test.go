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
