package app

import (
	"context"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// DisclosureSettingsOf returns a project's disclosure settings (the
// defaults until it sets its own). Its VMT and administrators only.
func (s *Service) DisclosureSettingsOf(ctx context.Context, a vmt.Actor, project string) (*vmt.DisclosureSettings, error) {
	var set *vmt.DisclosureSettings
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		p, err := s.projectVMT(tx, a, project, vmt.ProjectDisclosure)
		if err != nil {
			return err
		}
		set, err = s.settings(tx, p.ID)
		return err
	})
	return set, err
}

// DisclosurePolicyOf returns what a project's public policy page shows,
// to anyone, signed in or not: the project is named on the report form
// to everyone too, and its policy is what a reporter reads before
// sending. ENOTFOUND for a project that does not exist.
func (s *Service) DisclosurePolicyOf(ctx context.Context, project string) (*vmt.DisclosurePolicy, error) {
	var out *vmt.DisclosurePolicy
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		p, err := tx.ProjectByName(project)
		if err != nil {
			return err
		}
		set, err := s.settings(tx, p.ID)
		if err != nil {
			return err
		}
		out = set.PolicyOf(p.Name)
		return nil
	})
	return out, err
}

// SetDisclosureSettings replaces a project's disclosure settings, after
// checking the policy (by planning a date with it) and every list's key.
func (s *Service) SetDisclosureSettings(ctx context.Context, a vmt.Actor, project string, in vmt.DisclosureSettings) (*vmt.DisclosureSettings, error) {
	if in.Lists == nil {
		in.Lists = []vmt.NoticeList{}
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if len(in.Policy) > 0 {
		if s.deps.Disclosure.Planner == nil {
			return nil, vmt.Invalid("policy", "this instance cannot read disclosure policies")
		}
		if _, err := s.deps.Disclosure.Planner(in.Policy, s.now()); err != nil {
			return nil, vmt.Invalid("policy", "%v", err)
		}
	}
	for i, l := range in.Lists {
		if l.PublicKey == "" {
			continue
		}
		if _, err := s.checkKey(l.PublicKey); err != nil {
			return nil, vmt.Invalid("lists["+itoa(i)+"].public_key", "%v", err.(*vmt.Error).Message)
		}
	}
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		p, err := s.projectVMT(tx, a, project, vmt.ProjectDisclosure)
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
		return s.auditDiff(tx, a, vmt.AuditProjectDisclosure, p.ID, 0, subject("project", p.ID), old, &in)
	})
	if err != nil {
		return nil, err
	}
	return &in, nil
}

// projectVMT returns project name if the policy lets a do act to it
// (ProjectAccess): an administrator or a member of its VMT; to anyone else
// it is EFORBIDDEN saying that only its VMT may.
func (s *Service) projectVMT(tx vmt.Tx, a vmt.Actor, name string, act vmt.ProjectAction) (*vmt.Project, error) {
	if err := vmt.RequireAuth(a); err != nil {
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
func projectAccess(tx vmt.Tx, a vmt.Actor, projectID int64) (vmt.ProjectAccess, error) {
	ok, err := vmtOf(tx, a, projectID)
	return vmt.ProjectAccess{Authenticated: a.User != nil, Admin: a.IsAdmin(), VMT: ok}, err
}

// vmtOf says whether a signed-in a is of the VMT of project projectID (its
// membership, not the administrator role, which callers check first).
func vmtOf(tx vmt.Tx, a vmt.Actor, projectID int64) (bool, error) {
	if a.User == nil {
		return false, nil
	}
	m, err := tx.Member(projectID, a.User.ID)
	switch vmt.ErrorCode(err) {
	case "":
		return m.Role == vmt.MemberVMT, nil
	case vmt.ENOTFOUND:
		return false, nil
	}
	return false, err
}

// The worker's side of the outbox. These run as the system (actor 0).

// ClaimDeliveries leases up to limit due items for lease, their texts
// withholding what the reporters' marks withhold at this moment.
func (s *Service) ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]*vmt.OutboxItem, error) {
	var out []*vmt.OutboxItem
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) (err error) {
		if out, err = tx.ClaimOutbox(s.now(), lease, limit); err != nil {
			return err
		}
		return redactDeliveries(tx, out)
	})
	return out, err
}

