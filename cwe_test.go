package vmt

import (
	"regexp"
	"testing"
)

// TestCWEOf: a listed id has its name and MITRE link; an unlisted one its
// link only; every key of the table is a well-formed id with a name.
func TestCWEOf(t *testing.T) {
	tests := []struct{ in, id, name, url string }{
		{"CWE-22", "CWE-22", "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')", "https://cwe.mitre.org/data/definitions/22.html"},
		{" cwe-79", "CWE-79", "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')", "https://cwe.mitre.org/data/definitions/79.html"},
		{"CWE-99999", "CWE-99999", "", "https://cwe.mitre.org/data/definitions/99999.html"},
	}
	for _, tt := range tests {
		if got := CWEOf(tt.in); got != (CWE{tt.id, tt.name, tt.url}) {
			t.Errorf("CWEOf(%q) = %+v", tt.in, got)
		}
	}
	re := regexp.MustCompile(`^CWE-[1-9][0-9]*$`)
	for id, name := range cweNames {
		if !re.MatchString(id) || name == "" {
			t.Errorf("table entry %q: %q", id, name)
		}
	}
}
