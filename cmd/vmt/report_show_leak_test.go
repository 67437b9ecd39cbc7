package main

import (
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
)

// vmt report show names a possible leak of a private report, with the
// branch, the commit and the command that ends the embargo; a public
// report's record is not shouted.
func TestReportShowPossibleLeak(t *testing.T) {
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	r := &vmt.Report{ID: 12, Title: "Overflow", Visibility: vmt.Private, Status: vmt.StatusFixCommitted,
		PossibleLeak: &vmt.PossibleLeak{At: at, Branch: "stable-3.2", Commit: "0123abcd"}}
	var b strings.Builder
	if err := printReport(&b, &vmt.ReportView{Report: r}, "kata-containers", nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"POSSIBLE LEAK", "stable-3.2", "(commit 0123abcd)", "2026-12-02 10:00 UTC", "vmt report publicize 12"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report show lacks %q:\n%s", want, b.String())
		}
	}
	r.Visibility = vmt.Public
	b.Reset()
	if err := printReport(&b, &vmt.ReportView{Report: r}, "kata-containers", nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "POSSIBLE LEAK") {
		t.Errorf("a public report is shown with a leak:\n%s", b.String())
	}
}
