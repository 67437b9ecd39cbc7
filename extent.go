package vmt

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ExtentEntry says that someone could see a report from Since (until Until,
// when the access ended) and who let them in.
type ExtentEntry struct {
	Who       string     `json:"who"` // "user", "admins", "everyone" or "mail"
	UserID    int64      `json:"user_id,omitempty"`
	Reason    string     `json:"reason"` // reporter, vmt member, subscribed, administrator, public, mailed
	Since     time.Time  `json:"since"`
	Until     *time.Time `json:"until,omitempty"`
	GrantedBy int64      `json:"granted_by"` // 0: the process itself
	// Mail is, for Who "mail", the mail that told an address of the
	// report's private content (MailExtent).
	Mail *ExtentMail `json:"mail,omitempty"`
}

// ExtentMail is one address a mail carrying a report's private content
// was sent to: the notice, and any other mail kind that is not declared
// free of it (CarriesPrivate).
type ExtentMail struct {
	Kind         string `json:"kind"`      // the outbox kind: notice, …
	Recipient    string `json:"recipient"` // "stakeholder:3", "list:linux-distros"
	Organisation string `json:"organisation,omitempty"`
	// Address is where it went; "" when the reader may not see the
	// registry's addresses (Withheld: the reporter reads the extent too).
	Address     string `json:"address"`
	Fingerprint string `json:"fingerprint,omitempty"` // of the key it was encrypted to
	Encrypted   bool   `json:"encrypted"`
	// State is the mail's: delivered (Since is when), pending (Since is
	// when it was written; it goes out at the list's window or the
	// worker's next round) or failed (a relay may still have passed it
	// on: it is kept).
	State    string `json:"state"`
	Withheld bool   `json:"address_withheld,omitempty"`
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
	// ExtentMailed is an address that a mail carrying the report's
	// private content was sent to.
	ExtentMailed = "mailed"
)

// CarriesPrivate reports whether mails of kind carry a report's private
// content, so that their addresses belong in its extent. Every mail kind
// does unless it is declared here as carrying none: the reminders and
// escalations (timerNotice writes only the number and the status), the
// address proofs and invitations (no report), and the announcements
// (sent when the advisory is published, with the report public), and the
// notifications that name only a report's number (KindNotificationLink).
// A new mail kind is counted until it is shown to carry nothing private.
func CarriesPrivate(kind string) bool {
	switch kind {
	case KindReminder, KindEscalation, KindEmailProof, KindInvite, KindPublicationMail, KindNotificationLink:
		return false
	}
	return IsMailKind(kind) || kind == KindNotice
}

// MailExtent is the part of a report's extent that mail made: one entry
// per address of every outbox item of the report whose kind carries its
// private content, with when, the key and whether it was encrypted. It is
// read from the items, written in the transaction that decided to send
// them, so it is what was sent, whatever the registry says later.
func MailExtent(items []*OutboxItem) ([]ExtentEntry, error) {
	var out []ExtentEntry
	for _, o := range items {
		if !CarriesPrivate(o.Kind) {
			continue
		}
		var m NoticeMail
		if err := json.Unmarshal(o.Payload, &m); err != nil {
			return nil, fmt.Errorf("outbox %s: payload: %w", o.Key, err)
		}
		since, state := o.CreatedAt, string(o.State)
		if o.State == OutboxDone && o.DoneAt != nil {
			since, state = *o.DoneAt, "delivered"
		}
		rec := m.RecipientAt(since)
		for _, addr := range m.To {
			out = append(out, ExtentEntry{Who: "mail", Reason: ExtentMailed, Since: since, Mail: &ExtentMail{
				Kind: o.Kind, Recipient: m.Recipient, Organisation: m.Organisation, Address: addr,
				Fingerprint: rec.Fingerprint, Encrypted: rec.Encrypted, State: state}})
		}
	}
	return out, nil
}

// WithholdAddresses returns the extent with the mail addresses left out,
// for a reader who may not see the registry (the reporter): the
// organisation or list, when and how stay.
func WithholdAddresses(ex []ExtentEntry) []ExtentEntry {
	out := make([]ExtentEntry, len(ex))
	for i, e := range ex {
		if e.Mail != nil {
			m := *e.Mail
			m.Address, m.Withheld = "", true
			e.Mail = &m
		}
		out[i] = e
	}
	return out
}

// extentActions are the actions whose events can grant or end access to a
// report, as DisclosureExtent reads them.
var extentActions = []string{AuditReportCreate, AuditMemberSet, AuditMemberRemove, AuditSubscriptionAdd,
	AuditSubscriptionRemove, AuditReportGrant, AuditReportGrantRevoke}

// ExtentActions returns the actions whose events can grant or end access
// to a report (with the events that make it public, PublicMark).
func ExtentActions() []string { return slices.Clone(extentActions) }

// PublicMark is what the snapshot of a change that makes a report public
// holds, as AuditSnapshot encodes it: whatever the action, DisclosureExtent
// reads it as the report going public.
const PublicMark = `"visibility":"public"`

// ExtentReads says whether DisclosureExtent reads e: a store that keeps
// only these events for it (AuditFilter.Extent) gives the same extent
// from a fraction of a long history, mostly comments and edits.
func ExtentReads(e *AuditEvent) bool {
	return slices.Contains(extentActions, e.Action) || strings.Contains(string(e.After), PublicMark)
}

// DisclosureExtent derives who could see report r from the audit log: the
// report's own events and the membership events of its project, in sequence
// order (all of them, or those ExtentReads keeps). It is derived, never
// stored, so it cannot disagree with the log.
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
