package app

import (
	"context"
	"strings"

	"github.com/vmtproject/vmt"
)

// DeclineAccess declines the pending access request of user on a report,
// for an optional reason. The report's VMT only; no pending request from
// that account is ENOTFOUND. Audited as vmt.AuditReportAccessDecline.
func (s *Service) DeclineAccess(ctx context.Context, a vmt.Actor, reportID, userID int64, reason string) (*vmt.AccessDecline, error) {
	reason = strings.TrimSpace(reason)
	if err := vmt.CheckText("reason", reason, vmt.MaxAccessNoteLen, false); err != nil {
		return nil, err
	}
	var d *vmt.AccessDecline
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		pending, err := pendingRequests(tx, vmt.AccessRequestFilter{ReportID: r.ID, UserID: userID})
		if err != nil {
			return err
		}
		if len(pending) == 0 {
			return vmt.NotFound("access request")
		}
		req := pending[0]
		now := s.now()
		d = &vmt.AccessDecline{ReportID: r.ID, UserID: userID, Reason: reason, By: a.ID(), At: now, AskAgainAfter: now.Add(vmt.AccessRetryAfter)}
		if err := tx.DeclineAccessRequest(d); err != nil {
			return err
		}
		if err := s.audit(tx, a, vmt.AuditReportAccessDecline, r.ProjectID, r.ID, subject("report", r.ID), req, d); err != nil {
			return err
		}
		u, err := tx.User(userID)
		if err != nil {
			return err
		}
		return s.notify(tx, a, vmt.NotifyAccessAnswer, r, notifyOf{Ref: "declined:" + itoa(int(userID)) + ":" + now.Format("20060102T150405.000000Z"), Person: u})
	})
	return d, err
}

// OwnAccessRequest returns the actor's own request on a report: pending,
// or the last decline. To an account the notice did not go to the report
// does not exist (ENOTFOUND), as in RequestAccess.
func (s *Service) OwnAccessRequest(ctx context.Context, a vmt.Actor, reportID int64) (*vmt.AccessRequestState, error) {
	if err := vmt.RequireAuth(a); err != nil {
		return nil, err
	}
	var st *vmt.AccessRequestState
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, _, _, err := s.toldOf(tx, a, reportID)
		if err != nil {
			return err
		}
		st, err = ownRequest(tx, r.ID, a.ID())
		return err
	})
	return st, err
}

// toldOf returns the report, the actor's grants to it and the actor's
// stakeholder if the report's notice told that stakeholder, at an address
// the actor has proven (toldStakeholder), and it is still private;
// ENOTFOUND otherwise, the same answer as for a report that does not
// exist, so that an unproven or untold account learns nothing.
func (s *Service) toldOf(tx vmt.Tx, a vmt.Actor, reportID int64) (*vmt.Report, vmt.Grants, *vmt.Stakeholder, error) {
	r, g, err := tx.ReportFor(reportID, a.ID())
	if err != nil {
		return nil, g, nil, err
	}
	if r.Visibility != vmt.Private || r.NoticeSentAt == nil {
		return nil, g, nil, vmt.NotFound("report")
	}
	p, err := tx.Project(r.ProjectID)
	if err != nil {
		return nil, g, nil, err
	}
	k, err := toldStakeholder(tx, a.User, r, p.Name)
	if vmt.ErrorCode(err) == vmt.EINVALID {
		return nil, g, nil, vmt.NotFound("report") // not told of it: it does not exist for them
	} else if err != nil {
		return nil, g, nil, err
	}
	return r, g, k, nil
}

// ownRequest reads one account's request on a report: its newest, pending
// or declined (a decline ends when the account asks again or is let in).
func ownRequest(tx vmt.Tx, reportID, userID int64) (*vmt.AccessRequestState, error) {
	qs, err := tx.AccessRequests(vmt.AccessRequestFilter{ReportID: reportID, UserID: userID})
	if err != nil {
		return nil, err
	}
	st := &vmt.AccessRequestState{}
	if len(qs) == 0 {
		return st, nil
	}
	switch q := qs[len(qs)-1]; q.Status {
	case vmt.AccessPending:
		st.Pending = &q.AccessRequest
	case vmt.AccessDeclined:
		st.Declined = q.Decline
	}
	return st, nil
}
