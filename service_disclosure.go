package vmt

import (
	"context"
	"time"
)

// DisclosureSettingsOf returns a project's disclosure settings (the
// defaults until it sets its own). Its VMT and administrators only.
func (s *Service) DisclosureSettingsOf(ctx context.Context, a Actor, project string) (*DisclosureSettings, error) {
	var set *DisclosureSettings
	err := s.Store.View(ctx, func(tx Tx) error {
		p, err := s.projectVMT(tx, a, project, ProjectDisclosure)
		if err != nil {
			return err
		}
		set, err = s.settings(tx, p.ID)
		return err
	})
	return set, err
}

// SetDisclosureSettings replaces a project's disclosure settings, after
// checking the policy (by planning a date with it) and every list's key.
func (s *Service) SetDisclosureSettings(ctx context.Context, a Actor, project string, in DisclosureSettings) (*DisclosureSettings, error) {
	if in.Lists == nil {
		in.Lists = []NoticeList{}
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	if len(in.Policy) > 0 {
		if s.Disclosure.Planner == nil {
			return nil, Invalid("policy", "this instance cannot read disclosure policies")
		}
		if _, err := s.Disclosure.Planner(in.Policy, s.now()); err != nil {
			return nil, Invalid("policy", "%v", err)
		}
	}
	for i, l := range in.Lists {
		if l.PublicKey == "" {
			continue
		}
		if _, err := s.checkKey(l.PublicKey); err != nil {
			return nil, Invalid("lists["+itoa(i)+"].public_key", "%v", err.(*Error).Message)
		}
	}
	err := s.Store.Update(ctx, func(tx Tx) error {
		p, err := s.projectVMT(tx, a, project, ProjectDisclosure)
		if err != nil {
			return err
		}
		old, err := s.settings(tx, p.ID)
		if err != nil {
			return err
		}
		in.ProjectID = p.ID
		if err := tx.SetDisclosureSettings(&in); err != nil {
			return err
		}
		return s.auditDiff(tx, a, "project.disclosure", p.ID, 0, subject("project", p.ID), old, &in)
	})
	if err != nil {
		return nil, err
	}
	return &in, nil
}

// projectVMT returns project name if the policy lets a do act to it
// (ProjectAccess): an administrator or a member of its VMT; to anyone else
// it is EFORBIDDEN saying that only its VMT may.
func (s *Service) projectVMT(tx Tx, a Actor, name string, act ProjectAction) (*Project, error) {
	if err := requireAuth(a); err != nil {
		return nil, err
	}
	p, err := tx.ProjectByName(name)
	if err != nil {
		return nil, err
	}
	acc, err := projectAccess(tx, a, p.ID)
	if err != nil {
		return nil, err
	}
	if err := acc.Require(act); err != nil {
		return nil, err
	}
	return p, nil
}

// projectAccess is what a is to project projectID.
func projectAccess(tx Tx, a Actor, projectID int64) (ProjectAccess, error) {
	ok, err := vmtOf(tx, a, projectID)
	return ProjectAccess{Authenticated: a.User != nil, Admin: a.IsAdmin(), VMT: ok}, err
}

// vmtOf says whether a signed-in a is of the VMT of project projectID (its
// membership, not the administrator role, which callers check first).
func vmtOf(tx Tx, a Actor, projectID int64) (bool, error) {
	if a.User == nil {
		return false, nil
	}
	m, err := tx.Member(projectID, a.User.ID)
	switch ErrorCode(err) {
	case "":
		return m.Role == MemberVMT, nil
	case ENOTFOUND:
		return false, nil
	}
	return false, err
}

// The worker's side of the outbox. These run as the system (actor 0).

// ClaimDeliveries leases up to limit due items for lease, their texts
// withholding what the reporters' marks withhold at this moment.
func (s *Service) ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]*OutboxItem, error) {
	var out []*OutboxItem
	err := s.Store.Update(ctx, func(tx Tx) (err error) {
		if out, err = tx.ClaimOutbox(s.now(), lease, limit); err != nil {
			return err
		}
		return redactDeliveries(tx, out)
	})
	return out, err
}

