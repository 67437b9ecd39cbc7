package vmt

import (
	"encoding/json"
	"strings"
)

// endLapsed ends what the accounts of stakeholder old held through it and
// may no longer hold, now that the entry is changed to k (nil: deleted):
// each standing grant made through it is revoked ("report.grant_revoke")
// and each access request filed as it and still pending is closed
// ("report.access_decline", with the reason and no wait before asking
// again), one audit event each, in the caller's transaction. An account
// keeps what it has if it still belongs to k and k still serves the
// report's project. Without this, an organisation taken out of the
// registry (or a contact taken out of an organisation) would keep reading
// the embargoed reports it was let into, and its requests would stay in
// the VMT's queue to be granted by routine.
func (s *Service) endLapsed(tx Tx, a Actor, old, k *Stakeholder) error {
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
// or an access request filed as, stakeholder id, in the order of the
// first such event.
func reportsThrough(tx Tx, id int64) ([]int64, error) {
	evs, err := tx.AuditEvents(AuditFilter{Actions: []string{"report.grant", "report.access_request"}})
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
	return out, nil
}

// endLapsedOn is endLapsed on one report.
func (s *Service) endLapsedOn(tx Tx, a Actor, old, k *Stakeholder, reportID int64) error {
	r, err := tx.Report(reportID)
	if err != nil {
		return err
	}
	p, err := tx.Project(r.ProjectID)
	if err != nil {
		return err
	}
	evs, err := tx.AuditEvents(AuditFilter{ReportID: r.ID})
	if err != nil {
		return err
	}
	why := lapseReason(old, k)
	for _, uid := range standingGrants(evs, old.ID) {
		if keep, err := stillOf(tx, uid, k, p.Name); err != nil {
			return err
		} else if keep {
			continue
		}
		if err := s.revokeLapsed(tx, a, r, old, uid, why); err != nil {
			return err
		}
	}
	pending, err := pendingIn(evs)
	if err != nil {
		return err
	}
	for _, q := range pending {
		if q.StakeholderID != old.ID {
			continue
		}
		if keep, err := stillOf(tx, q.UserID, k, p.Name); err != nil {
			return err
		} else if keep {
			continue
		}
		now := s.now()
		d := &AccessDecline{ReportID: r.ID, UserID: q.UserID, Reason: why, By: a.ID(), At: now, AskAgainAfter: now}
		if err := s.audit(tx, a, "report.access_decline", r.ProjectID, r.ID, subject("report", r.ID), q, d); err != nil {
			return err
		}
	}
	return nil
}

// revokeLapsed ends the grant of account uid to r made through stakeholder
// old, if its subscription still stands.
func (s *Service) revokeLapsed(tx Tx, a Actor, r *Report, old *Stakeholder, uid int64, why string) error {
	on, err := tx.Subscribed(r.ID, uid)
	if err != nil || !on {
		return err
	}
	if err := tx.Unsubscribe(r.ID, uid); err != nil {
		return err
	}
	return s.audit(tx, a, "report.grant_revoke", r.ProjectID, r.ID, subject("report", r.ID),
		map[string]any{"user_id": uid, "stakeholder_id": old.ID, "organisation": old.Organisation},
		map[string]any{"reason": why})
}

// standingGrants returns the accounts whose access to a report, read from
// its audit events evs, stands on a grant made through stakeholder id:
// the last event on their access is that grant.
func standingGrants(evs []*AuditEvent, id int64) []int64 {
	last := map[int64]int64{} // account: stakeholder of its last grant, 0 for another kind of access or none
	var order []int64
	for _, e := range evs {
		var x struct {
			UserID        int64 `json:"user_id"`
			StakeholderID int64 `json:"stakeholder_id"`
		}
		switch e.Action {
		case "report.grant", "subscription.add":
			_ = json.Unmarshal(e.After, &x)
		case "report.grant_revoke", "subscription.remove":
			_ = json.Unmarshal(e.Before, &x)
			x.StakeholderID = 0
		default:
			continue
		}
		if e.Action == "subscription.add" {
			x.StakeholderID = 0
		}
		if _, ok := last[x.UserID]; !ok {
			order = append(order, x.UserID)
		}
		last[x.UserID] = x.StakeholderID
	}
	var out []int64
	for _, uid := range order {
		if last[uid] == id {
			out = append(out, uid)
		}
	}
	return out
}

// stillOf reports whether account uid belongs to stakeholder k (nil: none)
// and k serves project: its proven address is one of k's contacts, or its
// application made k.
func stillOf(tx Tx, uid int64, k *Stakeholder, project string) (bool, error) {
	if k == nil || !k.receives(project) {
		return false, nil
	}
	u, err := tx.User(uid)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return false, nil
	case err != nil:
		return false, err
	case containsFold(k.Contacts, u.Email) && HoldsAddress(u, u.Email):
		return true, nil // the one rule by which an address carries rights
	}
	reqs, err := tx.StakeholderRequests(uid)
	if err != nil {
		return false, err
	}
	for _, q := range reqs {
		if q.State == RequestAccepted && q.StakeholderID == k.ID {
			return true, nil
		}
	}
	return false, nil
}

// lapseReason says why a grant or a request through old ended.
func lapseReason(old, k *Stakeholder) string {
	if k == nil {
		return "the stakeholder " + old.Organisation + " was removed from the registry"
	}
	return "the account is no longer of the stakeholder " + strings.TrimSpace(k.Organisation) +
		" for this project in the registry"
}
