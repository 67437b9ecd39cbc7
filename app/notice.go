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
// set the reporter's requested date aside. What it sends is planned by
// planNotice, which PreviewNotice shows without sending.
func (s *Service) SendNoticeWith(ctx context.Context, a vmt.Actor, reportID int64, in vmt.NoticeInput) (*vmt.NoticeResult, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	res := &vmt.NoticeResult{}
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		pl, err := s.planNotice(tx, a, reportID, in)
		if err != nil {
			return err
		}
		r, now, at := pl.r, pl.now, pl.at
		// The unique keys of the items also make two concurrent notices
		// of one report a conflict: the second waits for the first and
		// finds its keys taken.
		told := make([]vmt.NoticeRecipient, 0, len(pl.mails))
		for _, m := range pl.mails {
			if err := s.enqueueNotice(tx, m, now); err != nil {
				return err
			}
			told = append(told, m.RecipientAt(now))
			res.Recipients = append(res.Recipients, m.Recipient)
		}
		res.Warnings = pl.warnings
		before := *r
		r.NoticeSentAt, r.DisclosureAt = &now, &at
		r.TermsOverride = pl.override
		if err := vmt.CheckTransition(&vmt.Facts{Report: r}, vmt.StatusFixCommitted); err != nil {
			return err
		}
		r.Status, r.UpdatedAt = vmt.StatusFixCommitted, now
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		if res.Report, err = s.view(tx, r, pl.acc, true); err != nil {
			return err
		}
		res.Disclosure, res.Subject = at, pl.subject
		if err := s.auditDiff(tx, a, vmt.AuditReportNotice, r.ProjectID, r.ID, subject("report", r.ID), &before, r); err != nil {
			return err
		}
		if err := s.notifyChange(tx, a, &before, r); err != nil {
			return err
		}
		if pl.override != nil {
			if err := s.audit(tx, a, vmt.AuditReportTermsOverride, r.ProjectID, r.ID, subject("report", r.ID), nil, pl.override); err != nil {
				return err
			}
		}
		return s.audit(tx, a, vmt.AuditReportTold, r.ProjectID, r.ID, subject("report", r.ID), nil,
			map[string]any{"recipients": res.Recipients, "told": told, "disclosure_at": at, "warnings": res.Warnings,
				"patches": vmt.WithoutData(pl.patches.Attached), "without_patch": pl.patches.Without})
	})
	if err != nil {
		return nil, err
	}
	res.Warnings = orEmpty(res.Warnings)
	return res, nil
}

