package app

import (
	"context"
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
		if err := tx.CreateAccessRequest(&vmt.AccessRequestRecord{AccessRequest: *req}); err != nil {
			return err
		}
		if err := s.audit(tx, a, vmt.AuditReportAccessRequest, r.ProjectID, r.ID, subject("report", r.ID), nil, req); err != nil {
			return err
		}
		text := req.Organisation + " asks to read the report."
		if req.Note != "" {
			text += "\n\n" + req.Note
		}
		return s.notify(tx, a, vmt.NotifyAccessRequest, r, notifyOf{Ref: "user:" + itoa(int(a.ID())) + ":" + req.At.Format("20060102T150405.000000Z"), Text: text})
	})
	return req, err
}

// AccessRequests returns the pending access requests of a report, oldest
// first. The report's VMT only.
func (s *Service) AccessRequests(ctx context.Context, a vmt.Actor, reportID int64) ([]*vmt.AccessRequest, error) {
	var out []*vmt.AccessRequest
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		out, err = pendingRequests(tx, vmt.AccessRequestFilter{ReportID: r.ID})
		return err
	})
	return out, err
}

// pendingRequests returns the pending requests matching f.
func pendingRequests(tx vmt.Tx, f vmt.AccessRequestFilter) ([]*vmt.AccessRequest, error) {
	f.Status = vmt.AccessPending
	qs, err := tx.AccessRequests(f)
	if err != nil {
		return nil, err
	}
	out := make([]*vmt.AccessRequest, len(qs))
	for i, q := range qs {
		out[i] = &q.AccessRequest
	}
	return out, nil
}
