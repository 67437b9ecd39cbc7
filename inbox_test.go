package vmt

import (
	"slices"
	"strconv"
	"testing"
	"time"
)

// InboxOf: whose step each report is, and the order, most urgent first:
// the earliest disclosure date, then the longest in its stage.
func TestInboxOf(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	day := func(n int) *time.Time { d := t0.AddDate(0, 0, n); return &d }
	rep := func(id int64, st Status, since int, disclose *time.Time) *Report {
		return &Report{ID: id, Status: st, StatusSince: *day(since), DisclosureAt: disclose, CoordinatorID: 7, Visibility: Private}
	}
	withImpact := func(r *Report) *Report { r.ImpactDescription = "text"; return r }
	facts := []InboxFacts{
		{Report: rep(1, StatusTriaged, -1, nil), Coordinator: true},                                       // request the CVE: mine
		{Report: rep(2, StatusInProgress, -5, nil), Coordinator: true},                                    // send the notice, longer in stage: before 1
		{Report: rep(3, StatusFixCommitted, -2, day(9)), Coordinator: true},                               // waits on the date
		{Report: rep(4, StatusInProgress, 0, day(3)), Coordinator: true, PendingReview: []string{"main"}}, // waits on reviewers
		{Report: rep(5, StatusInProgress, 0, day(2)), Coordinator: true},                                  // disclosure first
		{Report: withImpact(rep(6, StatusConfirmed, -3, nil)), Coordinator: true, ReporterApproved: true}, // waits on the committee
		{Report: rep(7, StatusFixReleased, -9, nil), Coordinator: true},                                   // closed: nowhere
		{Report: rep(8, StatusNew, -4, nil)},                                                              // only readable: nowhere
	}
	in := InboxOf(facts)
	ids := func(items []InboxItem) []string {
		var out []string
		for _, x := range items {
			out = append(out, strconv.FormatInt(x.ReportID, 10)+":"+x.WaitsOn)
		}
		return out
	}
	if got, want := ids(in.Mine), []string{"5:you", "2:you", "1:you"}; !slices.Equal(got, want) {
		t.Errorf("mine %v, want %v", got, want)
	}
	if got, want := ids(in.Others), []string{"4:the reviewers", "3:the disclosure date", "6:the committee"}; !slices.Equal(got, want) {
		t.Errorf("others %v, want %v", got, want)
	}

	// The reporter's approval, and the committee's; the reporter who is
	// on the committee gives only the reporter's.
	r := withImpact(rep(9, StatusConfirmed, 0, nil))
	for _, c := range []struct {
		name string
		f    InboxFacts
		want []string
	}{
		{"reporter", InboxFacts{Report: r, Reporter: true}, []string{"approve the impact description"}},
		{"reporter approved", InboxFacts{Report: r, Reporter: true, ReporterApproved: true}, nil},
		{"committee", InboxFacts{Report: r, Committee: true}, []string{"approve the impact description for the committee"}},
		{"reporter on the committee", InboxFacts{Report: r, Reporter: true, Committee: true}, []string{"approve the impact description"}},
		{"reviewer, two steps", InboxFacts{Report: rep(10, StatusOpinion, 0, nil), Reviewer: true, PendingReview: []string{"main"}},
			[]string{"review the fix for main", "decide on a security note"}},
		{"VMT, unassigned", InboxFacts{Report: &Report{ID: 11, Status: StatusNew}, VMT: true}, []string{"triage the report (no coordinator yet)"}},
		{"VMT, assigned to another", InboxFacts{Report: rep(12, StatusNew, 0, nil), VMT: true}, nil},
	} {
		var got []string
		for _, x := range InboxOf([]InboxFacts{c.f}).Mine {
			got = append(got, x.Action)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
