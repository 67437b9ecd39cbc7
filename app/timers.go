package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// The rounds of the worker that watch time pass on reports: the embargo
// limit and the stage timers. They run as the system (actor 0), each
// report in a transaction of its own that locks it and checks again, so
// that two instances on one database act once.

// RaiseOverdueEmbargoes raises for going public every private report
// embargoed longer than its project's limit: the report is marked, the
// architecture committee members of the project are subscribed (to discuss
// "whether or not it's imperative to keep that particular bug private", as
// VMT.md has it), and both are audited. It returns the reports raised.
func (s *Service) RaiseOverdueEmbargoes(ctx context.Context) ([]int64, error) {
	var raised []int64
	err := s.eachProject(ctx, func(p *vmt.Project, set *vmt.DisclosureSettings) error {
		var ids []int64
		err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) {
			ids, err = tx.OverdueEmbargoes(p.ID, s.now().AddDate(0, 0, -set.EmbargoLimitDays))
			return err
		})
		if err != nil {
			return err
		}
		for _, id := range ids {
			ok, err := s.raise(ctx, id, set.EmbargoLimitDays)
			if err != nil {
				return fmt.Errorf("raise report %d: %w", id, err)
			}
			if ok {
				raised = append(raised, id)
			}
		}
		return nil
	})
	return raised, err
}

// raise marks one report raised, once.
func (s *Service) raise(ctx context.Context, id int64, limitDays int) (bool, error) {
	done := false
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		done = false
		r, err := tx.Report(id)
		if err != nil {
			return err
		}
		now := s.now()
		if r.EmbargoRaisedAt != nil || !r.EmbargoOverdue(limitDays, now) {
			return nil // another instance did it, or the report changed
		}
		r.EmbargoRaisedAt = &now
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		subscribed, err := s.subscribeCommittee(tx, vmt.Anonymous, r, now, "embargo_raised")
		if err != nil {
			return err
		}
		done = true
		return s.audit(tx, vmt.Anonymous, vmt.AuditReportEmbargoRaised, r.ProjectID, r.ID, subject("report", r.ID), nil,
			map[string]any{"embargoed_since": r.EmbargoedSince(), "limit_days": limitDays, "committee_subscribed": subscribed})
	})
	return done, err
}

// subscribeCommittee subscribes, on behalf of a, the architecture
// committee members of r's project who are not yet, each audited like any
// subscription (so the disclosure extent shows them), and returns their
// ids.
func (s *Service) subscribeCommittee(tx vmt.Tx, a vmt.Actor, r *vmt.Report, now time.Time, because string) ([]int64, error) {
	return s.subscribeMembers(tx, a, r, vmt.MemberCommittee, now, because)
}

// subscribeMembers subscribes, on behalf of a, the members of r's project
// in role who are not yet, each audited like any subscription with why,
// and returns their ids. Disabled accounts are left out.
func (s *Service) subscribeMembers(tx vmt.Tx, a vmt.Actor, r *vmt.Report, role vmt.MemberRole, now time.Time, because string) ([]int64, error) {
	ms, err := tx.Members(r.ProjectID)
	if err != nil {
		return nil, err
	}
	out := []int64{}
	for _, m := range ms {
		if m.Role != role {
			continue
		}
		u, err := tx.User(m.UserID)
		if err != nil {
			return nil, err
		} else if u.Disabled {
			continue
		}
		if in, err := tx.Subscribed(r.ID, m.UserID); err != nil || in {
			if err != nil {
				return nil, err
			}
			continue
		}
		sub := &vmt.Subscription{ReportID: r.ID, UserID: m.UserID, GrantedBy: a.ID(), CreatedAt: now}
		if err := tx.Subscribe(sub); err != nil {
			return nil, err
		}
		if err := s.subscribersChanged(tx, r); err != nil {
			return nil, err
		}
		if err := s.audit(tx, a, vmt.AuditSubscriptionAdd, r.ProjectID, r.ID, subject("report", r.ID), nil,
			map[string]any{"user_id": m.UserID, "visibility": r.Visibility, "because": because}); err != nil {
			return nil, err
		}
		// The committee subscribed to approve a text hears of it as the
		// approval asked of it (setImpact), not twice.
		if because != "impact_review" {
			if err := s.notify(tx, a, vmt.NotifySubscribed, r, notifyOf{Ref: subscribedRef(sub), Person: u, Text: r.Description}); err != nil {
				return nil, err
			}
		}
		out = append(out, m.UserID)
	}
	return out, nil
}