// Delivered marks o done and records the delivery in the audit log, in one
// transaction: ENOTFOUND when the claim was lost (another worker has it).
func (s *Service) Delivered(ctx context.Context, o *OutboxItem) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		t := s.now()
		done := *o
		done.State, done.DoneAt, done.LastError = OutboxDone, &t, ""
		if err := tx.UpdateOutbox(&done); err != nil {
			return err
		}
		*o = done
		return s.audit(tx, Anonymous, "outbox.delivered", 0, o.ReportID, "outbox:"+o.Key, nil,
			map[string]any{"key": o.Key, "attempts": o.Attempts})
	})
}

// DeliveryFailed records a failed attempt: retried at retryAt when the
// error is temporary and attempts remain, failed for good otherwise (and
// audited, for the coordinator to act on).
func (s *Service) DeliveryFailed(ctx context.Context, o *OutboxItem, cause error, temporary bool, retryAt time.Time) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		next := *o
		next.LastError = cause.Error()
		if len(next.LastError) > 2000 {
			next.LastError = next.LastError[:2000]
		}
		if temporary && o.Attempts < MaxOutboxAttempts {
			next.NextAttempt = retryAt.UTC().Truncate(time.Microsecond)
			if err := tx.UpdateOutbox(&next); err != nil {
				return err
			}
			*o = next
			return nil
		}
		next.State = OutboxFailed
		if err := tx.UpdateOutbox(&next); err != nil {
			return err
		}
		*o = next
		return s.audit(tx, Anonymous, "outbox.failed", 0, o.ReportID, "outbox:"+o.Key, nil,
			map[string]any{"key": o.Key, "attempts": o.Attempts, "error": next.LastError})
	})
}

// Disclosure is what the disclosure hour did to one report.
type Disclosure struct {
	Report *Report `json:"report"`
	// PublicationNotice is the "Notify CVE about a publication" text,
	// prepared for the coordinator to send.
	PublicationNotice string `json:"publication_notice"`
	NoticeError       string `json:"notice_error,omitempty"` // why it could not be prepared
}

// PublicationPreparer writes the CVE publication notice of a report that
// has just become public.
type PublicationPreparer func(tx Tx, r *Report) (string, error)

// DiscloseDue discloses one private report whose date has come: public,
// the embargo reminder removed, the publication notice prepared, all in
// one transaction audited as "report.disclose". It returns nil when none is
// due. The store's lock on the due report makes this happen once per report
// even with several instances: a second one skips it, then finds it public.
func (s *Service) DiscloseDue(ctx context.Context, prepare PublicationPreparer) (*Disclosure, error) {
	var d *Disclosure
	err := s.Store.Update(ctx, func(tx Tx) error {
		d = nil
		now := s.now()
		id, err := s.nextDisclosable(tx, now) // due, and approved or waived (service_waiver.go)
		if err != nil || id == 0 {
			return err
		}
		r, err := tx.Report(id)
		if err != nil {
			return err
		}
		// The guard, again: never public before the date.
		if r.Visibility != Private || r.DisclosureAt == nil || r.DisclosureAt.After(now) {
			return Errorf(EINTERNAL, "report %d was offered for disclosure before its date", id)
		}
		before := *r
		makePublic(r)
		r.UpdatedAt = now
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		if err := s.publishDisclosed(tx, r, now); err != nil {
			return err
		}
		if err := s.enqueuePushes(tx, r, now); err != nil { // service_push.go
			return err
		}
		// The date is a promise to downstream: a notice that cannot be
		// prepared (no address to give) does not hold the report back; the
		// coordinator reads why in the audit log and writes it by hand.
		notice := map[string]string{}
		text, perr := prepare(tx, r)
		if perr != nil {
			notice["error"] = perr.Error()
		} else {
			notice["publication_notice"] = text
		}
		d = &Disclosure{Report: r, PublicationNotice: text, NoticeError: notice["error"]}
		if err := s.auditDiff(tx, Anonymous, "report.disclose", r.ProjectID, r.ID, subject("report", r.ID), &before, r); err != nil {
			return err
		}
		return s.audit(tx, Anonymous, "report.publication_notice", r.ProjectID, r.ID, subject("report", r.ID), nil, notice)
	})
	return d, err
}
