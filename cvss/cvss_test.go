package cvss

import (
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

func TestParse(t *testing.T) {
	tests := []struct {
		vector, version string
		score           float64
		severity        string
	}{
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", V31, 9.8, "CRITICAL"},
		{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", V31, 5.5, "MEDIUM"},
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:N/A:N", V30, 4.3, "MEDIUM"},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", V40, 9.3, "CRITICAL"},
		{"CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", V40, 0, "NONE"},
		{"AV:N/AC:M/Au:N/C:P/I:P/A:N", V2, 5.8, "MEDIUM"},
	}
	for _, tt := range tests {
		s, err := Parse(tt.vector)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.vector, err)
			continue
		}
		if s.Version != tt.version || s.Score != tt.score || s.Severity != tt.severity {
			t.Errorf("Parse(%q) = %+v, want %s %.1f %s", tt.vector, s, tt.version, tt.score, tt.severity)
		}
	}
}

func TestParseRefusesBadVectors(t *testing.T) {
	for _, v := range []string{
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",          // A missing
		"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",      // bad value
		"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", // twice
		"CVSS:4.0/AV:N/AC:L",
		"CVSS:2.0/AV:N",
		"9.8",
		"",
	} {
		_, err := Parse(v)
		if err == nil || !strings.Contains(err.Error(), "CVSS") {
			t.Errorf("Parse(%q) = %v, want an error about the vector", v, err)
		}
	}
}

func TestCheckNamesTheField(t *testing.T) {
	a := &vmt.Advisory{Kind: vmt.KindAdvisory, State: vmt.AdvisoryDraft, Title: "t", Description: "d",
		CVSS: []string{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q"}}
	err := Check(a)
	if vmt.ErrorCode(err) != vmt.EINVALID || vmt.ErrorField(err) != "cvss[1]" || !strings.Contains(err.Error(), "A:Q") {
		t.Fatalf("got %v, want invalid cvss[1] quoting the vector", err)
	}
	a.CVSS = a.CVSS[:1]
	if err := Check(a); err != nil {
		t.Fatalf("a good vector: %v", err)
	}
	scores, err := Scores(a)
	if err != nil || len(scores) != 1 || scores[0].Score != 9.8 {
		t.Fatalf("Scores = %+v, %v", scores, err)
	}
}

// TestMetrics: each version's vector is spelled out in its order; a
// metric without words keeps its abbreviations; a bad vector is refused.
func TestMetrics(t *testing.T) {
	tests := []struct {
		vector string
		want   []string // "Name: Value"
	}{
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:L/A:N", []string{"Attack vector: Network", "Attack complexity: Low",
			"Privileges required: None", "User interaction: Required", "Scope: Changed", "Confidentiality: High", "Integrity: Low", "Availability: None"}},
		{"CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", []string{"Attack vector: Local", "Attack complexity: Low",
			"Attack requirements: Present", "Privileges required: Low", "User interaction: None",
			"Confidentiality (vulnerable system): High", "Integrity (vulnerable system): High", "Availability (vulnerable system): High",
			"Confidentiality (subsequent systems): None", "Integrity (subsequent systems): None", "Availability (subsequent systems): None"}},
		{"AV:N/AC:M/Au:N/C:P/I:N/A:N", []string{"Access vector: Network", "Access complexity: Medium", "Authentication: None",
			"Confidentiality: Partial", "Integrity: None", "Availability: None"}},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:H", []string{"Attack vector: Network", "Attack complexity: Low",
			"Privileges required: None", "User interaction: None", "Scope: Unchanged", "Confidentiality: High", "Integrity: High", "Availability: High", "CR: H"}},
	}
	for _, tt := range tests {
		ms, err := Metrics(tt.vector)
		if err != nil {
			t.Errorf("%s: %v", tt.vector, err)
			continue
		}
		var got []string
		for _, m := range ms {
			got = append(got, m.Name+": "+m.Value)
		}
		if strings.Join(got, "; ") != strings.Join(tt.want, "; ") {
			t.Errorf("%s:\n got %q\nwant %q", tt.vector, got, tt.want)
		}
	}
	if _, err := Metrics("CVSS:3.1/AV:X"); err == nil {
		t.Error("a bad vector was spelled out")
	}
}
