package vmt

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// AccessRequest is a stakeholder's account asking to read a report it was
// told of by the notice (PRODUCT.md: "a stakeholder replies or asks through
// the site; the VMT grants").
type AccessRequest struct {
	ReportID      int64     `json:"report_id"`
	UserID        int64     `json:"user_id"`
	StakeholderID int64     `json:"stakeholder_id"`
	Organisation  string    `json:"organisation"`
	Note          string    `json:"note,omitempty"`
	At            time.Time `json:"at"`
}

// MaxAccessNoteLen bounds the note of an access request.
const MaxAccessNoteLen = 1000

// RequestAccess records that the actor's stakeholder asks to read a report.
// Only the account of a stakeholder that the notice of this private report
// went to may ask; to anyone else the report does not exist (ENOTFOUND),
// so the route reveals nothing that the notice did not. An account that
// can already read it, or has a request pending, is ECONFLICT. The request
// is an audit event ("report.access_request"), which the VMT reads through
// AccessRequests.
func (s *Service) RequestAccess(ctx context.Context, a Actor, reportID int64, note string) (*AccessRequest, error) {
	note = strings.TrimSpace(note)
	if err := checkText("note", note, MaxAccessNoteLen, false); err != nil {
		return nil, err
	}
	if err := requireAuth(a); err != nil {
		return nil, err
	}
	var req *AccessRequest
	err := s.Store.Update(ctx, func(tx Tx) error {
		r, g, k, err := s.toldOf(tx, a, reportID)
		if err != nil {
			return err
		}
		if accessOf(a, r, g).CanView(r) {
			return &Error{Code: ECONFLICT, Message: "you can already read this report"}
		}
		own, err := ownRequest(tx, r.ID, a.ID())
		if err != nil {
			return err
		}
		if own.Pending != nil {
			return &Error{Code: ECONFLICT, Message: "your request is already with the VMT"}
		}
		if d := own.Declined; d != nil && s.now().Before(d.AskAgainAfter) {
			msg := "the VMT declined your request on " + d.At.UTC().Format("2006-01-02 15:04 UTC")
			if d.Reason != "" {
				msg += " (" + d.Reason + ")"
			}
			return &Error{Code: ECONFLICT, Message: msg + "; you may ask again after " + d.AskAgainAfter.UTC().Format("2006-01-02 15:04 UTC")}
		}
		req = &AccessRequest{ReportID: r.ID, UserID: a.ID(), StakeholderID: k.ID, Organisation: k.Organisation, Note: note, At: s.now()}
		return s.audit(tx, a, "report.access_request", r.ProjectID, r.ID, subject("report", r.ID), nil, req)
	})
	return req, err
}

// AccessRequests returns the pending access requests of a report, oldest
// first: those not followed by a grant, a decline or a revocation for the same
// account. The report's VMT only.
func (s *Service) AccessRequests(ctx context.Context, a Actor, reportID int64) ([]*AccessRequest, error) {
	var out []*AccessRequest
	err := s.Store.View(ctx, func(tx Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, ActionCoordinate)
		if err != nil {
			return err
		}
		out, err = pendingRequests(tx, r.ID)
		return err
	})
	return out, err
}

// pendingRequests reads the requests of a report from its audit events.
func pendingRequests(tx Tx, reportID int64) ([]*AccessRequest, error) {
	evs, err := tx.AuditEvents(AuditFilter{ReportID: reportID})
	if err != nil {
		return nil, err
	}
	return pendingIn(evs)
}

// pendingIn is pendingRequests over a report's audit events evs.
func pendingIn(evs []*AuditEvent) ([]*AccessRequest, error) {
	open := map[int64]*AccessRequest{}
	var order []int64
	for _, e := range evs {
		switch e.Action {
		case "report.access_request":
			q := &AccessRequest{}
			if err := json.Unmarshal(e.After, q); err != nil {
				return nil, err
			}
			if _, ok := open[q.UserID]; !ok {
				order = append(order, q.UserID)
			}
			open[q.UserID] = q
		case "report.grant", "subscription.add":
			var x struct {
				UserID int64 `json:"user_id"`
			}
			_ = json.Unmarshal(e.After, &x)
			delete(open, x.UserID)
		case "report.access_decline":
			var x struct {
				UserID int64 `json:"user_id"`
			}
			_ = json.Unmarshal(e.After, &x)
			delete(open, x.UserID)
		case "report.grant_revoke", "subscription.remove":
			var x struct {
				UserID int64 `json:"user_id"`
			}
			_ = json.Unmarshal(e.Before, &x)
			delete(open, x.UserID)
		}
	}
	out := []*AccessRequest{}
	for _, uid := range order {
		if q, ok := open[uid]; ok {
			out = append(out, q)
			delete(open, uid) // a user listed twice in order
		}
	}
	return out, nil
}
