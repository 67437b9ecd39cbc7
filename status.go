package vmt

import "fmt"

// Status is the state of a report in the process, shown as a label.
type Status string

// The ten statuses of the process.
const (
	StatusNew          Status = "new"
	StatusIncomplete   Status = "incomplete"
	StatusConfirmed    Status = "confirmed"
	StatusTriaged      Status = "triaged"
	StatusInProgress   Status = "in_progress"
	StatusFixCommitted Status = "fix_committed"
	StatusFixReleased  Status = "fix_released"
	StatusOpinion      Status = "opinion"
	StatusWontFix      Status = "wont_fix"
	StatusInvalid      Status = "invalid"
)

// StatusInfo is a status with its label and meaning.
type StatusInfo struct {
	Status  Status `json:"status"`
	Label   string `json:"label"`
	Meaning string `json:"meaning"`
}

// Statuses lists every status in the order of the process.
var Statuses = []StatusInfo{
	{StatusNew, "New", "Received, not yet triaged"},
	{StatusIncomplete, "Incomplete", "Still unclear whether the report warrants an advisory"},
	{StatusConfirmed, "Confirmed", "The vulnerability is confirmed; the impact description is in progress"},
	{StatusTriaged, "Triaged", "The impact description has been submitted for review"},
	{StatusInProgress, "In Progress", "A CVE has been requested"},
	{StatusFixCommitted, "Fix committed", "The pre-advisory notice has been sent (or, for a public report, the CVE is assigned)"},
	{StatusFixReleased, "Fix released", "All patches have been merged and the document published"},
	{StatusOpinion, "Opinion", "Likely class B, C or D; waiting for a decision on a security note"},
	{StatusWontFix, "Won't Fix", "Does not fit the project's plans"},
	{StatusInvalid, "Invalid", "Class E or Z: not a bug or vulnerability; no further action"},
}

// Label returns the human label of s.
func (s Status) Label() string {
	for _, i := range Statuses {
		if i.Status == s {
			return i.Label
		}
	}
	return string(s)
}

// Valid reports whether s is one of the ten statuses.
func (s Status) Valid() bool {
	for _, i := range Statuses {
		if i.Status == s {
			return true
		}
	}
	return false
}

// Closed reports whether s ends the process for a report.
func (s Status) Closed() bool {
	return s == StatusFixReleased || s == StatusWontFix || s == StatusInvalid
}

// ParseStatus returns the status named s or an EINVALID error for field.
func ParseStatus(field, s string) (Status, error) {
	st := Status(s)
	if !st.Valid() {
		return "", Invalid(field, "unknown status %q (want one of new, incomplete, confirmed, triaged, in_progress, fix_committed, fix_released, opinion, wont_fix, invalid)", s)
	}
	return st, nil
}

// Facts are what a guard may look at: the report as it stands, the reason the
// coordinator gave, and facts kept outside the report.
type Facts struct {
	Report *Report
	Reason string
	// AdvisoryPublished is true when the report's advisory or note is published.
	AdvisoryPublished bool
	// PatchesMerged is true when every fix has landed on every supported branch.
	PatchesMerged bool
	// ImpactApprovals are the approvals given to the impact description;
	// only those of its current text count.
	ImpactApprovals []*ImpactApproval
}

// Guard is a named condition on a transition. Check returns "" when the
// condition holds and otherwise the reason the transition is refused.
type Guard struct {
	Name  string
	Check func(f *Facts) string
}

// Transition is one allowed move between statuses.
type Transition struct {
	From, To Status
	Guards   []Guard
	// MakesPublic is the seed's side effect of Won't Fix and Invalid: the
	// report leaves the embargo.
	MakesPublic bool
	Why         string // what the move means, for the docs
}

