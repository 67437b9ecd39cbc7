package vmt

import (
	"strings"
)

// ReportPatch changes some fields of a report; nil fields stay as they are.
type ReportPatch struct {
	Title       *string `json:"title"`
	Description *string `json:"description"`
	// Affected replaces the record of what is affected; Components and
	// AffectedVersions change it in the simple form (ApplyAffected).
	Affected          *[]AffectedEntry `json:"affected"`
	Components        *[]string        `json:"components"`
	AffectedVersions  *string          `json:"affected_versions"`
	Credit            *string          `json:"credit"`
	CVEs              *[]string        `json:"cves"`
	Hardening         *bool            `json:"hardening"`
	ImpactDescription *string          `json:"impact_description"`
	ReporterTerms     *string          `json:"reporter_terms"`
	NeverDisclose     *[]string        `json:"never_disclose"`
	// RequestedDisclosureAt is the reporter's date, YYYY-MM-DD (00:00
	// UTC) or RFC 3339; "" withdraws it (app/terms.go).
	RequestedDisclosureAt *string `json:"requested_disclosure_at"`
}

// StaffOnly reports whether p changes a field only the VMT may change
// (anything but the disclosure terms and the never-disclose marks).
func (p *ReportPatch) StaffOnly() bool {
	return p.Title != nil || p.Description != nil || p.Affected != nil || p.Components != nil || p.AffectedVersions != nil ||
		p.Credit != nil || p.CVEs != nil || p.Hardening != nil || p.ImpactDescription != nil
}

// Retitle returns the title "$TITLE ($CVE, ...)" for the new CVE list, taking
// off a suffix made for the old one.
func Retitle(title string, old, cves []string) string {
	if len(old) > 0 {
		title = strings.TrimSuffix(title, " ("+strings.Join(old, ", ")+")")
	}
	if len(cves) > 0 {
		title += " (" + strings.Join(cves, ", ") + ")"
	}
	return title
}

// TransitionInput asks for a move to another status.
type TransitionInput struct {
	To     Status `json:"to"`
	Reason string `json:"reason"`
	// Hardening sets the security-hardening tag on a move to Won't Fix or
	// Invalid, as the process allows.
	Hardening bool `json:"hardening"`
	// Class, when set, classifies the report in the same action, before
	// the move's guards are checked: a report that is not a vulnerability
	// is closed in one action (class E to Invalid, D to Won't Fix), as
	// PRODUCT.md has it. Empty leaves the class as it is.
	Class string `json:"class,omitempty"`
}

// MakePublic ends the embargo of r: public, and the reminder taken off.
func MakePublic(r *Report) {
	r.Visibility = Public
	removeReminder(r)
}
