package app

import (
	"context"
	"encoding/json"
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
		pending, err := pendingRequests(tx, r.ID)
		if err != nil {
			return err
		}
		var req *vmt.AccessRequest
		for _, q := range pending {
			if q.UserID == userID {
				req = q
			}
		}
		if req == nil {
			return vmt.NotFound("access request")
		}
		now := s.now()
		d = &vmt.AccessDecline{ReportID: r.ID, UserID: userID, Reason: reason, By: a.ID(), At: now, AskAgainAfter: now.Add(vmt.AccessRetryAfter)}
		return s.audit(tx, a, vmt.AuditReportAccessDecline, r.ProjectID, r.ID, subject("report", r.ID), req, d)
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

// ownRequest reads one account's request and decline from the audit log:
// a decline counts only if no request came after it.
func ownRequest(tx vmt.Tx, reportID, userID int64) (*vmt.AccessRequestState, error) {
	evs, err := tx.AuditEvents(vmt.AuditFilter{ReportID: reportID})
	if err != nil {
		return nil, err
	}
	pending, err := pendingIn(evs)
	if err != nil {
		return nil, err
	}
	st := &vmt.AccessRequestState{}
	for _, q := range pending {
		if q.UserID == userID {
			st.Pending = q
			return st, nil
		}
	}
	for _, e := range evs {
		switch e.Action {
		case vmt.AuditReportAccessDecline:
			d := &vmt.AccessDecline{}
			if err := json.Unmarshal(e.After, d); err != nil {
				return nil, err
			}
			if d.UserID == userID {
				st.Declined = d
			}
		case vmt.AuditReportAccessRequest, vmt.AuditReportGrant, vmt.AuditSubscriptionAdd:
			var x struct {
				UserID int64 `json:"user_id"`
			}
			_ = json.Unmarshal(e.After, &x)
			if x.UserID == userID {
				st.Declined = nil
			}
		}
	}
	return st, nil
}
