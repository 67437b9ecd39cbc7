package app

import (
	"context"

	"github.com/vmtproject/vmt"
)

// GrantStakeholder lets the account of a registered stakeholder read a
// private report, once the notice has told that stakeholder of it (VMT.md:
// "Once the email is sent ... we can also add downstream stakeholders").
// The account must belong to a stakeholder that this report's notice
// went to (toldStakeholder): its proven address is one the notice was sent
// to and still a contact, or its application was accepted. The grant is a subscription, so every read
// path lets the account in through the one access rule; it is audited as
// vmt.AuditReportGrant and shows in the disclosure extent as a stakeholder's.
// The report's VMT only.
func (s *Service) GrantStakeholder(ctx context.Context, a vmt.Actor, reportID int64, in vmt.GrantInput) (*vmt.Grant, error) {
	var g *vmt.Grant
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		switch {
		case r.Visibility != vmt.Private:
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "visibility", Message: "the report is public: everyone can read it"}
		case r.NoticeSentAt == nil:
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "notice_sent_at", Message: "stakeholders are let in after the notice has told them"}
		}
		u, err := tx.User(in.UserID)
		if vmt.ErrorCode(err) == vmt.ENOTFOUND {
			return vmt.Invalid("user_id", "no user has id %d", in.UserID)
		} else if err != nil {
			return err
		}
		if u.Disabled {
			return vmt.Invalid("user_id", "user %d is disabled", in.UserID)
		}
		p, err := tx.Project(r.ProjectID)
		if err != nil {
			return err
		}
		k, err := toldStakeholder(tx, u, r, p.Name)
		if err != nil {
			return err
		}
		// A grant answers the account's pending request, if it made one:
		// it is told so; else it is told it was let in.
		asked, err := pendingRequests(tx, vmt.AccessRequestFilter{ReportID: r.ID, UserID: u.ID})
		if err != nil {
			return err
		}
		sub := &vmt.Subscription{ReportID: r.ID, UserID: u.ID, GrantedBy: a.ID(), CreatedAt: s.now()}
		if err := tx.Subscribe(sub); err != nil {
			return err
		}
		if err := s.subscribersChanged(tx, r); err != nil {
			return err
		}
		g = &vmt.Grant{ReportID: r.ID, UserID: u.ID, StakeholderID: k.ID, Organisation: k.Organisation}
		if err := s.audit(tx, a, vmt.AuditReportGrant, r.ProjectID, r.ID, subject("report", r.ID), nil,
			map[string]any{"user_id": u.ID, "stakeholder_id": k.ID, "organisation": k.Organisation, "visibility": r.Visibility}); err != nil {
			return err
		}
		kind, text := vmt.NotifySubscribed, "You may now read the report, as a stakeholder of "+k.Organisation+".\n\n"+r.Description
		if len(asked) > 0 {
			kind, text = vmt.NotifyAccessAnswer, "Your request to read the report was granted.\n\n"+r.Description
		}
		return s.notify(tx, a, kind, r, notifyOf{Ref: subscribedRef(sub), Person: u, Text: text})
	})
	return g, err
}

// RevokeStakeholder ends a stakeholder's grant: the account no longer
// sees the private report. Audited as vmt.AuditReportGrantRevoke. ENOTFOUND
// when the account has no access by subscription.
func (s *Service) RevokeStakeholder(ctx context.Context, a vmt.Actor, reportID, userID int64) error {
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		if err := tx.Unsubscribe(r.ID, userID); err != nil {
			return err
		}
		if err := s.subscribersChanged(tx, r); err != nil {
			return err
		}
		return s.audit(tx, a, vmt.AuditReportGrantRevoke, r.ProjectID, r.ID, subject("report", r.ID),
			map[string]any{"user_id": userID}, nil)
	})
}

// toldStakeholder returns the stakeholder through which account u was
// told of report r by its notice (ToldStakeholder, policy.go), reading
// the registry, u's accepted applications and the notice's recorded
// recipients; an EINVALID error naming user_id if there is none.
func toldStakeholder(tx vmt.Tx, u *vmt.User, r *vmt.Report, project string) (*vmt.Stakeholder, error) {
	ks, err := tx.Stakeholders()
	if err != nil {
		return nil, err
	}
	reqs, err := tx.StakeholderRequests(u.ID)
	if err != nil {
		return nil, err
	}
	accepted := map[int64]bool{}
	for _, q := range reqs {
		if q.State == vmt.RequestAccepted && q.StakeholderID != 0 {
			accepted[q.StakeholderID] = true
		}
	}
	items, err := tx.OutboxItems(r.ID)
	if err != nil {
		return nil, err
	}
	told, err := vmt.NoticeRecipients(items)
	if err != nil {
		return nil, err
	}
	if k := vmt.ToldStakeholder(u, project, ks, accepted, told); k != nil {
		return k, nil
	}
	return nil, vmt.Invalid("user_id", "user %d is not the account of a stakeholder that the notice of report %d went to, "+
		"by an address it has proven or an application the VMT accepted", u.ID, r.ID)
}