// RaiseEmbargo raises a private report for going public before its limit,
// for the reason the coordinator gives: VMT.md has issues "that require a
// complex patch" better solved in the open too. As at the limit, the
// architecture committee is subscribed to decide, and it is audited as
// vmt.AuditReportEmbargoRaised, with the reason. ECONFLICT if the report is
// public or already raised.
func (s *Service) RaiseEmbargo(ctx context.Context, a vmt.Actor, id int64, reason string) (*vmt.ReportView, error) {
	reason = strings.TrimSpace(reason)
	if err := vmt.CheckText("reason", reason, vmt.MaxReasonLen, true); err != nil {
		return nil, err
	}
	var v *vmt.ReportView
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, acc, err := s.loadReport(tx, a, id, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		switch {
		case r.Visibility != vmt.Private:
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "visibility", Message: "the report is already public"}
		case r.EmbargoRaisedAt != nil:
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "embargo_raised_at", Message: "the report is already raised for going public"}
		}
		now := s.now()
		r.EmbargoRaisedAt = &now
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		subscribed, err := s.subscribeCommittee(tx, a, r, now, "embargo_raised")
		if err != nil {
			return err
		}
		if v, err = s.view(tx, r, acc, true); err != nil {
			return err
		}
		return s.audit(tx, a, vmt.AuditReportEmbargoRaised, r.ProjectID, r.ID, subject("report", r.ID), nil,
			map[string]any{"embargoed_since": r.EmbargoedSince(), "reason": reason, "committee_subscribed": subscribed})
	})
	return v, err
}

// StageTimerRound reminds the coordinator of every report that has sat in
// its status past the project's limit, and tells the escalation contacts
// of every report still there EscalateAfterDays after the reminder. Each
// is a signed mail through the outbox, at most once per entry into the
// status (the report carries the mark, and the outbox key names the
// entry), and audited. It returns how many mails it enqueued.
func (s *Service) StageTimerRound(ctx context.Context) (int, error) {
	n := 0
	err := s.eachProject(ctx, func(p *vmt.Project, set *vmt.DisclosureSettings) error {
		t := set.Timers
		var due, esc []int64
		err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
			now := s.now()
			for _, st := range t.TimedStatuses() {
				ids, err := tx.StageDue(p.ID, st, now.Add(-t.Limit(st)))
				if err != nil {
					return err
				}
				due = append(due, ids...)
			}
			var err error
			if len(t.EscalationContacts) > 0 {
				esc, err = tx.EscalationDue(p.ID, now.AddDate(0, 0, -t.EscalateAfterDays))
			}
			return err
		})
		if err != nil {
			return err
		}
		for _, id := range due {
			ok, err := s.timerMail(ctx, p, &t, id, false)
			if err != nil {
				return fmt.Errorf("remind report %d: %w", id, err)
			}
			n += ok
		}
		for _, id := range esc {
			ok, err := s.timerMail(ctx, p, &t, id, true)
			if err != nil {
				return fmt.Errorf("escalate report %d: %w", id, err)
			}
			n += ok
		}
		return nil
	})
	return n, err
}

