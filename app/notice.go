package app

import (
	"context"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// SendNotice sends the downstream notification of a private report that is
// In Progress with a CVE: in one transaction it computes the disclosure
// date from today under the project's policy, renders the notice, enqueues
// one mail per stakeholder of the project and per list (delivered by the
// worker), records the notice and the date, moves the report to Fix
// committed and audits who was told. The report's VMT only. The
// reporter's requested date, when they gave one, is the disclosure date
// (see SendNoticeWith to override it).
func (s *Service) SendNotice(ctx context.Context, a vmt.Actor, reportID int64) (*vmt.NoticeResult, error) {
	return s.SendNoticeWith(ctx, a, reportID, vmt.NoticeInput{})
}

// SendNoticeWith is SendNotice with the coordinator's input: a reason to
// set the reporter's requested date aside.
func (s *Service) SendNoticeWith(ctx context.Context, a vmt.Actor, reportID int64, in vmt.NoticeInput) (*vmt.NoticeResult, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	h := s.deps.Disclosure
	res := &vmt.NoticeResult{}
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, acc, err := s.loadReport(tx, a, reportID, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		// Who may see the report is settled first: to anyone else it
		// does not exist, whatever this instance can do.
		if h.Planner == nil || h.Notice == nil {
			return vmt.Errorf(vmt.EINVALID, "this instance sends no notices: no signing key and SMTP relay are configured")
		}
		if err := noticeReady(r); err != nil {
			return err
		}
		if err := requireApprovals(tx, r); err != nil { // waiver.go
			return err
		}
		p, err := tx.Project(r.ProjectID)
		if err != nil {
			return err
		}
		set, err := s.settings(tx, p.ID)
		if err != nil {
			return err
		}
		now := s.now()
		at, err := h.Planner(set.Policy, now)
		if err != nil {
			return vmt.Invalid("policy", "the project's disclosure policy: %v", err)
		}
		override, err := termsDate(r, &at, now, set, in, a)
		if err != nil {
			return err
		}
		if set.BeyondMaximum(at, now) {
			return vmt.Invalid("disclosure_at", "%s is more than %d days away", at.Format(time.RFC3339), set.MaxEmbargoDays)
		}
		coord, err := s.coordinator(tx, a, r)
		if err != nil {
			return err
		}
		templates, err := templateOverrides(tx, p.ID)
		if err != nil {
			return err
		}
		w, err := withheldOf(tx, r)
		if err != nil {
			return err
		}
		// The notice goes to stakeholders and lists: it withholds what
		// the reporter marked, whenever the texts were written.
		subj, body, err := h.Notice(vmt.NoticeFacts{Report: vmt.Published.Withhold(w).Report(r), Project: p, Coordinator: coord, Disclosure: at, Templates: templates})
		if err != nil {
			return vmt.Invalid("notice", "%v", err)
		}
		mails, err := noticeMails(tx, p, set, r.ID, subj, body, at)
		if err != nil {
			return err
		}
		if len(mails) == 0 {
			// A notice to nobody would move the report on as if the
			// downstream stakeholders had been told.
			return vmt.Invalid("recipients", "no stakeholder or list receives the notices of project %s", p.Name)
		}
		// The unique keys of the items also make two concurrent notices
		// of one report a conflict: the second waits for the first and
		// finds its keys taken.
		told := make([]vmt.NoticeRecipient, 0, len(mails))
		for _, m := range mails {
			if err := s.enqueueNotice(tx, m, now); err != nil {
				return err
			}
			told = append(told, m.RecipientAt(now))
			res.Recipients = append(res.Recipients, m.Recipient)
			if m.PublicKey != "" && h.Keys != nil {
				if _, err := h.Keys(m.PublicKey, at); err != nil {
					res.Warnings = append(res.Warnings, m.Recipient+": at the disclosure date, "+err.Error())
				}
			}
		}
		before := *r
		r.NoticeSentAt, r.DisclosureAt = &now, &at
		r.TermsOverride = override
		if err := vmt.CheckTransition(&vmt.Facts{Report: r}, vmt.StatusFixCommitted); err != nil {
			return err
		}
		r.Status, r.UpdatedAt = vmt.StatusFixCommitted, now
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		if res.Report, err = s.view(tx, r, acc, true); err != nil {
			return err
		}
		res.Disclosure, res.Subject = at, subj
		if err := s.auditDiff(tx, a, vmt.AuditReportNotice, r.ProjectID, r.ID, subject("report", r.ID), &before, r); err != nil {
			return err
		}
		if override != nil {
			if err := s.audit(tx, a, vmt.AuditReportTermsOverride, r.ProjectID, r.ID, subject("report", r.ID), nil, override); err != nil {
				return err
			}
		}
		return s.audit(tx, a, vmt.AuditReportTold, r.ProjectID, r.ID, subject("report", r.ID), nil,
			map[string]any{"recipients": res.Recipients, "told": told, "disclosure_at": at, "warnings": res.Warnings})
	})
	if err != nil {
		return nil, err
	}
	res.Warnings = orEmpty(res.Warnings)
	return res, nil
}

