package app

import (
	"context"
	"regexp"
	"time"

	"github.com/vmtproject/vmt"
)

// Subscribe lets user userID see and follow a report. On a private report
// this grants access; the grant is audited and shows in the disclosure
// extent. Only the VMT subscribes people.
func (s *Service) Subscribe(ctx context.Context, a vmt.Actor, id, userID int64) (*vmt.Subscription, error) {
	var sub *vmt.Subscription
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, id, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		u, err := tx.User(userID)
		if vmt.ErrorCode(err) == vmt.ENOTFOUND {
			return vmt.Invalid("user_id", "no user has id %d", userID)
		} else if err != nil {
			return err
		}
		if u.Disabled {
			return vmt.Invalid("user_id", "user %d is disabled", userID)
		}
		sub, err = s.subscribeTo(tx, a, r, u, s.now())
		return err
	})
	return sub, err
}

// subscribeTo subscribes u to r on a's decision, audited, and tells u.
func (s *Service) subscribeTo(tx vmt.Tx, a vmt.Actor, r *vmt.Report, u *vmt.User, now time.Time) (*vmt.Subscription, error) {
	sub := &vmt.Subscription{ReportID: r.ID, UserID: u.ID, GrantedBy: a.ID(), CreatedAt: now}
	if err := tx.Subscribe(sub); err != nil {
		return nil, err
	}
	if err := s.subscribersChanged(tx, r); err != nil {
		return nil, err
	}
	if err := s.audit(tx, a, vmt.AuditSubscriptionAdd, r.ProjectID, r.ID, subject("report", r.ID), nil,
		map[string]any{"user_id": u.ID, "visibility": r.Visibility}); err != nil {
		return nil, err
	}
	return sub, s.notify(tx, a, vmt.NotifySubscribed, r, notifyOf{Ref: subscribedRef(sub), Person: u, Text: r.Description})
}

// Unsubscribe ends a subscription. The VMT may end anyone's; a subscriber
// may end their own.
func (s *Service) Unsubscribe(ctx context.Context, a vmt.Actor, id, userID int64) error {
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, acc, err := s.loadReport(tx, a, id, vmt.ActionUnsubscribe)
		if err != nil {
			return err
		}
		if !(acc.Admin || acc.Coordinator) && userID != a.ID() {
			return vmt.Errorf(vmt.EFORBIDDEN, "you may only end your own subscription")
		}
		if err := tx.Unsubscribe(r.ID, userID); err != nil {
			return err
		}
		if err := s.subscribersChanged(tx, r); err != nil {
			return err
		}
		return s.audit(tx, a, vmt.AuditSubscriptionRemove, r.ProjectID, r.ID, subject("report", r.ID),
			map[string]any{"user_id": userID}, nil)
	})
}

// Subscriptions lists who is subscribed to a report: part of who knows, so
// only the VMT and the reporter may read it.
func (s *Service) Subscriptions(ctx context.Context, a vmt.Actor, id int64) ([]*vmt.Subscription, error) {
	var out []*vmt.Subscription
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, id, vmt.ActionReadExtent)
		if err != nil {
			return err
		}
		out, err = tx.Subscriptions(r.ID)
		return err
	})
	return out, err
}

// AddComment posts a comment on a report the actor may see.
func (s *Service) AddComment(ctx context.Context, a vmt.Actor, id int64, body string) (*vmt.Comment, error) {
	if err := vmt.CheckBytes("body", body, vmt.MaxCommentBytes, true); err != nil {
		return nil, err
	}
	var c *vmt.Comment
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, id, vmt.ActionComment)
		if err != nil {
			return err
		}
		c, err = s.comment(tx, a, r, body)
		return err
	})
	return c, err
}

// comment stores body as a's comment on r, audited: the one writer of
// comments, whether a person or a step of the process (steps.go) posts.
func (s *Service) comment(tx vmt.Tx, a vmt.Actor, r *vmt.Report, body string) (*vmt.Comment, error) {
	c, err := s.postComment(tx, a, r, body)
	if err != nil {
		return nil, err
	}
	return c, s.notify(tx, a, vmt.NotifyComment, r, notifyOf{Ref: subject("comment", c.ID), Text: "A comment was posted:\n\n" + body})
}

// postComment stores and audits a comment and tells no one: for a comment
// that is part of an event whose own notification carries it.
func (s *Service) postComment(tx vmt.Tx, a vmt.Actor, r *vmt.Report, body string) (*vmt.Comment, error) {
	c := &vmt.Comment{ReportID: r.ID, AuthorID: a.ID(), Body: body, CreatedAt: s.now()}
	if err := tx.CreateComment(c); err != nil {
		return nil, err
	}
	if err := s.audit(tx, a, vmt.AuditCommentAdd, r.ProjectID, r.ID, subject("comment", c.ID), nil, c); err != nil {
		return nil, err
	}
	return c, nil
}

// subscribedRef names a subscription among the events of its report.
func subscribedRef(sub *vmt.Subscription) string {
	return "user:" + itoa(int(sub.UserID)) + ":" + sub.CreatedAt.UTC().Format("20060102T150405.000000Z")
}

// Comments lists the comments of a report the actor may see.
func (s *Service) Comments(ctx context.Context, a vmt.Actor, id int64) ([]*vmt.Comment, error) {
	var out []*vmt.Comment
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, acc, err := s.loadReport(tx, a, id, vmt.ActionView)
		if err != nil {
			return err
		}
		if out, err = tx.Comments(r.ID); err != nil {
			return err
		}
		w, err := withheldOf(tx, r)
		if err != nil {
			return err
		}
		out = acc.Withhold(w).Comments(r.ReporterID, out)
		return nil
	})
	return out, err
}

