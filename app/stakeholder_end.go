package app

import (
	"encoding/json"
	"strings"

	"github.com/vmtproject/vmt"
)

// endLapsed ends what the accounts of stakeholder old held through it and
// may no longer hold, now that the entry is changed to k (nil: deleted):
// each standing grant made through it is revoked (vmt.AuditReportGrantRevoke)
// and each access request filed as it and still pending is closed
// (vmt.AuditReportAccessDecline, with the reason and no wait before asking
// again), one audit event each, in the caller's transaction. An account
// keeps what it has if it still belongs to k and k still serves the
// report's project. Without this, an organisation taken out of the
// registry (or a contact taken out of an organisation) would keep reading
// the embargoed reports it was let into, and its requests would stay in
// the VMT's queue to be granted by routine.
func (s *Service) endLapsed(tx vmt.Tx, a vmt.Actor, old, k *vmt.Stakeholder) error {
	ids, err := reportsThrough(tx, old.ID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := s.endLapsedOn(tx, a, old, k, id); err != nil {
			return err
		}
	}
	return nil
}

// reportsThrough returns the ids of the reports with a grant made through,
// or an access request pending as, stakeholder id, in the order of the
// first grant, then of the requests.
func reportsThrough(tx vmt.Tx, id int64) ([]int64, error) {
	evs, err := tx.AuditEvents(vmt.AuditFilter{Actions: []string{vmt.AuditReportGrant}})
	if err != nil {
		return nil, err
	}
	var out []int64
	seen := map[int64]bool{}
	for _, e := range evs {
		var x struct {
			StakeholderID int64 `json:"stakeholder_id"`
		}
		if json.Unmarshal(e.After, &x) != nil || x.StakeholderID != id || seen[e.ReportID] {
			continue
		}
		seen[e.ReportID] = true
		out = append(out, e.ReportID)
	}
	pending, err := pendingRequests(tx, vmt.AccessRequestFilter{StakeholderID: id})
	if err != nil {
		return nil, err
	}
	for _, q := range pending {
		if !seen[q.ReportID] {
			seen[q.ReportID] = true
			out = append(out, q.ReportID)
		}
	}
	return out, nil
}

// endLapsedOn is endLapsed on one report.
func (s *Service) endLapsedOn(tx vmt.Tx, a vmt.Actor, old, k *vmt.Stakeholder, reportID int64) error {
	r, err := tx.Report(reportID)
	if err != nil {
		return err
	}
	p, err := tx.Project(r.ProjectID)
	if err != nil {
		return err
	}
	evs, err := tx.AuditEvents(vmt.AuditFilter{ReportID: r.ID})
	if err != nil {
		return err
	}
	why := lapseReason(old, k)
	for _, uid := range vmt.StandingGrants(evs, old.ID) {
		if keep, err := stillOf(tx, uid, k, p.Name); err != nil {
			return err
		} else if keep {
			continue
		}
		if err := s.revokeLapsed(tx, a, r, old, uid, why); err != nil {
			return err
		}
	}
	pending, err := pendingRequests(tx, vmt.AccessRequestFilter{ReportID: r.ID, StakeholderID: old.ID})
	if err != nil {
		return err
	}
	for _, q := range pending {
		if keep, err := stillOf(tx, q.UserID, k, p.Name); err != nil {
			return err
		} else if keep {
			continue
		}
		now := s.now()
		d := &vmt.AccessDecline{ReportID: r.ID, UserID: q.UserID, Reason: why, By: a.ID(), At: now, AskAgainAfter: now}
		if err := tx.DeclineAccessRequest(d); err != nil {
			return err
		}
		if err := s.audit(tx, a, vmt.AuditReportAccessDecline, r.ProjectID, r.ID, subject("report", r.ID), q, d); err != nil {
			return err
		}
	}
	return nil
}

// revokeLapsed ends the grant of account uid to r made through stakeholder
// old, if its subscription still stands.
func (s *Service) revokeLapsed(tx vmt.Tx, a vmt.Actor, r *vmt.Report, old *vmt.Stakeholder, uid int64, why string) error {
	on, err := tx.Subscribed(r.ID, uid)
	if err != nil || !on {
		return err
	}
	if err := tx.Unsubscribe(r.ID, uid); err != nil {
		return err
	}
	if err := s.subscribersChanged(tx, r); err != nil {
		return err
	}
	return s.audit(tx, a, vmt.AuditReportGrantRevoke, r.ProjectID, r.ID, subject("report", r.ID),
		map[string]any{"user_id": uid, "stakeholder_id": old.ID, "organisation": old.Organisation},
		map[string]any{"reason": why})
}

// stillOf reports whether account uid belongs to stakeholder k (nil: none)
// and k serves project: its proven address is one of k's contacts, or its
// application made k.
func stillOf(tx vmt.Tx, uid int64, k *vmt.Stakeholder, project string) (bool, error) {
	if k == nil || !k.Receives(project) {
		return false, nil
	}
	u, err := tx.User(uid)
	switch {
	case vmt.ErrorCode(err) == vmt.ENOTFOUND:
		return false, nil
	case err != nil:
		return false, err
	case containsFold(k.Contacts, u.Email) && vmt.HoldsAddress(u, u.Email):
		return true, nil // the one rule by which an address carries rights
	}
	reqs, err := tx.StakeholderRequests(uid)
	if err != nil {
		return false, err
	}
	for _, q := range reqs {
		if q.State == vmt.RequestAccepted && q.StakeholderID == k.ID {
			return true, nil
		}
	}
	return false, nil
}

// lapseReason says why a grant or a request through old ended.
func lapseReason(old, k *vmt.Stakeholder) string {
	if k == nil {
		return "the stakeholder " + old.Organisation + " was removed from the registry"
	}
	return "the account is no longer of the stakeholder " + strings.TrimSpace(k.Organisation) +
		" for this project in the registry"
}
