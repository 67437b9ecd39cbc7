package vmt

import (
	"fmt"
	"slices"
	"strings"
)

// Duplicates. A coordinator who finds that a report restates another of
// the project marks it a duplicate in one action (MarkDuplicate in the
// application): the report keeps the original's id and leaves the VMT's
// queue, its reporter is credited on the original as a finder and told on
// their own report. Being told the original exists is not being let into
// it: only when the coordinator asks is the reporter subscribed to the
// original, since a vague report marked a duplicate must not open a
// private one to its sender.

// CheckDuplicate says why report dup cannot be marked a duplicate of
// orig, or nil: both of one project, not the same, the original not
// itself a duplicate (the root is named instead), and dup not already an
// original of others or one already.
func CheckDuplicate(dup, orig *Report, dupHasDuplicates bool) error {
	switch {
	case dup.ID == orig.ID:
		return Invalid("of", "a report cannot be a duplicate of itself")
	case dup.ProjectID != orig.ProjectID:
		return Invalid("of", "report #%d is of another project", orig.ID)
	case orig.DuplicateOf != 0:
		return Invalid("of", "report #%d is itself a duplicate of #%d: mark it a duplicate of #%d", orig.ID, orig.DuplicateOf, orig.DuplicateOf)
	case dup.DuplicateOf != 0:
		return &Error{Code: ECONFLICT, Field: "of", Message: fmt.Sprintf("the report is already a duplicate of #%d", dup.DuplicateOf)}
	case dupHasDuplicates:
		return &Error{Code: ECONFLICT, Field: "of", Message: "other reports are duplicates of this one: it is an original"}
	}
	return nil
}

// DuplicateCredit is the line the original's credit gains for the
// reporter of dup: the credit they asked for on their report, else the
// name of their account; "" when they gave neither, or asked that their
// credit or identity never be disclosed (the original's credit is
// published with it).
func DuplicateCredit(dup *Report, reporter *User) string {
	if slices.Contains(dup.NeverDisclose, "credit") || slices.Contains(dup.NeverDisclose, "reporter_identity") {
		return ""
	}
	who := strings.TrimSpace(dup.Credit)
	if who == "" && reporter != nil {
		who = strings.TrimSpace(reporter.Name)
	}
	if who == "" {
		return ""
	}
	return fmt.Sprintf("%s (also found it, report #%d)", who, dup.ID)
}

// WithCredit returns credit with line added on a line of its own, once.
func WithCredit(credit, line string) string {
	if line == "" || strings.Contains(credit, line) {
		return credit
	}
	if strings.TrimSpace(credit) == "" {
		return line
	}
	return strings.TrimRight(credit, "\n") + "\n" + line
}

// ReporterRecord is what the VMT sees of a reporter's history with the
// project, to weigh a report in a flood: how many they sent, how many were
// confirmed (reached Confirmed or any status after it but Won't Fix and
// Invalid), duplicates, Won't Fix and Invalid.
type ReporterRecord struct {
	ReporterID int64 `json:"reporter_id"`
	Sent       int   `json:"sent"`
	Confirmed  int   `json:"confirmed"`
	Duplicates int   `json:"duplicates"`
	WontFix    int   `json:"wont_fix"`
	Invalid    int   `json:"invalid"`
}

// Count adds n reports of status st (dup: marked duplicates) to the record.
func (rr *ReporterRecord) Count(st Status, dup bool, n int) {
	rr.Sent += n
	switch {
	case dup:
		rr.Duplicates += n
	case st == StatusInvalid:
		rr.Invalid += n
	case st == StatusWontFix:
		rr.WontFix += n
	case st != StatusNew && st != StatusIncomplete:
		rr.Confirmed += n
	}
}

// Triage is what the VMT is shown to triage a report in a flood: the
// reports most like it, and its reporter's record.
type Triage struct {
	Similar  []Similar      `json:"similar"`
	Reporter ReporterRecord `json:"reporter"`
}

// DefaultReportsPerDay bounds what one reporter files in a day, in every
// project together, unless the instance says otherwise: far above what a
// person finds, and well below what a script sends.
const DefaultReportsPerDay = 20

// CheckIntake refuses a report from a reporter who filed n in the last
// day, once n reaches the bound max.
func CheckIntake(n, max int) error {
	if n < max {
		return nil
	}
	return &Error{Code: ERATELIMIT, Field: "reporter", Message: fmt.Sprintf("you filed %d reports in the last 24 hours, "+
		"the most one reporter may: file the next one tomorrow, or write to the vulnerability management team", n)}
}
