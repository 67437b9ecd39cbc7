package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// After the notice, its recipients hold a date. When the date moves or
// the embargo ends early, each of them hears of it from vmt, signed and
// encrypted as the notice was, as the OpenSSF embargo template promises:
// nobody told is left with a stale date.

// MoveDisclosure moves the disclosure date of a report whose notice is
// out, for a reason, and tells every recipient of the notice. The
// reporter's requested date and the project's maximum hold as at the
// notice: a date other than the reporter's needs overrideReason
// (recorded, as SendNoticeWith's). The report's VMT only. Audited as
// vmt.AuditReportDisclosureMove.
func (s *Service) MoveDisclosure(ctx context.Context, a vmt.Actor, id int64, at time.Time, reason, overrideReason string) (*vmt.ReportView, error) {
	reason, overrideReason = strings.TrimSpace(reason), strings.TrimSpace(overrideReason)
	if err := vmt.CheckText("reason", reason, vmt.MaxReasonLen, true); err != nil {
		return nil, err
	}
	if err := vmt.CheckText("override_reason", overrideReason, vmt.MaxReasonLen, false); err != nil {
		return nil, err
	}
	at = at.UTC().Truncate(time.Microsecond)
	return s.change(ctx, a, id, vmt.ActionCoordinate, vmt.AuditReportDisclosureMove, func(tx vmt.Tx, r *vmt.Report, _ vmt.Access) error {
		now := s.now()
		switch {
		case r.Visibility != vmt.Private:
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "visibility", Message: "the report is public: its embargo is over"}
		case r.NoticeSentAt == nil || r.DisclosureAt == nil:
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "disclosure_at", Message: "the notice has not gone out: its date is set when it is sent"}
		case !at.After(now):
			return vmt.Invalid("disclosure_at", "%s is not in the future: to end the embargo now, make the report public", at.Format(time.RFC3339))
		case at.Equal(*r.DisclosureAt):
			return vmt.Invalid("disclosure_at", "the disclosure is already at %s", at.Format(time.RFC3339))
		}
		set, err := s.settings(tx, r.ProjectID)
		if err != nil {
			return err
		}
		if set.BeyondMaximum(at, *r.NoticeSentAt) {
			return vmt.Invalid("disclosure_at", "%s is more than %d days after the notice, the project's maximum", at.Format(time.RFC3339), set.MaxEmbargoDays)
		}
		if req := r.RequestedDisclosureAt; req != nil && !req.Equal(at) {
			if overrideReason == "" {
				return &vmt.Error{Code: vmt.ECONFLICT, Field: "override_reason", Message: "the reporter asked for " +
					req.UTC().Format(time.RFC3339) + ": agree on the new date with them, or override their terms with a reason"}
			}
			r.TermsOverride = &vmt.TermsOverride{Reason: overrideReason, By: a.ID(), At: now, Requested: *req, Used: at}
			if err := s.audit(tx, a, vmt.AuditReportTermsOverride, r.ProjectID, r.ID, subject("report", r.ID), nil, r.TermsOverride); err != nil {
				return err
			}
		}
		from := *r.DisclosureAt
		r.DisclosureAt = &at
		body := fmt.Sprintf("The disclosure date of this embargoed report has moved\nfrom %s\n  to %s.\n\nWhy: %s\n\n"+
			"The embargo holds until the new date: keep the report and its patches private until then.\n",
			from.UTC().Format("Monday 2006-01-02 15:04 UTC"), at.Format("Monday 2006-01-02 15:04 UTC"), reason)
		return s.noticeUpdate(tx, a, r, "The disclosure date has moved", body, now)
	})
}

// discloseEarly is what ending the embargo of r early does beyond making
// it public, the same steps as the disclosure hour (DiscloseDue): its
// final documents are published, the publication notice for CVE is
// prepared, the date becomes now, and everyone the notice told hears
// that the embargo has ended and why. The pushes are the caller's.
func (s *Service) discloseEarly(tx vmt.Tx, a vmt.Actor, r *vmt.Report, reason string, now time.Time) error {
	if err := s.publishDisclosed(tx, r, now); err != nil {
		return err
	}
	if r.NoticeSentAt == nil {
		return nil // nobody downstream holds a date
	}
	r.DisclosureAt = &now
	notice := map[string]string{}
	if text, err := s.prepareNotice(tx, r); err != nil {
		notice["error"] = err.Error()
	} else {
		notice["publication_notice"] = text
	}
	if err := s.audit(tx, a, vmt.AuditReportPublicationNotice, r.ProjectID, r.ID, subject("report", r.ID), nil, notice); err != nil {
		return err
	}
	body := fmt.Sprintf("The embargo of this report has ended early, on %s.\n\nWhy: %s\n\n"+
		"The report is public now, and so is its advisory where it was final.\n", now.UTC().Format("Monday 2006-01-02 15:04 UTC"), reason)
	return s.noticeUpdate(tx, a, r, "The embargo has ended", body, now)
}

// noticeUpdate sends body to every recipient of r's notice (the notice's
// own outbox items: who was told, whatever the registry says now), signed
// and encrypted as their notice, with the notice's subject after what;
// a notice mail still waiting in the outbox (a list's window) is
// rescheduled for the date as it is now, and its follow-up goes with it.
func (s *Service) noticeUpdate(tx vmt.Tx, a vmt.Actor, r *vmt.Report, what, body string, now time.Time) error {
	items, err := tx.OutboxItems(r.ID)
	if err != nil {
		return err
	}
	var told []string
	for _, o := range items {
		if o.Kind != vmt.KindNotice || o.State == vmt.OutboxFailed {
			continue
		}
		var m vmt.NoticeMail
		if err := json.Unmarshal(o.Payload, &m); err != nil {
			return fmt.Errorf("outbox %s: %w", o.Key, err)
		}
		u := m
		u.Subject, u.Body, u.Attachments, u.Disclosure = what+": "+m.Subject, body, nil, *r.DisclosureAt
		send := noticeSendAt(u, now)
		if o.State == vmt.OutboxPending && !o.NextAttempt.Equal(send) {
			o.NextAttempt = send
			if err := tx.UpdateOutbox(o); err != nil {
				return err
			}
		}
		key := fmt.Sprintf("notice-update:%d:%s:%d", r.ID, m.Recipient, now.UnixMicro())
		if err := enqueueJSONAt(tx, key, vmt.KindNoticeUpdate, r.ID, u, send, now); err != nil {
			return err
		}
		told = append(told, m.Recipient)
	}
	return s.audit(tx, a, vmt.AuditReportNoticeUpdate, r.ProjectID, r.ID, subject("report", r.ID), nil,
		map[string]any{"what": what, "recipients": orEmpty(told), "disclosure_at": r.DisclosureAt})
}