// noticeReady refuses a report the notice cannot go out for.
func noticeReady(r *vmt.Report) error {
	switch {
	case r.Visibility != vmt.Private:
		return &vmt.Error{Code: vmt.ECONFLICT, Field: "visibility", Message: "the report is public: a notice is for embargoed reports"}
	case r.NoticeSentAt != nil:
		return &vmt.Error{Code: vmt.ECONFLICT, Field: "notice_sent_at", Message: "the notice was already sent"}
	case r.Status != vmt.StatusInProgress:
		return &vmt.Error{Code: vmt.ECONFLICT, Field: "status", Message: "the notice is sent from In Progress, not " + string(r.Status)}
	case len(r.CVEs) == 0:
		return &vmt.Error{Code: vmt.ECONFLICT, Field: "cves", Message: "no CVE has been assigned"}
	case strings.TrimSpace(r.ImpactDescription) == "":
		return &vmt.Error{Code: vmt.ECONFLICT, Field: "impact_description", Message: "no impact description has been posted"}
	}
	return nil
}

// coordinator is who signs the notice: the report's coordinator, or the
// actor sending it.
func (s *Service) coordinator(tx vmt.Tx, a vmt.Actor, r *vmt.Report) (*vmt.User, error) {
	if r.CoordinatorID == 0 {
		return a.User, nil
	}
	return tx.User(r.CoordinatorID)
}

// noticeMails lists one mail per stakeholder told of the project and per
// list of the project's settings.
func noticeMails(tx vmt.Tx, p *vmt.Project, set *vmt.DisclosureSettings, reportID int64, subj, body string, at time.Time) ([]vmt.NoticeMail, error) {
	ks, err := tx.Stakeholders()
	if err != nil {
		return nil, err
	}
	var out []vmt.NoticeMail
	for _, k := range ks {
		if !k.Receives(p.Name) {
			continue
		}
		out = append(out, vmt.NoticeMail{ReportID: reportID, Recipient: subject("stakeholder", k.ID), To: k.Contacts,
			Organisation: k.Organisation, Fingerprint: k.Fingerprint,
			PublicKey: k.PublicKey, Subject: subj, Body: body, Disclosure: at})
	}
	for _, l := range set.Lists {
		out = append(out, vmt.NoticeMail{ReportID: reportID, Recipient: "list:" + l.Name, To: []string{l.Address},
			Rules: l.Rules, PublicKey: l.PublicKey, Subject: l.Demands().Subject(subj), Body: body, Disclosure: at})
	}
	return out, nil
}

// enqueueNotice writes m to the outbox under the key "notice:REPORT:TO",
// which makes a second enqueue of the same mail a conflict.
func (s *Service) enqueueNotice(tx vmt.Tx, m vmt.NoticeMail, now time.Time) error {
	// The linux-distros list takes notices at most 14 days before the
	// disclosure, which a reporter's later date can exceed: its mail waits
	// in the outbox until the list accepts it, instead of failing.
	next := vmt.NoticeList{Rules: m.Rules}.Demands().Earliest(m.Disclosure, now)
	return enqueueJSONAt(tx, "notice:"+itoa(int(m.ReportID))+":"+m.Recipient, vmt.KindNotice, m.ReportID, m, next, now)
}

// settings returns a project's disclosure settings, or the defaults.
func (s *Service) settings(tx vmt.Tx, projectID int64) (*vmt.DisclosureSettings, error) {
	set, err := tx.DisclosureSettings(projectID)
	if vmt.ErrorCode(err) == vmt.ENOTFOUND {
		return vmt.DefaultDisclosureSettings(projectID), nil
	}
	return set, err
}

// Outbox lists the outbox items of a report, for its VMT to see what was
// delivered.
func (s *Service) Outbox(ctx context.Context, a vmt.Actor, reportID int64) ([]*vmt.OutboxItem, error) {
	var out []*vmt.OutboxItem
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		if _, _, err := s.loadReport(tx, a, reportID, vmt.ActionCoordinate); err != nil {
			return err
		}
		var err error
		out, err = tx.OutboxItems(reportID)
		return err
	})
	return out, err
}
