package vmt

import (
	"cmp"
	"slices"
	"time"
)

// The inbox is what waits on a person (issue 13): the reports where the
// next step is theirs, most urgent first, then the reports of theirs where
// the next step is someone else's. It is derived each time from the
// reports, their approvals and fixes, never stored; InboxOf is the one
// place that says whose step it is.

// InboxFacts are what the inbox reads of one report the person may see.
type InboxFacts struct {
	Report  *Report
	Project string
	// What the person is to the report.
	Reporter, Coordinator, VMT, Committee, Reviewer bool
	// ReporterApproved and CommitteeApproved say whether the impact
	// description as it stands has each approval.
	ReporterApproved, CommitteeApproved bool
	// Subscribed: the person follows the report. A reviewer or a member
	// of the committee waits on the reports they follow only: every
	// public report is readable, and not theirs.
	Subscribed bool
	// PendingReview are the branches whose latest fix waits for review.
	PendingReview []string
}

// InboxItem is one thing that waits: on the person (Mine) or on others.
type InboxItem struct {
	ReportID     int64      `json:"report_id"`
	Project      string     `json:"project"`
	Title        string     `json:"title"`
	Status       Status     `json:"status"`
	StatusSince  time.Time  `json:"status_since"`
	DisclosureAt *time.Time `json:"disclosure_at,omitempty"`
	// As is the capacity the item is the person's in: coordinator,
	// vmt, reporter, committee, reviewer.
	As string `json:"as"`
	// Action is the step due; WaitsOn who takes it ("you" when Mine).
	Action  string `json:"action"`
	WaitsOn string `json:"waits_on"`
	Mine    bool   `json:"mine"`
	// Overdue: past the stage's time limit (the timers reminded).
	Overdue bool `json:"overdue,omitempty"`
}

// Inbox is a person's inbox.
type Inbox struct {
	Mine   []InboxItem `json:"waiting_on_you"`
	Others []InboxItem `json:"waiting_on_others"`
}

// InboxOf returns the inbox of the facts' person. An item waits on them
// for each step that is theirs (a report may need their approval and
// their review); a report of theirs none of whose steps is theirs is one
// item of what they wait on. Each list is most urgent first: the earliest
// disclosure date (reports without one after), then the longest in its
// stage, then the oldest report.
func InboxOf(facts []InboxFacts) Inbox {
	in := Inbox{Mine: []InboxItem{}, Others: []InboxItem{}}
	for _, f := range facts {
		r := f.Report
		if r == nil || r.Status.Closed() || r.DuplicateOf != 0 {
			continue // nothing waits on a closed report or a duplicate
		}
		item := func(as, action, on string) InboxItem {
			return InboxItem{ReportID: r.ID, Project: f.Project, Title: r.Title, Status: r.Status, StatusSince: r.StatusSince,
				DisclosureAt: r.DisclosureAt, As: as, Action: action, WaitsOn: on, Mine: on == "you", Overdue: r.StageRemindedAt != nil}
		}
		var mine []InboxItem
		approvals := r.ImpactDescription != "" && (r.Status == StatusConfirmed || r.Status == StatusTriaged)
		if f.Reporter && approvals && !f.ReporterApproved {
			mine = append(mine, item("reporter", "approve the impact description", "you"))
		}
		if f.Committee && !f.Reporter && approvals && !f.CommitteeApproved {
			mine = append(mine, item("committee", "approve the impact description for the committee", "you"))
		}
		if f.Reviewer && len(f.PendingReview) > 0 {
			mine = append(mine, item("reviewer", "review the fix for "+joinComma(f.PendingReview), "you"))
		}
		if f.Reviewer && r.Status == StatusOpinion {
			mine = append(mine, item("reviewer", "decide on a security note", "you"))
		}
		next, on := coordinatorStep(f)
		switch {
		case f.Coordinator && on == "you":
			mine = append(mine, item("coordinator", next, "you"))
		case f.VMT && r.CoordinatorID == 0 && on == "you":
			mine = append(mine, item("vmt", next+" (no coordinator yet)", "you"))
		}
		if len(mine) > 0 {
			in.Mine = append(in.Mine, mine...)
			continue
		}
		as := ""
		switch {
		case f.Coordinator:
			as = "coordinator"
		case f.Reporter:
			as = "reporter"
		case f.Reviewer && f.Subscribed:
			as = "reviewer"
		case f.Committee && f.Subscribed:
			as = "committee"
		}
		if as == "" {
			continue // not theirs: a report they only may read
		}
		in.Others = append(in.Others, item(as, next, whoTakes(r, on)))
	}
	sortInbox(in.Mine)
	sortInbox(in.Others)
	return in
}

// coordinatorStep is the next step of f's report and who takes it: "you"
// is the coordinator (or, without one, the VMT).
func coordinatorStep(f InboxFacts) (string, string) {
	r := f.Report
	switch r.Status {
	case StatusNew, StatusIncomplete:
		return "triage the report", "you"
	case StatusConfirmed:
		switch {
		case r.ImpactDescription == "":
			return "write the impact description", "you"
		case !f.ReporterApproved && !f.CommitteeApproved:
			return "approval of the impact description", "the reporter and the committee"
		case !f.ReporterApproved:
			return "approval of the impact description", "the reporter"
		case !f.CommitteeApproved:
			return "approval of the impact description", "the committee"
		}
		return "move the report to Triaged", "you"
	case StatusTriaged:
		return "request the CVE", "you"
	case StatusInProgress:
		if len(f.PendingReview) > 0 {
			return "review of the fix for " + joinComma(f.PendingReview), "the reviewers"
		}
		if r.Visibility == Private {
			return "send the notice", "you"
		}
		return "record the CVE and the fix", "you"
	case StatusFixCommitted:
		if r.Visibility == Private {
			return "the disclosure", "the disclosure date"
		}
		return "the fixes merged and the advisory published", "the merge round"
	case StatusOpinion:
		return "decide on a security note", "the reviewers"
	}
	return "", ""
}

func sortInbox(items []InboxItem) {
	slices.SortStableFunc(items, func(a, b InboxItem) int {
		switch {
		case a.DisclosureAt != nil && b.DisclosureAt == nil:
			return -1
		case a.DisclosureAt == nil && b.DisclosureAt != nil:
			return 1
		case a.DisclosureAt != nil && !a.DisclosureAt.Equal(*b.DisclosureAt):
			return a.DisclosureAt.Compare(*b.DisclosureAt)
		}
		if c := a.StatusSince.Compare(b.StatusSince); c != 0 {
			return c
		}
		return cmp.Compare(a.ReportID, b.ReportID)
	})
}

func joinComma(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}
