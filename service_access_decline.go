package vmt

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// AccessDecline is the VMT's answer "no" to a stakeholder's access
// request, with an optional reason that the requester reads.
type AccessDecline struct {
	ReportID int64     `json:"report_id"`
	UserID   int64     `json:"user_id"`
	Reason   string    `json:"reason,omitempty"`
	By       int64     `json:"by"`
	At       time.Time `json:"at"`
	// AskAgainAfter is when the requester may ask again.
	AskAgainAfter time.Time `json:"ask_again_after"`
}

// AccessRetryAfter is how long a declined account waits before asking
// again. A decline is not final: the stakeholder may have asked from the
// wrong account or without saying why, and circumstances change during an
// embargo. But the request lands in the VMT's queue, so an immediate
// retry would only make "decline" a button to press again and again. One
// day lets a corrected request through within an embargo of 3-5 business
// days; the VMT can grant at any time without a request.
const AccessRetryAfter = 24 * time.Hour

// AccessRequestState is what the requester sees of their own request.
type AccessRequestState struct {
	Pending  *AccessRequest `json:"pending,omitempty"`
	Declined *AccessDecline `json:"declined,omitempty"`
}

// DeclineAccess declines the pending access request of user on a report,
// for an optional reason. The report's VMT only; no pending request from
// that account is ENOTFOUND. Audited as "report.access_decline".
func (s *Service) DeclineAccess(ctx context.Context, a Actor, reportID, userID int64, reason string) (*AccessDecline, error) {
	reason = strings.TrimSpace(reason)
	if err := checkText("reason", reason, MaxAccessNoteLen, false); err != nil {
		return nil, err
	}
	var d *AccessDecline
	err := s.Store.Update(ctx, func(tx Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, ActionCoordinate)
		if err != nil {
			return err
		}
		pending, err := pendingRequests(tx, r.ID)
		if err != nil {
			return err
		}
		var req *AccessRequest
		for _, q := range pending {
			if q.UserID == userID {
				req = q
			}
		}
		if req == nil {
			return NotFound("access request")
		}
		now := s.now()
		d = &AccessDecline{ReportID: r.ID, UserID: userID, Reason: reason, By: a.ID(), At: now, AskAgainAfter: now.Add(AccessRetryAfter)}
		return s.audit(tx, a, "report.access_decline", r.ProjectID, r.ID, subject("report", r.ID), req, d)
	})
	return d, err
}

// OwnAccessRequest returns the actor's own request on a report: pending,
// or the last decline. To an account the notice did not go to the report
// does not exist (ENOTFOUND), as in RequestAccess.
func (s *Service) OwnAccessRequest(ctx context.Context, a Actor, reportID int64) (*AccessRequestState, error) {
	if err := requireAuth(a); err != nil {
		return nil, err
	}
	var st *AccessRequestState
	err := s.Store.View(ctx, func(tx Tx) error {
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
func (s *Service) toldOf(tx Tx, a Actor, reportID int64) (*Report, Grants, *Stakeholder, error) {
	r, g, err := tx.ReportFor(reportID, a.ID())
	if err != nil {
		return nil, g, nil, err
	}
	if r.Visibility != Private || r.NoticeSentAt == nil {
		return nil, g, nil, NotFound("report")
	}
	p, err := tx.Project(r.ProjectID)
	if err != nil {
		return nil, g, nil, err
	}
	k, err := toldStakeholder(tx, a.User, r, p.Name)
	if ErrorCode(err) == EINVALID {
		return nil, g, nil, NotFound("report") // not told of it: it does not exist for them
	} else if err != nil {
		return nil, g, nil, err
	}
	return r, g, k, nil
}

// ownRequest reads one account's request and decline from the audit log:
// a decline counts only if no request came after it.
func ownRequest(tx Tx, reportID, userID int64) (*AccessRequestState, error) {
	evs, err := tx.AuditEvents(AuditFilter{ReportID: reportID})
	if err != nil {
		return nil, err
	}
	pending, err := pendingIn(evs)
	if err != nil {
		return nil, err
	}
	st := &AccessRequestState{}
	for _, q := range pending {
		if q.UserID == userID {
			st.Pending = q
			return st, nil
		}
	}
	for _, e := range evs {
		switch e.Action {
		case "report.access_decline":
			d := &AccessDecline{}
			if err := json.Unmarshal(e.After, d); err != nil {
				return nil, err
			}
			if d.UserID == userID {
				st.Declined = d
			}
		case "report.access_request", "report.grant", "subscription.add":
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