// Transitions is the one table of allowed moves. The service enforces it, the
// API and pages offer the moves it allows, and docs/workflow.md is rendered
// from it.
var Transitions = []Transition{
	{From: StatusNew, To: StatusIncomplete, Why: "the report lacks what is needed to decide; the incomplete reception message is posted"},
	{From: StatusNew, To: StatusConfirmed, Guards: g(classWarrantsAdvisory), Why: "the VMT confirms an advisory is warranted"},
	{From: StatusNew, To: StatusOpinion, Guards: g(classMayWarrantNote), Why: "lower risk; the reviewers decide on a security note"},
	{From: StatusNew, To: StatusWontFix, Guards: g(classNotAdvisory), MakesPublic: true, Why: "no advisory and no benefit in a note"},
	{From: StatusNew, To: StatusInvalid, Guards: g(classInvalid), MakesPublic: true, Why: "not a bug or vulnerability"},

	{From: StatusIncomplete, To: StatusConfirmed, Guards: g(classWarrantsAdvisory), Why: "the open question is resolved; an advisory is warranted"},
	{From: StatusIncomplete, To: StatusOpinion, Guards: g(classMayWarrantNote), Why: "lower risk; the reviewers decide on a security note"},
	{From: StatusIncomplete, To: StatusWontFix, Guards: g(classNotAdvisory), MakesPublic: true, Why: "no advisory and no benefit in a note"},
	{From: StatusIncomplete, To: StatusInvalid, Guards: g(classInvalid), MakesPublic: true, Why: "not a bug or vulnerability"},

	{From: StatusConfirmed, To: StatusIncomplete, Why: "the need for an advisory is challenged"},
	{From: StatusConfirmed, To: StatusTriaged, Guards: g(classAdvisory, impactApproved), Why: "the impact description, approved by the reporter and the architecture committee, is posted"},
	{From: StatusConfirmed, To: StatusOpinion, Guards: g(classMayWarrantNote), Why: "on reflection, a note at most"},
	{From: StatusConfirmed, To: StatusWontFix, Guards: g(classNotAdvisory), MakesPublic: true, Why: "no advisory and no benefit in a note"},
	{From: StatusConfirmed, To: StatusInvalid, Guards: g(classInvalid), MakesPublic: true, Why: "not a bug or vulnerability"},

	{From: StatusTriaged, To: StatusConfirmed, Guards: g(reasonGiven), Why: "the impact description is sent back for rework"},
	{From: StatusTriaged, To: StatusInProgress, Guards: g(cveRequested), Why: "the CVE request has been sent"},

	{From: StatusInProgress, To: StatusFixCommitted, Guards: g(noticeSentOrCVEAssigned), Why: "the embargoed notice is sent (private) or the CVE is assigned (public)"},

	{From: StatusFixCommitted, To: StatusFixReleased, Guards: g(patchesMerged, advisoryPublished), Why: "every patch merged on every supported branch, and the advisory published"},

	{From: StatusOpinion, To: StatusConfirmed, Guards: g(classWarrantsAdvisory), Why: "an advisory is warranted after all"},
	{From: StatusOpinion, To: StatusIncomplete, Why: "the question needs more information"},
	{From: StatusOpinion, To: StatusWontFix, Guards: g(classNotAdvisory), MakesPublic: true, Why: "no benefit in a note"},
	{From: StatusOpinion, To: StatusInvalid, Guards: g(classInvalid), MakesPublic: true, Why: "not a bug or vulnerability"},
	{From: StatusOpinion, To: StatusFixReleased, Guards: g(classNote, advisoryPublished), MakesPublic: true, Why: "the security note is published"},

	{From: StatusWontFix, To: StatusConfirmed, Guards: g(reasonGiven, classWarrantsAdvisory), Why: "reopened: an advisory is warranted after all"},
	{From: StatusInvalid, To: StatusIncomplete, Guards: g(reasonGiven), Why: "reopened for another look"},
}

func g(gs ...Guard) []Guard { return gs }

// FindTransition returns the table row from one status to another.
func FindTransition(from, to Status) (Transition, bool) {
	for _, t := range Transitions {
		if t.From == from && t.To == to {
			return t, true
		}
	}
	return Transition{}, false
}

// NextStatuses returns the statuses the table allows from s, in table order.
func NextStatuses(s Status) []Status {
	var out []Status
	for _, t := range Transitions {
		if t.From == s {
			out = append(out, t.To)
		}
	}
	return out
}

// CheckTransition returns nil if the table allows moving f.Report to status to
// and every guard of that move holds; otherwise an error that says why.
func CheckTransition(f *Facts, to Status) error {
	from := f.Report.Status
	if !to.Valid() {
		return Invalid("status", "unknown status %q", to)
	}
	t, ok := FindTransition(from, to)
	if !ok {
		return &Error{Code: ECONFLICT, Field: "status", Message: fmt.Sprintf(
			"a report cannot go from %s to %s (allowed from %s: %s)", from.Label(), to.Label(), from.Label(), labels(NextStatuses(from)))}
	}
	for _, gd := range t.Guards {
		if why := gd.Check(f); why != "" {
			return &Error{Code: ECONFLICT, Field: "status", Message: fmt.Sprintf(
				"cannot move to %s: %s", to.Label(), why)}
		}
	}
	return nil
}

func labels(ss []Status) string {
	if len(ss) == 0 {
		return "nothing, the status is final"
	}
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += s.Label()
	}
	return out
}
