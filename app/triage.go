package app

import (
	"context"
	"strings"

	"github.com/vmtproject/vmt"
)

// UpdateReport applies p. The VMT may change any field; the reporter only
// their disclosure terms and never-disclose marks. A newly recorded CVE id
// retitles the report "$TITLE ($CVE)", as the process asks.
func (s *Service) UpdateReport(ctx context.Context, a vmt.Actor, id int64, p vmt.ReportPatch) (*vmt.ReportView, error) {
	act := vmt.ActionEditTerms
	if p.StaffOnly() {
		act = vmt.ActionEdit
	}
	return s.change(ctx, a, id, act, vmt.AuditReportUpdate, func(tx vmt.Tx, r *vmt.Report, _ vmt.Access) error {
		if p.Title != nil {
			r.Title = strings.TrimSpace(*p.Title)
		}
		if p.Description != nil {
			// The reminder stays in front while the report is private,
			// whatever the new text.
			r.Description = r.Reminder + strings.TrimPrefix(*p.Description, r.Reminder)
		}
		if err := p.ApplyAffected(r); err != nil {
			return err
		}
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
			if err := vmt.CheckCVEs(*p.CVEs); err != nil {
				return err
			}
			r.Title = vmt.Retitle(r.Title, r.CVEs, *p.CVEs)
			before := r.CVEs
			setSlice(&r.CVEs, p.CVEs)
			if err := s.postCVEComment(tx, a, r, before); err != nil {
				return err
			}
		}
		return nil
	})
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

// Transition moves a report to another status if the table allows it and
// every guard holds, and carries out the move's side effects; with a
// class, it classifies the report first, in the same action (a refused
// move leaves the class as it was).
func (s *Service) Transition(ctx context.Context, a vmt.Actor, id int64, in vmt.TransitionInput) (*vmt.ReportView, error) {
	if err := vmt.CheckText("reason", in.Reason, vmt.MaxReasonLen, false); err != nil {
		return nil, err
	}
	if _, err := vmt.ParseStatus("to", string(in.To)); err != nil {
		return nil, err
	}
	var class vmt.Class
	if in.Class != "" {
		c, err := vmt.ParseClass("class", in.Class)
		if err != nil {
			return nil, err
		}
		class = c
	}
	return s.change(ctx, a, id, vmt.ActionCoordinate, vmt.AuditReportTransition, func(tx vmt.Tx, r *vmt.Report, _ vmt.Access) error {
		if class != "" {
			r.Class = class // in the move's audit event, before and after
		}
		return s.move(tx, a, r, in.To, in.Reason, in.Hardening)
	})
}

// MakePublic ends the embargo of a report now, for a reason the coordinator
// gives (the report leaked, or is better solved in the open).
func (s *Service) MakePublic(ctx context.Context, a vmt.Actor, id int64, reason string) (*vmt.ReportView, error) {
	reason = strings.TrimSpace(reason)
	if err := vmt.CheckText("reason", reason, vmt.MaxReasonLen, true); err != nil {
		return nil, err
	}
	return s.change(ctx, a, id, vmt.ActionCoordinate, vmt.AuditReportPublicize, func(tx vmt.Tx, r *vmt.Report, _ vmt.Access) error {
		if r.Visibility == vmt.Public {
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "visibility", Message: "the report is already public"}
		}
		now := s.now()
		vmt.MakePublic(r)
		// An embargo ended early is a disclosure too: the steps of the
		// hour, and those told hear of it (notice_update.go); the
		// approved fixes are pushed as at the hour (push.go).
		if err := s.discloseEarly(tx, a, r, reason, now); err != nil {
			return err
		}
		if err := s.discloseDuplicates(tx, a, r); err != nil {
			return err
		}
		return s.enqueuePushes(tx, r, now)
	})
}

// Classify sets the taxonomy class of a report ("" clears it).
func (s *Service) Classify(ctx context.Context, a vmt.Actor, id int64, class string) (*vmt.ReportView, error) {
	c, err := vmt.ParseClass("class", class)
	if err != nil {
		return nil, err
	}
	return s.change(ctx, a, id, vmt.ActionCoordinate, vmt.AuditReportClassify, func(_ vmt.Tx, r *vmt.Report, _ vmt.Access) error {
		r.Class = c
		return nil
	})
}

// Assign makes a VMT member of the report's project its coordinator; 0
// leaves the report unassigned.
func (s *Service) Assign(ctx context.Context, a vmt.Actor, id, userID int64) (*vmt.ReportView, error) {
	return s.change(ctx, a, id, vmt.ActionCoordinate, vmt.AuditReportAssign, func(tx vmt.Tx, r *vmt.Report, _ vmt.Access) error {
		if userID != 0 {
			m, err := tx.Member(r.ProjectID, userID)
			if vmt.ErrorCode(err) == vmt.ENOTFOUND || err == nil && m.Role != vmt.MemberVMT {
				return vmt.Invalid("coordinator_id", "user %d is not a VMT member of the report's project", userID)
			} else if err != nil {
				return err
			}
		}
		r.CoordinatorID = userID
		return nil
	})
}

// RecordCVERequest notes that a CVE was requested for the report, which the
// move to In Progress requires; a Triaged report moves on to In Progress
// with it (one action, as the process has it: "request the CVE").
func (s *Service) RecordCVERequest(ctx context.Context, a vmt.Actor, id int64) (*vmt.ReportView, error) {
	return s.change(ctx, a, id, vmt.ActionCoordinate, vmt.AuditReportCVERequest, func(tx vmt.Tx, r *vmt.Report, _ vmt.Access) error {
		return s.noteCVERequest(tx, a, r)
	})
}

// noteCVERequest records on r that its CVE was requested now, and moves a
// Triaged report on to In Progress: ECONFLICT when a request is recorded
// already. Whichever way the CVE is asked for (RecordCVERequest, or
// through GitHub, RequestForgeCVE).
func (s *Service) noteCVERequest(tx vmt.Tx, a vmt.Actor, r *vmt.Report) error {
	if r.CVERequestedAt != nil {
		return &vmt.Error{Code: vmt.ECONFLICT, Field: "cve_requested_at", Message: "a CVE request is already recorded"}
	}
	t := s.now()
	r.CVERequestedAt = &t
	if r.Status == vmt.StatusTriaged {
		return s.move(tx, a, r, vmt.StatusInProgress, "", false)
	}
	return nil
}
