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
