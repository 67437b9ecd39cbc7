package vmt

import (
	"context"
	"strings"
)

// ReportPatch changes some fields of a report; nil fields stay as they are.
type ReportPatch struct {
	Title             *string   `json:"title"`
	Description       *string   `json:"description"`
	Components        *[]string `json:"components"`
	AffectedVersions  *string   `json:"affected_versions"`
	Credit            *string   `json:"credit"`
	CVEs              *[]string `json:"cves"`
	Hardening         *bool     `json:"hardening"`
	ImpactDescription *string   `json:"impact_description"`
	ReporterTerms     *string   `json:"reporter_terms"`
	NeverDisclose     *[]string `json:"never_disclose"`
	// RequestedDisclosureAt is the reporter's date, YYYY-MM-DD (00:00
	// UTC) or RFC 3339; "" withdraws it (service_terms.go).
	RequestedDisclosureAt *string `json:"requested_disclosure_at"`
}

func (p *ReportPatch) staffOnly() bool {
	return p.Title != nil || p.Description != nil || p.Components != nil || p.AffectedVersions != nil ||
		p.Credit != nil || p.CVEs != nil || p.Hardening != nil || p.ImpactDescription != nil
}

// UpdateReport applies p. The VMT may change any field; the reporter only
// their disclosure terms and never-disclose marks. A newly recorded CVE id
// retitles the report "$TITLE ($CVE)", as the process asks.
func (s *Service) UpdateReport(ctx context.Context, a Actor, id int64, p ReportPatch) (*ReportView, error) {
	act := ActionEditTerms
	if p.staffOnly() {
		act = ActionEdit
	}
	return s.change(ctx, a, id, act, "report.update", func(tx Tx, r *Report, _ Access) error {
		if p.Title != nil {
			r.Title = strings.TrimSpace(*p.Title)
		}
		if p.Description != nil {
			// The reminder stays in front while the report is private,
			// whatever the new text.
			r.Description = r.Reminder + strings.TrimPrefix(*p.Description, r.Reminder)
		}
		setSlice(&r.Components, p.Components)
		setString(&r.AffectedVersions, p.AffectedVersions)
		setString(&r.Credit, p.Credit)
		if p.ImpactDescription != nil {
			// A new text takes back the approvals of the old one.
			if err := s.setImpact(tx, a, r, *p.ImpactDescription); err != nil {
				return err
			}
		}
		setString(&r.ReporterTerms, p.ReporterTerms)
		setSlice(&r.NeverDisclose, p.NeverDisclose)
		if err := s.setRequestedDate(r, p.RequestedDisclosureAt); err != nil {
			return err
		}
		if p.Hardening != nil {
			r.Hardening = *p.Hardening
		}
		if p.CVEs != nil {
			if err := checkCVEs(*p.CVEs); err != nil {
				return err
			}
			r.Title = retitle(r.Title, r.CVEs, *p.CVEs)
			setSlice(&r.CVEs, p.CVEs)
		}
		return nil
	})
}

// retitle returns the title "$TITLE ($CVE, ...)" for the new CVE list, taking
// off a suffix made for the old one.
func retitle(title string, old, cves []string) string {
	if len(old) > 0 {
		title = strings.TrimSuffix(title, " ("+strings.Join(old, ", ")+")")
	}
	if len(cves) > 0 {
		title += " (" + strings.Join(cves, ", ") + ")"
	}
	return title
}

func setString(dst *string, src *string) {
	if src != nil {
		*dst = *src
	}
}

func setSlice(dst *[]string, src *[]string) {
	if src != nil {
		*dst = orEmpty(*src)
	}
}

// TransitionInput asks for a move to another status.
type TransitionInput struct {
	To     Status `json:"to"`
	Reason string `json:"reason"`
	// Hardening sets the security-hardening tag on a move to Won't Fix or
	// Invalid, as the process allows.
	Hardening bool `json:"hardening"`
}

// Transition moves a report to another status if the table allows it and
// every guard holds, and carries out the move's side effects.
func (s *Service) Transition(ctx context.Context, a Actor, id int64, in TransitionInput) (*ReportView, error) {
	if err := checkText("reason", in.Reason, MaxReasonLen, false); err != nil {
		return nil, err
	}
	if _, err := ParseStatus("to", string(in.To)); err != nil {
		return nil, err
	}
	return s.change(ctx, a, id, ActionCoordinate, "report.transition", func(tx Tx, r *Report, _ Access) error {
		f := &Facts{Report: r, Reason: strings.TrimSpace(in.Reason)}
		if err := fillFacts(tx, f); err != nil {
			return err
		}
		if err := CheckTransition(f, in.To); err != nil {
			return err
		}
		t, _ := FindTransition(r.Status, in.To)
		r.Status = in.To
		if t.MakesPublic {
			r.Hardening = r.Hardening || in.Hardening
			makePublic(r)
		}
		return nil
	})
}

// makePublic ends the embargo of r: public, and the reminder taken off.
func makePublic(r *Report) {
	r.Visibility = Public
	removeReminder(r)
}

// MakePublic ends the embargo of a report now, for a reason the coordinator
// gives (the report leaked, or is better solved in the open).
func (s *Service) MakePublic(ctx context.Context, a Actor, id int64, reason string) (*ReportView, error) {
	reason = strings.TrimSpace(reason)
	if err := checkText("reason", reason, MaxReasonLen, true); err != nil {
		return nil, err
	}
	return s.change(ctx, a, id, ActionCoordinate, "report.publicize", func(tx Tx, r *Report, _ Access) error {
		if r.Visibility == Public {
			return &Error{Code: ECONFLICT, Field: "visibility", Message: "the report is already public"}
		}
		makePublic(r)
		// An embargo ended early is a disclosure too: the approved fixes
		// are pushed as at the hour (service_push.go).
		return s.enqueuePushes(tx, r, s.now())
	})
}

// Classify sets the taxonomy class of a report ("" clears it).
func (s *Service) Classify(ctx context.Context, a Actor, id int64, class string) (*ReportView, error) {
	c, err := ParseClass("class", class)
	if err != nil {
		return nil, err
	}
	return s.change(ctx, a, id, ActionCoordinate, "report.classify", func(_ Tx, r *Report, _ Access) error {
		r.Class = c
		return nil
	})
}

// Assign makes a VMT member of the report's project its coordinator; 0
// leaves the report unassigned.
func (s *Service) Assign(ctx context.Context, a Actor, id, userID int64) (*ReportView, error) {
	return s.change(ctx, a, id, ActionCoordinate, "report.assign", func(tx Tx, r *Report, _ Access) error {
		if userID != 0 {
			m, err := tx.Member(r.ProjectID, userID)
			if ErrorCode(err) == ENOTFOUND || err == nil && m.Role != MemberVMT {
				return Invalid("coordinator_id", "user %d is not a VMT member of the report's project", userID)
			} else if err != nil {
				return err
			}
		}
		r.CoordinatorID = userID
		return nil
	})
}

// RecordCVERequest notes that a CVE was requested for the report, which the
// move to In Progress requires.
func (s *Service) RecordCVERequest(ctx context.Context, a Actor, id int64) (*ReportView, error) {
	return s.change(ctx, a, id, ActionCoordinate, "report.cve_request", func(_ Tx, r *Report, _ Access) error {
		if r.CVERequestedAt != nil {
			return &Error{Code: ECONFLICT, Field: "cve_requested_at", Message: "a CVE request is already recorded"}
		}
		t := s.now()
		r.CVERequestedAt = &t
		return nil
	})
}
