package main

import (
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// vmt report show lists a public report's issue and pull requests on
// GitHub; a report without any shows no such section.
func TestReportShowForge(t *testing.T) {
	r := &vmt.Report{ID: 12, Title: "Overflow", Visibility: vmt.Public, Status: vmt.StatusFixCommitted}
	v := &vmt.ReportView{Report: r, Forge: &vmt.ReportForge{
		Issue: &vmt.ForgeIssue{Number: 40, URL: "https://github.com/o/r/issues/40"},
		PullRequests: []*vmt.ForgePullRequest{
			{Branch: "main", Head: "vmt/CVE-2026-1234/main", Number: 41, URL: "https://github.com/o/r/pull/41"},
			{Branch: "stable-3.2", Head: "vmt/CVE-2026-1234/stable-3.2", Number: 42, URL: "https://github.com/o/r/pull/42"},
		}}}
	var b strings.Builder
	if err := printReport(&b, v, "kata-containers", nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"On GitHub:", "Issue #40: https://github.com/o/r/issues/40",
		"Pull request #41 (vmt/CVE-2026-1234/main into main): https://github.com/o/r/pull/41",
		"Pull request #42 (vmt/CVE-2026-1234/stable-3.2 into stable-3.2): https://github.com/o/r/pull/42"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report show lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	v.Forge = nil
	if err := printReport(&b, v, "kata-containers", nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "On GitHub") {
		t.Errorf("no forge, yet:\n%s", b.String())
	}
}
