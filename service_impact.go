package vmt

import (
	"context"
	"strings"
)

// withheldCredit stands for $CREDIT when the reporter asked that their
// credit never be disclosed: the impact description goes to stakeholders
// and into the CVE request.
const withheldCredit = "withheld at the reporter's request"

// Impact returns the impact description of a report and the approvals that
// hold for its current text. Whoever may see the report may see them,
// without what the reporter's marks withhold from them (the text's
// withheld values, the reporter's account) as the report's view.
func (s *Service) Impact(ctx context.Context, a Actor, id int64) (*ImpactState, error) {
	var st *ImpactState
	err := s.Store.View(ctx, func(tx Tx) error {
		r, g, err := tx.ReportFor(id, a.ID())
		if err != nil {
			return err
		}
		acc := accessOf(a, r, g)
		if err := acc.Require(ActionView, r); err != nil {
			return err
		}
		if st, err = impactState(tx, r); err != nil {
			return err
		}
		if who, err := approverOf(a, acc, g); err == nil {
			st.YourCapacity = who
		}
		w, err := withheldOf(tx, r)
		if err != nil {
			return err
		}
		st = acc.Withhold(w).Impact(st)
		return nil
	})
	return st, err
}

func impactState(tx Tx, r *Report) (*ImpactState, error) {
	as, err := tx.ImpactApprovals(r.ID)
	if err != nil {
		return nil, err
	}
	st := &ImpactState{ReportID: r.ID, Text: r.ImpactDescription}
	st.setApprovals(as)
	return st, nil
}

// DraftImpact writes the report's impact description from the project's
// impact-description template, filled from the report ($DESCRIPTION,
// $COMPONENTS, $AFFECTED_VERSIONS, $CREDIT). A report that already has a
// text keeps it unless replace is set: the draft is where the coordinator
// starts, not what they have since written. A missing field is EINVALID
// naming it. The report's VMT only; the change resets the approvals.
func (s *Service) DraftImpact(ctx context.Context, a Actor, id int64, replace bool) (*ReportView, error) {
	return s.change(ctx, a, id, ActionEdit, "report.impact_draft", func(tx Tx, r *Report, _ Access) error {
		if s.Texts.Impact == nil {
			return Errorf(EINVALID, "this instance cannot draft from templates")
		}
		if r.ImpactDescription != "" && !replace {
			return &Error{Code: ECONFLICT, Field: "impact_description",
				Message: "the report already has an impact description; ask to replace it"}
		}
		p, err := tx.Project(r.ProjectID)
		if err != nil {
			return err
		}
		overrides, err := templateOverrides(tx, p.ID)
		if err != nil {
			return err
		}
		credit := r.Credit
		if contains(r.NeverDisclose, "credit") || contains(r.NeverDisclose, "reporter_identity") {
			credit = withheldCredit
		}
		text, err := s.Texts.Impact(overrides, ImpactFacts{Report: r, Project: p, Credit: credit})
		if err != nil {
			return Invalid("impact_description", "%v", err)
		}
		return s.setImpact(tx, a, r, strings.TrimSpace(text)+"\n")
	})
}

// setImpact changes the impact description of r and, when the text
// changes, takes back the approvals given to the old one (audited: who
// loses their approval is part of the record).
func (s *Service) setImpact(tx Tx, a Actor, r *Report, text string) error {
	if text == r.ImpactDescription {
		return nil
	}
	old, err := impactState(tx, r)
	if err != nil {
		return err
	}
	r.ImpactDescription = text
	if old.Reporter == nil && old.Committee == nil {
		return nil
	}
	if err := tx.DeleteImpactApprovals(r.ID); err != nil {
		return err
	}
	return s.audit(tx, a, "report.impact_reset", r.ProjectID, r.ID, subject("report", r.ID), old, nil)
}

// ApproveImpact records the actor's approval of the report's impact
// description as it stands. The capacity comes from who the actor is: the
// report's reporter approves as the reporter; a member of the architecture
// committee (the committee account role, or the project's committee role)
// who may see the report approves for the committee. Anyone else who may
// see the report is EFORBIDDEN; to anyone who may not, it does not exist.
func (s *Service) ApproveImpact(ctx context.Context, a Actor, id int64) (*ImpactState, error) {
	var st *ImpactState
	err := s.Store.Update(ctx, func(tx Tx) error {
		r, g, err := tx.ReportFor(id, a.ID())
		if err != nil {
			return err
		}
		acc := accessOf(a, r, g)
		if err := acc.Require(ActionView, r); err != nil {
			return err
		}
		who, err := approverOf(a, acc, g)
		if err != nil {
			return err
		}
		if st, err = impactState(tx, r); err != nil {
			return err
		}
		if st.Text == "" {
			return &Error{Code: ECONFLICT, Field: "impact_description", Message: "there is no impact description to approve yet"}
		}
		if (who == ApproverReporter && st.Reporter != nil) || (who == ApproverCommittee && st.Committee != nil) {
			return &Error{Code: ECONFLICT, Field: "approval", Message: "this text is already approved by the " + string(who)}
		}
		ap := &ImpactApproval{ReportID: r.ID, Approver: who, UserID: a.ID(), TextHash: ImpactHash(st.Text), ApprovedAt: s.now()}
		if err := tx.SetImpactApproval(ap); err != nil {
			return err
		}
		st.setApprovals([]*ImpactApproval{ap})
		w, err := withheldOf(tx, r)
		if err != nil {
			return err
		}
		st = acc.Withhold(w).Impact(st)
		return s.audit(tx, a, "report.impact_approve", r.ProjectID, r.ID, subject("report", r.ID), nil, ap)
	})
	return st, err
}

// approverOf is the capacity in which a approves, or why they may not. The
// reporter approves as such even when also on the committee: one person
// does not give both approvals.
func approverOf(a Actor, acc Access, g Grants) (Approver, error) {
	switch {
	case !acc.Authenticated:
		return "", Errorf(EUNAUTHENTICATED, "sign in to approve the impact description")
	case acc.Reporter:
		return ApproverReporter, nil
	case a.User.Role == RoleCommittee || g.MemberRole == MemberCommittee:
		return ApproverCommittee, nil
	}
	return "", Errorf(EFORBIDDEN, "only the reporter and the architecture committee approve the impact description")
}
