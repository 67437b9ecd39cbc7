package app

import (
	"context"
	"strings"

	"github.com/vmtproject/vmt"
)

// withheldCredit stands for $CREDIT when the reporter asked that their
// credit never be disclosed: the impact description goes to stakeholders
// and into the CVE request.
const withheldCredit = "withheld at the reporter's request"

// Impact returns the impact description of a report and the approvals that
// hold for its current text. Whoever may see the report may see them,
// without what the reporter's marks withhold from them (the text's
// withheld values, the reporter's account) as the report's view.
func (s *Service) Impact(ctx context.Context, a vmt.Actor, id int64) (*vmt.ImpactState, error) {
	var st *vmt.ImpactState
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, g, err := tx.ReportFor(id, a.ID())
		if err != nil {
			return err
		}
		acc := vmt.AccessOf(a, r, g)
		if err := acc.Require(vmt.ActionView, r); err != nil {
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

func impactState(tx vmt.Tx, r *vmt.Report) (*vmt.ImpactState, error) {
	as, err := tx.ImpactApprovals(r.ID)
	if err != nil {
		return nil, err
	}
	st := &vmt.ImpactState{ReportID: r.ID, Text: r.ImpactDescription}
	st.SetApprovals(as)
	return st, nil
}

// DraftImpact writes the report's impact description from the project's
// impact-description template, filled from the report ($DESCRIPTION,
// $COMPONENTS, $AFFECTED_VERSIONS, $CREDIT). A report that already has a
// text keeps it unless replace is set: the draft is where the coordinator
// starts, not what they have since written. A missing field is EINVALID
// naming it. The report's VMT only; the change resets the approvals.
func (s *Service) DraftImpact(ctx context.Context, a vmt.Actor, id int64, replace bool) (*vmt.ReportView, error) {
	return s.change(ctx, a, id, vmt.ActionEdit, vmt.AuditReportImpactDraft, func(tx vmt.Tx, r *vmt.Report, _ vmt.Access) error {
		if r.ImpactDescription != "" && !replace {
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "impact_description",
				Message: "the report already has an impact description; ask to replace it"}
		}
		text, err := s.renderImpact(tx, r)
		if err != nil {
			return err
		}
		return s.setImpact(tx, a, r, text)
	})
}

// renderImpact is the impact description the project's template makes of
// r's record as it stands.
func (s *Service) renderImpact(tx vmt.Tx, r *vmt.Report) (string, error) {
	if s.deps.Texts.Impact == nil {
		return "", vmt.Errorf(vmt.EINVALID, "this instance cannot draft from templates")
	}
	p, err := tx.Project(r.ProjectID)
	if err != nil {
		return "", err
	}
	overrides, err := templateOverrides(tx, p.ID)
	if err != nil {
		return "", err
	}
	credit := r.Credit
	if contains(r.NeverDisclose, "credit") || contains(r.NeverDisclose, "reporter_identity") {
		credit = withheldCredit
	}
	text, err := s.deps.Texts.Impact(overrides, vmt.ImpactFacts{Report: r, Project: p, Credit: credit})
	if err != nil {
		return "", vmt.Invalid("impact_description", "%v", err)
	}
	return strings.TrimSpace(text) + "\n", nil
}

// followImpact brings r's impact description up to date with its record
// when it is still the draft the record as before made: the record is
// typed once and the text follows it (taking back the approvals of the
// old text, as any change of it does). A text a person has written or
// edited is theirs and stays; so does one the change itself sets.
func (s *Service) followImpact(tx vmt.Tx, a vmt.Actor, before, r *vmt.Report) error {
	if r.ImpactDescription == "" || r.ImpactDescription != before.ImpactDescription {
		return nil
	}
	was, err := s.renderImpact(tx, before)
	if err != nil || was != r.ImpactDescription {
		return nil // not the draft (or no draft can be made of it): theirs
	}
	is, err := s.renderImpact(tx, r)
	if err != nil {
		// The template cannot render the record as it now is (a field it
		// needs was emptied): the text stays, and a new draft names the
		// field. The change of the record itself is not refused.
		return nil
	}
	return s.setImpact(tx, a, r, is)
}

// setImpact changes the impact description of r and, when the text
// changes, takes back the approvals given to the old one (audited: who
// loses their approval is part of the record).
func (s *Service) setImpact(tx vmt.Tx, a vmt.Actor, r *vmt.Report, text string) error {
	if text == r.ImpactDescription {
		return nil
	}
	old, err := impactState(tx, r)
	if err != nil {
		return err
	}
	r.ImpactDescription = text
	if text != "" && r.Visibility == vmt.Private {
		// The committee approves the text: it must be able to read it.
		if _, err := s.subscribeCommittee(tx, a, r, s.now(), "impact_review"); err != nil {
			return err
		}
	}
	if text != "" {
		ref := "text:" + vmt.ImpactHash(text)[:16] + ":" + s.now().Format("20060102T150405.000000Z")
		if err := s.notify(tx, a, vmt.NotifyApprovalRequested, r, notifyOf{Ref: ref,
			Text: "The impact description waits for your approval:\n\n" + text}); err != nil {
			return err
		}
	}
	if old.Reporter == nil && old.Committee == nil {
		return nil
	}
	if err := tx.DeleteImpactApprovals(r.ID); err != nil {
		return err
	}
	return s.audit(tx, a, vmt.AuditReportImpactReset, r.ProjectID, r.ID, subject("report", r.ID), old, nil)
}

// ApproveImpact records the actor's approval of the report's impact
// description as it stands. The capacity comes from who the actor is: the
// report's reporter approves as the reporter; a member of the architecture
// committee (the committee account role, or the project's committee role)
// who may see the report approves for the committee. Anyone else who may
// see the report is EFORBIDDEN; to anyone who may not, it does not exist.
func (s *Service) ApproveImpact(ctx context.Context, a vmt.Actor, id int64) (*vmt.ImpactState, error) {
	var st *vmt.ImpactState
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, g, err := tx.ReportFor(id, a.ID())
		if err != nil {
			return err
		}
		acc := vmt.AccessOf(a, r, g)
		if err := acc.Require(vmt.ActionView, r); err != nil {
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
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "impact_description", Message: "there is no impact description to approve yet"}
		}
		if (who == vmt.ApproverReporter && st.Reporter != nil) || (who == vmt.ApproverCommittee && st.Committee != nil) {
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "approval", Message: "this text is already approved by the " + string(who)}
		}
		ap := &vmt.ImpactApproval{ReportID: r.ID, Approver: who, UserID: a.ID(), TextHash: vmt.ImpactHash(st.Text), ApprovedAt: s.now()}
		if err := tx.SetImpactApproval(ap); err != nil {
			return err
		}
		st.SetApprovals([]*vmt.ImpactApproval{ap})
		w, err := withheldOf(tx, r)
		if err != nil {
			return err
		}
		st = acc.Withhold(w).Impact(st)
		if err := s.audit(tx, a, vmt.AuditReportImpactApprove, r.ProjectID, r.ID, subject("report", r.ID), nil, ap); err != nil {
			return err
		}
		ref := string(who) + ":" + ap.TextHash[:16] + ":" + ap.ApprovedAt.Format("20060102T150405.000000Z")
		if err := s.notify(tx, a, vmt.NotifyApprovalGiven, r, notifyOf{Ref: ref,
			Text: "The " + string(who) + " approved the impact description:\n\n" + st.Text}); err != nil {
			return err
		}
		return s.approvedToTriaged(tx, r)
	})
	return st, err
}

// approverOf is the capacity in which a approves, or why they may not. The
// reporter approves as such even when also on the committee: one person
// does not give both approvals.
func approverOf(a vmt.Actor, acc vmt.Access, g vmt.Grants) (vmt.Approver, error) {
	switch {
	case !acc.Authenticated:
		return "", vmt.Errorf(vmt.EUNAUTHENTICATED, "sign in to approve the impact description")
	case acc.Reporter:
		return vmt.ApproverReporter, nil
	case a.User.Role == vmt.RoleCommittee || g.MemberRole == vmt.MemberCommittee:
		return vmt.ApproverCommittee, nil
	}
	return "", vmt.Errorf(vmt.EFORBIDDEN, "only the reporter and the architecture committee approve the impact description")
}