// ReportAudit returns the audit events of a report, for the VMT.
func (s *Service) ReportAudit(ctx context.Context, a vmt.Actor, id int64) ([]*vmt.AuditEvent, error) {
	var out []*vmt.AuditEvent
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, id, vmt.ActionReadAudit)
		if err != nil {
			return err
		}
		out, err = tx.AuditEvents(vmt.AuditFilter{ReportID: r.ID})
		return err
	})
	return out, err
}

// AuditEvents pages through the whole audit log, for administrators.
func (s *Service) AuditEvents(ctx context.Context, a vmt.Actor, afterSeq int64, limit int) ([]*vmt.AuditEvent, error) {
	return s.AuditSearch(ctx, a, vmt.AuditFilter{AfterSeq: afterSeq, Limit: limit})
}

// auditActionRE is the shape of an action name ("report.notice").
var auditActionRE = regexp.MustCompile(`^[a-z_]{1,40}\.[a-z_]{1,40}$`)

// AuditSearch pages through the audit log with filters (a report, some
// actions, a time, a user), for administrators: the readable log of `vmt audit
// log`. The members-of filter is the disclosure extent's, not offered.
func (s *Service) AuditSearch(ctx context.Context, a vmt.Actor, f vmt.AuditFilter) ([]*vmt.AuditEvent, error) {
	if err := vmt.RequireAdmin(a); err != nil {
		return nil, err
	}
	limit, _, err := clampPage(f.Limit, 0)
	if err != nil {
		return nil, err
	}
	switch {
	case f.AfterSeq < 0:
		return nil, vmt.Invalid("after", "must not be negative")
	case f.ReportID < 0:
		return nil, vmt.Invalid("report", "must not be negative")
	case f.ActorID < 0:
		return nil, vmt.Invalid("actor", "must not be negative")
	case f.BeforeSeq < 0:
		return nil, vmt.Invalid("before", "must not be negative")
	case f.MembersOf != 0:
		return nil, vmt.Invalid("members_of", "is not a filter of the audit log")
	case len(f.Actions) > 20:
		return nil, vmt.Invalid("action", "more than 20 actions")
	}
	for _, act := range f.Actions {
		if !auditActionRE.MatchString(act) {
			return nil, vmt.Invalid("action", "%q is not an action (such as report.notice)", act)
		}
	}
	f.Limit = limit
	var out []*vmt.AuditEvent
	err = s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		out, err = tx.AuditEvents(f)
		return err
	})
	return out, err
}

// ReportHistory returns what a report's page shows of its history, in
// one transaction, each part reading only what it shows: the disclosure
// extent, nil unless a may read it, and the latest
// events of the report, at most latest of them (0: all), nil unless a may
// read its audit, with how many the report has.
func (s *Service) ReportHistory(ctx context.Context, a vmt.Actor, id int64, latest int) (extent []vmt.ExtentEntry, audit []*vmt.AuditEvent, total int, err error) {
	if latest < 0 {
		return nil, nil, 0, vmt.Invalid("latest", "must not be negative")
	}
	err = s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, acc, err := s.loadReport(tx, a, id, vmt.ActionView)
		if err != nil {
			return err
		}
		// Each part reads only what it shows, so that the page costs
		// the same however long the history (issue 17): the events
		// the extent reads, and the latest events with their count.
		if acc.Can(vmt.ActionReadExtent, r) {
			evs, err := tx.AuditEvents(vmt.AuditFilter{ReportID: r.ID, MembersOf: r.ProjectID, Extent: true})
			if err != nil {
				return err
			}
			if extent, err = s.extentOf(tx, acc, r, evs); err != nil {
				return err
			}
		}
		if acc.Can(vmt.ActionReadAudit, r) {
			f := vmt.AuditFilter{ReportID: r.ID}
			if total, err = tx.CountAuditEvents(f); err != nil {
				return err
			}
			f.Limit, f.Latest = latest, true
			if audit, err = tx.AuditEvents(f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, 0, err
	}
	return extent, audit, total, nil
}

// Extent returns who could see a report, since when and granted by whom,
// and every address a mail carrying its private content went to (the
// notice's stakeholders and lists, and any later mail of such a kind):
// everyone vmt told. The addresses are the registry's: only those who
// coordinate the report read them; the reporter reads the rest.
func (s *Service) Extent(ctx context.Context, a vmt.Actor, id int64) ([]vmt.ExtentEntry, error) {
	var out []vmt.ExtentEntry
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, acc, err := s.loadReport(tx, a, id, vmt.ActionReadExtent)
		if err != nil {
			return err
		}
		evs, err := tx.AuditEvents(vmt.AuditFilter{ReportID: r.ID, MembersOf: r.ProjectID, Extent: true})
		if err != nil {
			return err
		}
		out, err = s.extentOf(tx, acc, r, evs)
		return err
	})
	return out, err
}

// extentOf is the extent of r from its audit events evs (those of the
// report and of its project's members): the grants and roles, then every
// address a mail carrying its private content went to, read from the
// report's outbox items; the addresses only for those who coordinate it.
func (s *Service) extentOf(tx vmt.Tx, acc vmt.Access, r *vmt.Report, evs []*vmt.AuditEvent) ([]vmt.ExtentEntry, error) {
	items, err := tx.OutboxItems(r.ID)
	if err != nil {
		return nil, err
	}
	mailed, err := vmt.MailExtent(items)
	if err != nil {
		return nil, err
	}
	if !acc.Can(vmt.ActionCoordinate, r) {
		mailed = vmt.WithholdAddresses(mailed)
	}
	return orEmpty(append(vmt.DisclosureExtent(r, evs), mailed...)), nil
}
