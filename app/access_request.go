package app

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/vmtproject/vmt"
)

// RequestAccess records that the actor's stakeholder asks to read a report.
// Only the account of a stakeholder that the notice of this private report
// went to may ask; to anyone else the report does not exist (ENOTFOUND),
// so the route reveals nothing that the notice did not. An account that
// can already read it, or has a request pending, is ECONFLICT. The request
// is an audit event (vmt.AuditReportAccessRequest), which the VMT reads through
// AccessRequests.
func (s *Service) RequestAccess(ctx context.Context, a vmt.Actor, reportID int64, note string) (*vmt.AccessRequest, error) {
	note = strings.TrimSpace(note)
	if err := vmt.CheckText("note", note, vmt.MaxAccessNoteLen, false); err != nil {
		return nil, err
	}
	if err := vmt.RequireAuth(a); err != nil {
		return nil, err
	}
	var req *vmt.AccessRequest
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, g, k, err := s.toldOf(tx, a, reportID)
		if err != nil {
			return err
		}
		if vmt.AccessOf(a, r, g).CanView(r) {
			return &vmt.Error{Code: vmt.ECONFLICT, Message: "you can already read this report"}
		}
		own, err := ownRequest(tx, r.ID, a.ID())
		if err != nil {
			return err
		}
		if own.Pending != nil {
			return &vmt.Error{Code: vmt.ECONFLICT, Message: "your request is already with the VMT"}
		}
		if d := own.Declined; d != nil && s.now().Before(d.AskAgainAfter) {
			msg := "the VMT declined your request on " + d.At.UTC().Format("2006-01-02 15:04 UTC")
			if d.Reason != "" {
				msg += " (" + d.Reason + ")"
			}
			return &vmt.Error{Code: vmt.ECONFLICT, Message: msg + "; you may ask again after " + d.AskAgainAfter.UTC().Format("2006-01-02 15:04 UTC")}
		}
		req = &vmt.AccessRequest{ReportID: r.ID, UserID: a.ID(), StakeholderID: k.ID, Organisation: k.Organisation, Note: note, At: s.now()}
		return s.audit(tx, a, vmt.AuditReportAccessRequest, r.ProjectID, r.ID, subject("report", r.ID), nil, req)
	})
	return req, err
}

// AccessRequests returns the pending access requests of a report, oldest
// first: those not followed by a grant, a decline or a revocation for the same
// account. The report's VMT only.
func (s *Service) AccessRequests(ctx context.Context, a vmt.Actor, reportID int64) ([]*vmt.AccessRequest, error) {
	var out []*vmt.AccessRequest
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		out, err = pendingRequests(tx, r.ID)
		return err
	})
	return out, err
}

// pendingRequests reads the requests of a report from its audit events.
func pendingRequests(tx vmt.Tx, reportID int64) ([]*vmt.AccessRequest, error) {
	evs, err := tx.AuditEvents(vmt.AuditFilter{ReportID: reportID})
	if err != nil {
		return nil, err
	}
	return pendingIn(evs)
}

// pendingIn is pendingRequests over a report's audit events evs.
func pendingIn(evs []*vmt.AuditEvent) ([]*vmt.AccessRequest, error) {
	open := map[int64]*vmt.AccessRequest{}
	var order []int64
	for _, e := range evs {
		switch e.Action {
		case vmt.AuditReportAccessRequest:
			q := &vmt.AccessRequest{}
			if err := json.Unmarshal(e.After, q); err != nil {
				return nil, err
			}
			if _, ok := open[q.UserID]; !ok {
				order = append(order, q.UserID)
			}
			open[q.UserID] = q
		case vmt.AuditReportGrant, vmt.AuditSubscriptionAdd:
			var x struct {
				UserID int64 `json:"user_id"`
			}
			_ = json.Unmarshal(e.After, &x)
			delete(open, x.UserID)
		case vmt.AuditReportAccessDecline:
			var x struct {
				UserID int64 `json:"user_id"`
			}
			_ = json.Unmarshal(e.After, &x)
			delete(open, x.UserID)
		case vmt.AuditReportGrantRevoke, vmt.AuditSubscriptionRemove:
			var x struct {
				UserID int64 `json:"user_id"`
			}
			_ = json.Unmarshal(e.Before, &x)
			delete(open, x.UserID)
		}
	}
	out := []*vmt.AccessRequest{}
	for _, uid := range order {
		if q, ok := open[uid]; ok {
			out = append(out, q)
			delete(open, uid) // a user listed twice in order
		}
	}
	return out, nil
}