// timerMail reminds (or escalates) one report, once per stage entry; it
// returns 1 when it enqueued a mail.
func (s *Service) timerMail(ctx context.Context, p *vmt.Project, t *vmt.StageTimers, id int64, escalate bool) (int, error) {
	n := 0
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		n = 0
		r, err := tx.Report(id)
		if err != nil {
			return err
		}
		now := s.now()
		limit := t.Limit(r.Status)
		var to []string
		kind, action := vmt.KindReminder, vmt.AuditReportStageReminder
		switch {
		case limit == 0 || r.StatusSince.Add(limit).After(now):
			return nil // moved on, or the limit changed
		case !escalate:
			if r.StageRemindedAt != nil {
				return nil
			}
			if to, err = s.remindWhom(tx, r, now); err != nil {
				return err
			}
			r.StageRemindedAt = &now
		default:
			if r.StageRemindedAt == nil || r.StageEscalatedAt != nil || r.StageRemindedAt.AddDate(0, 0, t.EscalateAfterDays).After(now) {
				return nil
			}
			to, kind, action = t.EscalationContacts, vmt.KindEscalation, vmt.AuditReportStageEscalated
			r.StageEscalatedAt = &now
		}
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		facts := map[string]any{"status": r.Status, "status_since": r.StatusSince, "limit_days": t.LimitDays[r.Status], "to": to}
		if len(to) > 0 {
			m := timerNotice(p, r, kind, to, now)
			if kind == vmt.KindReminder {
				// A notification like the others (notify.go): in the
				// report's thread, and turned off where they are.
				m.ThreadRoot = vmt.ThreadRoot(r.ID)
				if base := strings.TrimSuffix(s.deps.Publication.BaseURL, "/"); base != "" {
					m.Unsubscribe = base + vmt.NotificationsPath
				}
			}
			b, err := json.Marshal(m)
			if err != nil {
				return err
			}
			// The key names the stage entry: a second enqueue for it is a
			// conflict, whatever the marks on the report say.
			key := kind + ":" + itoa(int(r.ID)) + ":" + string(r.Status) + ":" + r.StatusSince.UTC().Format("20060102T150405.000000Z")
			if err := tx.Enqueue(&vmt.OutboxItem{Key: key, Kind: kind, ReportID: r.ID, Payload: b, NextAttempt: now, CreatedAt: now}); err != nil {
				return err
			}
			facts["outbox"] = key
			n = 1
		} else {
			facts["undelivered"] = "no one to send it to: no coordinator or VMT member, or each turned reminders off or takes the digest"
		}
		return s.audit(tx, vmt.Anonymous, action, r.ProjectID, r.ID, subject("report", r.ID), nil, facts)
	})
	return n, err
}

// remindWhom returns the addresses a reminder of r goes to: its
// coordinator, or every VMT member of its project while it has none, as
// vmt.NotifyRecipients decides with their preferences. One who takes the
// daily digest has the reminder kept for it instead.
func (s *Service) remindWhom(tx vmt.Tx, r *vmt.Report, now time.Time) ([]string, error) {
	rs, _, _, err := s.recipients(tx, vmt.Anonymous, vmt.NotifyReminder, r, nil, now)
	if err != nil {
		return nil, err
	}
	var to []string
	for _, rc := range rs {
		if rc.Digest {
			if err := tx.AddDigestEntry(&vmt.DigestEntry{UserID: rc.User.ID, ReportID: r.ID, Kind: vmt.NotifyReminder, CreatedAt: now}); err != nil {
				return nil, err
			}
			continue
		}
		to = append(to, rc.User.Email)
	}
	return to, nil
}

// timerNotice writes the reminder or escalation mail. It names the report
// by number and status only: the mail is signed, not encrypted, and the
// escalation contacts are outside the embargo, so no title or detail of a
// private report goes in it.
func timerNotice(p *vmt.Project, r *vmt.Report, kind string, to []string, now time.Time) vmt.NoticeMail {
	days := int(now.Sub(r.StatusSince).Hours() / 24)
	what := "Reminder"
	if kind == vmt.KindEscalation {
		what = "Escalation"
	}
	subj := fmt.Sprintf("[%s] %s: report %d has been %s for %d days", p.Name, what, r.ID, r.Status.Label(), days)
	var b strings.Builder
	fmt.Fprintf(&b, "Report %d of project %s has been in the status %s since %s (%d days),\n",
		r.ID, p.Name, r.Status.Label(), r.StatusSince.UTC().Format("2006-01-02 15:04 UTC"), days)
	fmt.Fprintf(&b, "past the project's limit for that stage.\n\n")
	if kind == vmt.KindEscalation {
		b.WriteString("Its coordinator was reminded and the report has not moved since. You are\n" +
			"the project's escalation contact for delays in the vulnerability management\n" +
			"process. This mail carries no detail of the report, which may be under embargo.\n")
	} else {
		b.WriteString("Please move it on, or record why it waits.\n")
	}
	return vmt.NoticeMail{ReportID: r.ID, Recipient: kind, To: to, Subject: subj, Body: b.String()}
}

// eachProject calls fn with every project and its disclosure settings.
func (s *Service) eachProject(ctx context.Context, fn func(*vmt.Project, *vmt.DisclosureSettings) error) error {
	type ps struct {
		p   *vmt.Project
		set *vmt.DisclosureSettings
	}
	var all []ps
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		all = nil
		projects, err := tx.Projects()
		if err != nil {
			return err
		}
		for _, p := range projects {
			set, err := s.settings(tx, p.ID)
			if err != nil {
				return err
			}
			all = append(all, ps{p, set})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, x := range all {
		if err := fn(x.p, x.set); err != nil {
			return err
		}
	}
	return nil
}
