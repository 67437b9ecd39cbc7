package vmt

import (
	"strings"
	"time"
)

// NoticeResult says what sending the notice did.
type NoticeResult struct {
	Report     *ReportView `json:"report"`
	Disclosure time.Time   `json:"disclosure_at"`
	Recipients []string    `json:"recipients"` // "stakeholder:3", "list:linux-distros"
	Subject    string      `json:"subject"`
	// Warnings name the recipients whose key stops working before the
	// disclosure date: they get this notice, but not an update later.
	Warnings []string `json:"warnings"`
}

// NoticeInput is what a coordinator may add when sending the notice.
type NoticeInput struct {
	// OverrideReason, when given, sets the reporter's requested disclosure
	// date aside: the notice gives the date the project's policy computes,
	// and the reason is recorded on the report and audited.
	OverrideReason string `json:"override_reason"`
}

// Validate trims the override reason and checks it is plain text of at
// most MaxReasonLen characters.
func (in *NoticeInput) Validate() error {
	in.OverrideReason = strings.TrimSpace(in.OverrideReason)
	return CheckText("override_reason", in.OverrideReason, MaxReasonLen, false)
}
