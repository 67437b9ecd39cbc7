package vmt

import (
	"encoding/json"
	"time"
)

// ExtentEntry says that someone could see a report from Since (until Until,
// when the access ended) and who let them in.
type ExtentEntry struct {
	Who       string     `json:"who"` // "user", "admins" or "everyone"
	UserID    int64      `json:"user_id,omitempty"`
	Reason    string     `json:"reason"` // reporter, vmt member, subscribed, administrator, public
	Since     time.Time  `json:"since"`
	Until     *time.Time `json:"until,omitempty"`
	GrantedBy int64      `json:"granted_by"` // 0: the process itself
}

// The reasons of an extent entry.
const (
	ExtentReporter   = "reporter"
	ExtentVMT        = "vmt member"
	ExtentSubscribed = "subscribed"
	ExtentAdmin      = "administrator"
	ExtentPublic     = "public"
	// ExtentStakeholder is a downstream stakeholder's account let in
	// after the notice (Service.GrantStakeholder).
	ExtentStakeholder = "stakeholder"
)

// DisclosureExtent derives who could see report r from the audit log: the
// report's own events and the membership events of its project, in sequence
// order. It is derived, never stored, so it cannot disagree with the log.
func DisclosureExtent(r *Report, events []*AuditEvent) []ExtentEntry {
	var out []ExtentEntry
	open := map[string]int{} // reason/user -> index in out of the open entry
	grant := func(who string, uid int64, reason string, at time.Time, by int64) {
		k := reason + "/" + itoa(int(uid))
		if _, ok := open[k]; ok {
			return
		}
		if at.Before(r.CreatedAt) {
			at = r.CreatedAt
		}
		open[k] = len(out)
		out = append(out, ExtentEntry{Who: who, UserID: uid, Reason: reason, Since: at, GrantedBy: by})
	}
	revoke := func(uid int64, reason string, at time.Time) {
		k := reason + "/" + itoa(int(uid))
		if i, ok := open[k]; ok {
			if at.Before(r.CreatedAt) {
				// Access that ended before the report existed never was.
				out = append(out[:i], out[i+1:]...)
				reindex(open, i)
			} else {
				t := at
				out[i].Until = &t
			}
			delete(open, k)
		}
	}
	for _, e := range events {
		switch e.Action {
		case AuditCommentAdd, AuditOutboxDelivered, AuditOutboxFailed:
			// Neither grants nor ends access, and their snapshots
			// (a comment's body) hold no user, role or visibility:
			// not decoded, for they are most of a long history.
			continue
		}
		var after struct {
			UserID     int64      `json:"user_id"`
			Role       MemberRole `json:"role"`
			Visibility Visibility `json:"visibility"`
		}
		_ = json.Unmarshal(e.After, &after)
		var before struct {
			UserID int64      `json:"user_id"`
			Role   MemberRole `json:"role"`
		}
		_ = json.Unmarshal(e.Before, &before)
		switch {
		case e.Action == AuditReportCreate && e.ReportID == r.ID:
			grant("admins", 0, ExtentAdmin, e.At, 0)
			grant("user", r.ReporterID, ExtentReporter, e.At, e.ActorID)
		case e.Action == AuditMemberSet && e.ProjectID == r.ProjectID:
			if before.Role == MemberVMT && after.Role != MemberVMT {
				revoke(after.UserID, ExtentVMT, e.At)
			}
			if after.Role == MemberVMT {
				grant("user", after.UserID, ExtentVMT, e.At, e.ActorID)
			}
		case e.Action == AuditMemberRemove && e.ProjectID == r.ProjectID && before.Role == MemberVMT:
			revoke(before.UserID, ExtentVMT, e.At)
		case e.Action == AuditSubscriptionAdd && e.ReportID == r.ID:
			grant("user", after.UserID, ExtentSubscribed, e.At, e.ActorID)
		case e.Action == AuditSubscriptionRemove && e.ReportID == r.ID:
			// A grant is a subscription: ending it ends either.
			revoke(before.UserID, ExtentSubscribed, e.At)
			revoke(before.UserID, ExtentStakeholder, e.At)
		case e.Action == AuditReportGrant && e.ReportID == r.ID:
			grant("user", after.UserID, ExtentStakeholder, e.At, e.ActorID)
		case e.Action == AuditReportGrantRevoke && e.ReportID == r.ID:
			revoke(before.UserID, ExtentStakeholder, e.At)
			revoke(before.UserID, ExtentSubscribed, e.At)
		}
		if e.ReportID == r.ID && after.Visibility == Public {
			grant("everyone", 0, ExtentPublic, e.At, e.ActorID)
		}
	}
	return out
}

func reindex(open map[string]int, removed int) {
	for k, i := range open {
		if i > removed {
			open[k] = i - 1
		}
	}
}
