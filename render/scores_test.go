package render

import (
	"testing"

	"github.com/vmtproject/vmt"
)

// TestScoresAndSeverity: every vector is scored with its metrics; the
// document's severity is its highest score's; none without a vector; the
// credit types read as words.
func TestScoresAndSeverity(t *testing.T) {
	d := &vmt.Advisory{CVSS: []string{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}}
	ss, err := Scores(d)
	if err != nil || len(ss) != 2 || ss[0].Score != 6.5 || ss[0].Rating != "MEDIUM" || len(ss[0].Metrics) != 8 || ss[0].Metrics[0].Value != "Local" {
		t.Fatalf("Scores = %+v, %v", ss, err)
	}
	if r, s := Severity(d); r != "CRITICAL" || s != 9.8 {
		t.Errorf("Severity = %s %v, want CRITICAL 9.8", r, s)
	}
	if r, s := Severity(&vmt.Advisory{}); r != "" || s != 0 {
		t.Errorf("Severity without a vector = %q %v", r, s)
	}
	if _, err := Scores(&vmt.Advisory{CVSS: []string{"CVSS:3.1/AV:Q"}}); vmt.ErrorField(err) != "cvss[0]" {
		t.Errorf("a bad vector: %v", err)
	}
	for in, want := range map[vmt.CreditType]string{vmt.CreditFinder: "Finder", vmt.CreditRemediationDeveloper: "Remediation developer", "": ""} {
		if got := CreditWords(in); got != want {
			t.Errorf("CreditWords(%q) = %q, want %q", in, got, want)
		}
	}
}