// Delivered marks the items done and records each delivery in the audit
// log (on the item's subject, outside its report's history), in one
// transaction: the worker marks a run of mails at once, one commit rather
// than one a mail. An item whose claim was lost (another worker has it
// since its lease ran out) is left to that worker, the others marked, and
// the error is ENOTFOUND.
func (s *Service) Delivered(ctx context.Context, items ...*vmt.OutboxItem) error {
	if len(items) == 0 {
		return nil
	}
	var lost []string
	var marked []*vmt.OutboxItem
	t := s.now()
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		lost, marked = lost[:0], marked[:0]
		for _, o := range items {
			done := *o
			done.State, done.DoneAt, done.LastError = vmt.OutboxDone, &t, ""
			if err := tx.UpdateOutbox(&done); vmt.ErrorCode(err) == vmt.ENOTFOUND {
				lost = append(lost, o.Key)
				continue
			} else if err != nil {
				return err
			}
			marked = append(marked, o)
			// Recorded on the outbox item, not on its report: a notice to a
			// thousand stakeholders would otherwise add a thousand events to
			// the report's history, which its page and extent read (issue
			// 17). Who was told is read from the outbox (notice_told.go).
			err := s.audit(tx, vmt.Anonymous, vmt.AuditOutboxDelivered, 0, 0, "outbox:"+o.Key, nil,
				map[string]any{"key": o.Key, "attempts": o.Attempts})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, o := range marked {
		o.State, o.DoneAt, o.LastError = vmt.OutboxDone, &t, ""
	}
	if len(lost) > 0 {
		return vmt.Errorf(vmt.ENOTFOUND, "outbox claim of %s lost: another worker has it", strings.Join(lost, ", "))
	}
	return nil
}

// DeliveryFailed records a failed attempt: retried at retryAt when the
// error is temporary and attempts remain, failed for good otherwise (and
// audited, for the coordinator to act on).
func (s *Service) DeliveryFailed(ctx context.Context, o *vmt.OutboxItem, cause error, temporary bool, retryAt time.Time) error {
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		next := *o
		next.LastError = cause.Error()
		if len(next.LastError) > 2000 {
			next.LastError = next.LastError[:2000]
		}
		if temporary && o.Attempts < vmt.MaxOutboxAttempts {
			next.NextAttempt = retryAt.UTC().Truncate(time.Microsecond)
			if err := tx.UpdateOutbox(&next); err != nil {
				return err
			}
			*o = next
			return nil
		}
		next.State = vmt.OutboxFailed
		if err := tx.UpdateOutbox(&next); err != nil {
			return err
		}
		*o = next
		return s.audit(tx, vmt.Anonymous, vmt.AuditOutboxFailed, 0, o.ReportID, "outbox:"+o.Key, nil,
			map[string]any{"key": o.Key, "attempts": o.Attempts, "error": next.LastError})
	})
}

// prepareNotice writes the publication notice of r with the preparer of
// this instance; without one it says so, as a preparer's error would.
func (s *Service) prepareNotice(tx vmt.Tx, r *vmt.Report) (string, error) {
	if s.deps.Disclosure.Prepare == nil {
		return "", vmt.Errorf(vmt.EINTERNAL, "this instance prepares no publication notice")
	}
	return s.deps.Disclosure.Prepare(tx, r)
}

// DiscloseDue discloses one private report whose date has come: public,
// the embargo reminder removed, the publication notice prepared, all in
// one transaction audited as vmt.AuditReportDisclose. It returns nil when none is
// due. The store's lock on the due report makes this happen once per report
// even with several instances: a second one skips it, then finds it public.
func (s *Service) DiscloseDue(ctx context.Context) (*vmt.Disclosure, error) {
	var d *vmt.Disclosure
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		d = nil
		now := s.now()
		id, err := s.nextDisclosable(tx, now) // due, and approved or waived (waiver.go)
		if err != nil || id == 0 {
			return err
		}
		r, err := tx.Report(id)
		if err != nil {
			return err
		}
		// The guard, again: never public before the date.
		if r.Visibility != vmt.Private || r.DisclosureAt == nil || r.DisclosureAt.After(now) {
			return vmt.Errorf(vmt.EINTERNAL, "report %d was offered for disclosure before its date", id)
		}
		before := *r
		vmt.MakePublic(r)
		r.UpdatedAt = now
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		if err := s.publishDisclosed(tx, r, now); err != nil {
			return err
		}
		if err := s.enqueuePushes(tx, r, now); err != nil { // push.go
			return err
		}
		// The date is a promise to downstream: a notice that cannot be
		// prepared (no address to give) does not hold the report back; the
		// coordinator reads why in the audit log and writes it by hand.
		notice := map[string]string{}
		text, perr := s.prepareNotice(tx, r)
		if perr != nil {
			notice["error"] = perr.Error()
		} else {
			notice["publication_notice"] = text
		}
		d = &vmt.Disclosure{Report: r, PublicationNotice: text, NoticeError: notice["error"]}
		if err := s.auditDiff(tx, vmt.Anonymous, vmt.AuditReportDisclose, r.ProjectID, r.ID, subject("report", r.ID), &before, r); err != nil {
			return err
		}
		if err := s.audit(tx, vmt.Anonymous, vmt.AuditReportPublicationNotice, r.ProjectID, r.ID, subject("report", r.ID), nil, notice); err != nil {
			return err
		}
		if err := s.notifyChange(tx, vmt.Anonymous, &before, r); err != nil {
			return err
		}
		return s.discloseDuplicates(tx, vmt.Anonymous, r)
	})
	return d, err
}
