package vmt

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Approver is the capacity in which someone approves the impact
// description: the process has it validated by the reporter and by the
// architecture committee.
type Approver string

// The two approvals the move to Triaged needs.
const (
	ApproverReporter  Approver = "reporter"
	ApproverCommittee Approver = "committee"
)

// ImpactApproval is one approval of a report's impact description, as the
// text stood when it was given: TextHash is ImpactHash of that text, so an
// approval of an earlier text never counts for a later one.
type ImpactApproval struct {
	ReportID   int64     `json:"report_id"`
	Approver   Approver  `json:"approver"`
	UserID     int64     `json:"user_id"` // 0 when the reporter's identity is withheld from the viewer
	TextHash   string    `json:"text_sha256"`
	ApprovedAt time.Time `json:"approved_at"`
}

// ImpactHash returns the hex SHA-256 of an impact description.
func ImpactHash(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

// ImpactState is a report's impact description and the approvals that hold
// for it; a nil approval has not been given (or was given to older text).
type ImpactState struct {
	ReportID  int64           `json:"report_id"`
	Text      string          `json:"impact_description"`
	Reporter  *ImpactApproval `json:"reporter_approval"`
	Committee *ImpactApproval `json:"committee_approval"`
	// YourCapacity is the capacity in which the one asking approves ("":
	// they do not), so that front ends offer the approval without
	// repeating the policy.
	YourCapacity Approver `json:"your_capacity,omitempty"`
}

// SetApprovals keeps those of as that approve st.Text.
func (st *ImpactState) SetApprovals(as []*ImpactApproval) {
	h := ImpactHash(st.Text)
	for _, a := range as {
		if st.Text == "" || a.TextHash != h {
			continue
		}
		switch a.Approver {
		case ApproverReporter:
			st.Reporter = a
		case ApproverCommittee:
			st.Committee = a
		}
	}
}

// Missing says who has not approved yet, in words ("" when both have).
func (st *ImpactState) Missing() string {
	switch {
	case st.Reporter == nil && st.Committee == nil:
		return "the reporter and the architecture committee"
	case st.Reporter == nil:
		return "the reporter"
	case st.Committee == nil:
		return "the architecture committee"
	}
	return ""
}

// ImpactFacts are what the impact description is drafted from.
type ImpactFacts struct {
	Report  *Report
	Project *Project
	// Credit is $CREDIT: the report's credit, or a note that it is
	// withheld when the reporter asked for it never to be disclosed.
	Credit string
}

// ImpactDrafter writes the impact description from the project's template
// (its override when it has one; overrides maps template names to texts).
// A missing field is an error naming it. Package render implements it.
type ImpactDrafter func(overrides map[string]string, f ImpactFacts) (string, error)

// TemplateChecker parses text as the template name with the rendering's
// own strictness: a parse error, an unknown name or a reference to a field
// the template's data lacks is an error naming it. Package render
// implements it.
type TemplateChecker func(name, text string) error

// ReminderFacts are what a project's own embargo reminder is written from.
type ReminderFacts struct {
	Project *Project
	Days    int       // the longest an embargo of the project may last
	Until   time.Time // the day it ends at the latest
}

// TextHooks are the parts of writing the process's texts that live outside
// the domain. A nil hook refuses what needs it.
type TextHooks struct {
	Check   TemplateChecker
	Default func(name string) (string, error) // the shipped text of a template
	// Preview renders text as template name against the sample report
	// of its kind (a case of Kata Containers with every field set): the
	// subject (mails only) and the body, or the error Check would give.
	Preview func(name, text string) (subject, body string, err error)
	Impact  ImpactDrafter
	// Reminder writes the embargo reminder of a report of project f, from
	// the project's template (its override, or the shipped text): the one
	// that the project's template commands show. Without the hook reports
	// keep the domain's EmbargoReminder.
	Reminder func(overrides map[string]string, f ReminderFacts) (string, error)
	// Incomplete writes the reception-incomplete message of project, from
	// its template, which the VMT posts when a new report is set
	// Incomplete.
	Incomplete func(overrides map[string]string, project string) (string, error)
}
