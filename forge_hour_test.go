package vmt_test

import (
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// The issue names the CVE and the advisory's title, with its summary and
// link; without an advisory or a CVE, the report's number and title. The
// pull request names its branch, the issue and the advisory.
func TestForgeHourTexts(t *testing.T) {
	r := &vmt.Report{ID: 7, Title: "Overflow in the agent", CVEs: []string{"CVE-2026-1234"}}
	d := &vmt.Advisory{Title: "Agent buffer overflow", Summary: "A guest can overflow the agent's buffer."}
	title, body := vmt.ForgeIssueText(r, d, "https://vmt.example.org/advisories/PSA-2026-001")
	if title != "CVE-2026-1234: Agent buffer overflow" || !strings.HasPrefix(body, "A guest can overflow the agent's buffer.\n\n") ||
		!strings.Contains(body, "Advisory: https://vmt.example.org/advisories/PSA-2026-001\n") {
		t.Errorf("issue: %q\n%s", title, body)
	}
	bare := &vmt.Report{ID: 8, Title: "Leak"}
	if title, body := vmt.ForgeIssueText(bare, nil, ""); title != "vmt report 8: Leak" || strings.Contains(body, "Advisory:") {
		t.Errorf("without advisory or CVE: %q\n%s", title, body)
	}
	title, body = vmt.ForgePullRequestText(r, "stable-3.2", &vmt.ForgeIssue{Number: 40}, "https://vmt.example.org/advisories/PSA-2026-001")
	if title != "[stable-3.2] CVE-2026-1234: Overflow in the agent" || !strings.Contains(body, "Issue: #40\n") ||
		!strings.Contains(body, "Advisory: https://vmt.example.org/advisories/PSA-2026-001") {
		t.Errorf("pull request: %q\n%s", title, body)
	}
	if m := vmt.ForgeIssueMarker(r); m != "vmt:report:7" {
		t.Errorf("marker %q", m)
	}
}