// PreviewNotice shows what SendNoticeWith would send now, changing
// nothing: every mail with its addresses, subject, body, attachments
// (names and sizes), whether it is encrypted and to which key. It is the
// same plan as the send's, refused for the same reasons. The report's VMT
// only, as the send: it shows the registry's addresses.
func (s *Service) PreviewNotice(ctx context.Context, a vmt.Actor, reportID int64, in vmt.NoticeInput) (*vmt.NoticePreview, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out *vmt.NoticePreview
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		pl, err := s.planNotice(tx, a, reportID, in)
		if err != nil {
			return err
		}
		out = &vmt.NoticePreview{ReportID: pl.r.ID, Disclosure: pl.at, Subject: pl.subject, Warnings: orEmpty(pl.warnings),
			Patches: vmt.NoticePatches{Attached: vmt.WithoutData(pl.patches.Attached), Without: orEmpty(pl.patches.Without)}}
		for _, m := range pl.mails {
			out.Mails = append(out.Mails, m.Preview(noticeSendAt(m, pl.now)))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// noticePlan is what sending the notice of a report now does, worked out
// once for the send and its preview so that the two cannot differ.
type noticePlan struct {
	r        *vmt.Report
	acc      vmt.Access
	now, at  time.Time
	override *vmt.TermsOverride
	subject  string
	patches  vmt.NoticePatches
	mails    []vmt.NoticeMail
	warnings []string
}

// planNotice checks that the notice of report reportID may go out now and
// plans it: the disclosure date from today under the project's policy,
// the rendered text, the approved series of each supported branch as
// attachments, one mail per stakeholder of the project and per list, and
// warnings for keys that stop working before the date. It writes nothing.
func (s *Service) planNotice(tx vmt.Tx, a vmt.Actor, reportID int64, in vmt.NoticeInput) (*noticePlan, error) {
	h := s.deps.Disclosure
	r, acc, err := s.loadReport(tx, a, reportID, vmt.ActionCoordinate)
	if err != nil {
		return nil, err
	}
	// Who may see the report is settled first: to anyone else it
	// does not exist, whatever this instance can do.
	if h.Planner == nil || h.Notice == nil {
		return nil, vmt.Errorf(vmt.EINVALID, "this instance sends no notices: no signing key and SMTP relay are configured")
	}
	if err := noticeReady(r); err != nil {
		return nil, err
	}
	if err := requireApprovals(tx, r); err != nil { // waiver.go
		return nil, err
	}
	p, err := tx.Project(r.ProjectID)
	if err != nil {
		return nil, err
	}
	set, err := s.settings(tx, p.ID)
	if err != nil {
		return nil, err
	}
	pl := &noticePlan{r: r, acc: acc, now: s.now()}
	if pl.at, err = h.Planner(set.Policy, pl.now); err != nil {
		return nil, vmt.Invalid("policy", "the project's disclosure policy: %v", err)
	}
	if pl.override, err = termsDate(r, &pl.at, pl.now, set, in, a); err != nil {
		return nil, err
	}
	if set.BeyondMaximum(pl.at, pl.now) {
		return nil, vmt.Invalid("disclosure_at", "%s is more than %d days away", pl.at.Format(time.RFC3339), set.MaxEmbargoDays)
	}
	coord, err := s.coordinator(tx, a, r)
	if err != nil {
		return nil, err
	}
	templates, err := templateOverrides(tx, p.ID)
	if err != nil {
		return nil, err
	}
	w, err := withheldOf(tx, r)
	if err != nil {
		return nil, err
	}
	if pl.patches, err = noticePatches(tx, r, p); err != nil {
		return nil, err
	}
	// The notice goes to stakeholders and lists: it withholds what
	// the reporter marked, whenever the texts were written.
	subj, body, err := h.Notice(vmt.NoticeFacts{Report: vmt.Published.Withhold(w).Report(r), Project: p, Coordinator: coord,
		Disclosure: pl.at, Templates: templates, Patches: pl.patches})
	if err != nil {
		return nil, vmt.Invalid("notice", "%v", err)
	}
	pl.subject = subj
	if pl.mails, err = noticeMails(tx, p, set, r.ID, subj, body, pl.at, pl.patches.Attached, h.Keys, pl.now); err != nil {
		return nil, err
	}
	if len(pl.mails) == 0 {
		// A notice to nobody would move the report on as if the
		// downstream stakeholders had been told.
		return nil, vmt.Invalid("recipients", "no stakeholder or list receives the notices of project %s", p.Name)
	}
	for _, m := range pl.mails {
		if m.PublicKey != "" && h.Keys != nil {
			if _, err := h.Keys(m.PublicKey, pl.at); err != nil {
				pl.warnings = append(pl.warnings, m.Recipient+": at the disclosure date, "+err.Error())
			}
		}
	}
	return pl, nil
}

// noticePatches are the attachments of r's notice: the approved series of
// each supported branch (vmt.ApprovedSeries, what the disclosure pushes),
// with their bytes, and the branches that have none.
func noticePatches(tx vmt.Tx, r *vmt.Report, p *vmt.Project) (vmt.NoticePatches, error) {
	fixes, err := tx.Fixes(r.ID)
	if err != nil {
		return vmt.NoticePatches{}, err
	}
	approved, without := vmt.ApprovedSeries(vmt.FixRows(p.Branches, fixes))
	out := vmt.NoticePatches{Without: without}
	component := vmt.PatchComponent(r.Components(), p.Name)
	for _, f := range approved {
		series, err := tx.FixSeries(f.ID)
		if err != nil {
			return vmt.NoticePatches{}, err
		}
		out.Attached = append(out.Attached, vmt.NewNoticeAttachment(r, f, component, []byte(series)))
	}
	return out, nil
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
// list of the project's settings, each carrying the attachments. A list's
// key fingerprint is read with keys (nil: not recorded), as a
// stakeholder's was when it was registered.
func noticeMails(tx vmt.Tx, p *vmt.Project, set *vmt.DisclosureSettings, reportID int64, subj, body string, at time.Time,
	attached []vmt.NoticeAttachment, keys vmt.KeyChecker, now time.Time) ([]vmt.NoticeMail, error) {
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
			PublicKey: k.PublicKey, Subject: subj, Body: body, Disclosure: at, Attachments: attached})
	}
	for _, l := range set.Lists {
		m := vmt.NoticeMail{ReportID: reportID, Recipient: "list:" + l.Name, To: []string{l.Address},
			Rules: l.Rules, PublicKey: l.PublicKey, Subject: l.Demands().Subject(subj), Body: body, Disclosure: at, Attachments: attached}
		if m.Encrypts() && keys != nil {
			if info, err := keys(l.PublicKey, now); err == nil {
				m.Fingerprint = info.Fingerprint
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// enqueueNotice writes m to the outbox under the key "notice:REPORT:TO",
// which makes a second enqueue of the same mail a conflict.
func (s *Service) enqueueNotice(tx vmt.Tx, m vmt.NoticeMail, now time.Time) error {
	// The linux-distros list takes notices at most 14 days before the
	// disclosure, which a reporter's later date can exceed: its mail waits
	// in the outbox until the list accepts it, instead of failing.
	return enqueueJSONAt(tx, "notice:"+itoa(int(m.ReportID))+":"+m.Recipient, vmt.KindNotice, m.ReportID, m, noticeSendAt(m, now), now)
}

// noticeSendAt is when the worker first sends m, enqueued at now.
func noticeSendAt(m vmt.NoticeMail, now time.Time) time.Time {
	return vmt.NoticeList{Rules: m.Rules}.Demands().Earliest(m.Disclosure, now)
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
