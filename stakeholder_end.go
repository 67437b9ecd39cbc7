package vmt

import (
	"encoding/json"
)

// StandingGrants returns the accounts whose access to a report, read from
// its audit events evs, stands on a grant made through stakeholder id:
// the last event on their access is that grant.
func StandingGrants(evs []*AuditEvent, id int64) []int64 {
	last := map[int64]int64{} // account: stakeholder of its last grant, 0 for another kind of access or none
	var order []int64
	for _, e := range evs {
		var x struct {
			UserID        int64 `json:"user_id"`
			StakeholderID int64 `json:"stakeholder_id"`
		}
		switch e.Action {
		case AuditReportGrant, AuditSubscriptionAdd:
			_ = json.Unmarshal(e.After, &x)
		case AuditReportGrantRevoke, AuditSubscriptionRemove:
			_ = json.Unmarshal(e.Before, &x)
			x.StakeholderID = 0
		default:
			continue
		}
		if e.Action == AuditSubscriptionAdd {
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
