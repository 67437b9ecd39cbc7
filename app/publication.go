package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// PublicationSettingsOf returns a project's publication settings (empty
// until set). Its VMT and administrators only: the webhook URL is a secret.
func (s *Service) PublicationSettingsOf(ctx context.Context, a vmt.Actor, project string) (*vmt.PublicationSettings, error) {
	var out *vmt.PublicationSettings
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		p, err := s.projectVMT(tx, a, project, vmt.ProjectPublication)
		if err != nil {
			return err
		}
		out, err = publicationSettings(tx, p.ID)
		return err
	})
	return out, err
}

// SetPublicationSettings replaces a project's publication settings; its
// VMT and administrators may. The change is audited, the webhook URL as
// "set" or "unset" only.
func (s *Service) SetPublicationSettings(ctx context.Context, a vmt.Actor, project string, in vmt.PublicationSettings) (*vmt.PublicationSettings, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if in.AdvisoryNumbering == "" {
		in.AdvisoryNumbering = vmt.NumberAtEmbargo
	}
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		p, err := s.projectVMT(tx, a, project, vmt.ProjectPublication)
		if err != nil {
			return err
		}
		old, err := publicationSettings(tx, p.ID)
		if err != nil {
			return err
		}
		in.ProjectID = p.ID
		if err := tx.SetPublicationSettings(&in); err != nil {
			return err
		}
		return s.auditDiff(tx, a, vmt.AuditProjectPublication, p.ID, 0, subject("project", p.ID), redactSettings(old), redactSettings(&in))
	})
	if err != nil {
		return nil, err
	}
	return &in, nil
}

// Publisher returns what the exports of a project's advisories name as
// their publisher, to anyone: the CSAF namespace of its publication
// settings and the CNA of its CNA settings, nothing else of either.
func (s *Service) Publisher(ctx context.Context, projectID int64) (*vmt.Publisher, error) {
	var out vmt.Publisher
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		p, err := publicationSettings(tx, projectID)
		if err != nil {
			return err
		}
		c, err := cnaSettings(tx, projectID)
		if err != nil {
			return err
		}
		proj, err := tx.Project(projectID)
		if err != nil {
			return err
		}
		out = vmt.Publisher{Vendor: vmt.VendorName(proj), CSAFNamespace: p.CSAFNamespace, CVEOrgID: c.OrgID, CVEShortName: c.ShortName}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// PublishedAdvisories returns the published and withdrawn documents of a
// project (every project for ""), latest first, with the projects by id.
// Anyone may read them; no draft or embargoed document is ever among
// them, whoever asks.
func (s *Service) PublishedAdvisories(ctx context.Context, project string) ([]*vmt.Advisory, map[int64]*vmt.Project, error) {
	var out []*vmt.Advisory
	projects := map[int64]*vmt.Project{}
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		ps, err := tx.Projects()
		if err != nil {
			return err
		}
		var id int64
		for _, p := range ps {
			projects[p.ID] = p
			if p.Name == project {
				id = p.ID
			}
		}
		if project != "" && id == 0 {
			return vmt.Invalid("project", "no project is named %q", project)
		}
		if out, err = tx.PublicAdvisories(id); err != nil {
			return err
		}
		if out, err = published(tx, out...); err != nil {
			return err
		}
		for i, d := range out {
			if out[i], err = s.withFixCommits(tx, d); err != nil {
				return err
			}
		}
		return nil
	})
	// The store filters by state; this filters again, so that no change
	// there can ever list a document that is not public.
	out = slices.DeleteFunc(out, func(d *vmt.Advisory) bool { return !d.Public() })
	return out, projects, err
}

// PublishedAdvisory returns a published or withdrawn document by its id
// (KCSA-2026-001) and its project, to anyone. Anything else, a draft and
// an embargoed document included, is ENOTFOUND, whoever asks.
func (s *Service) PublishedAdvisory(ctx context.Context, id string) (*vmt.Advisory, *vmt.Project, error) {
	aid, err := vmt.ParseAdvisoryID(id)
	if err != nil {
		return nil, nil, vmt.NotFound("advisory")
	}
	var d *vmt.Advisory
	var proj *vmt.Project
	err = s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		ps, err := tx.Projects()
		if err != nil {
			return err
		}
		for _, p := range ps {
			got, err := tx.AdvisoryByID(p.ID, aid)
			if vmt.ErrorCode(err) == vmt.ENOTFOUND {
				continue
			}
			if err != nil {
				return err
			}
			// Only the id as the document writes it names it:
			// KCSA-2026-0001 or KCSA-2026-1 would be a second URL of
			// KCSA-2026-001 (the store matches on the number alone).
			if got.Public() && got.ID.String() == id {
				d, proj = got, p
				if d, err = publishedOne(tx, got); err != nil {
					return err
				}
				d, err = s.withFixCommits(tx, d)
				return err
			}
		}
		return vmt.NotFound("advisory")
	})
	if err != nil {
		return nil, nil, err
	}
	return d, proj, nil
}

// AdvisoryForExport returns a document to export for one who may see it:
// a public one as it is; an embargoed one, for those who may see its
// report, as it will be published (at the report's disclosure date,
// revision 1), so that its coordinators can check the exports before the
// disclosure. A draft has no id yet: ECONFLICT. embargoed says the
// document is such a preview, for the exports to label it so (CSAF's
// TLP).
func (s *Service) AdvisoryForExport(ctx context.Context, a vmt.Actor, recordID int64) (doc *vmt.Advisory, embargoed bool, err error) {
	var out *vmt.Advisory
	err = s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		d, err := s.loadAdvisory(tx, a, recordID, vmt.ActionView)
		if err != nil {
			return err
		}
		if d.Public() {
			// An export is a publication, whoever asks for it.
			if out, err = publishedOne(tx, d); err != nil {
				return err
			}
			out, err = s.withFixCommits(tx, out)
			return err
		}
		if d.State != vmt.AdvisoryEmbargoed {
			return vmt.Errorf(vmt.ECONFLICT, "the document is a %s: make it final (embargoed) to preview its exports", d.State)
		}
		at := s.now()
		if d.ReportID != 0 { // an imported document has no report
			r, err := tx.Report(d.ReportID)
			if err != nil {
				return err
			}
			if r.DisclosureAt != nil {
				at = *r.DisclosureAt
			}
		}
		if d.ID.IsZero() {
			// Numbered at publication: the preview shows the number it
			// would take if published now (not stored).
			if err := numberAdvisory(tx, d, at); err != nil {
				return err
			}
		}
		d.State, d.Published, d.Modified = vmt.AdvisoryPublished, &at, &at
		d.Revisions = []vmt.Revision{{Number: 1, Date: at.Truncate(24 * time.Hour), Summary: "Initial version"}}
		embargoed = true
		out, err = publishedOne(tx, d)
		return err
	})
	return out, embargoed, err
}

// AmendAdvisory publishes an erratum of a published document: doc is its
// corrected text, change says what was corrected. The revision number
// goes up by one, with a dated entry; the id, the publication date and
// the history stay. The erratum is announced like the publication.
// Coordinators of the report may; vectors already published may stay in
// their older CVSS versions.
func (s *Service) AmendAdvisory(ctx context.Context, a vmt.Actor, recordID int64, doc vmt.Advisory, change string) (*vmt.Advisory, error) {
	change = strings.TrimSpace(change)
	if err := checkChange("change", change); err != nil {
		return nil, err
	}
	return s.moveAdvisory(ctx, a, recordID, vmt.AuditAdvisoryErrata, func(tx vmt.Tx, old *vmt.Advisory, _ *vmt.Report) error {
		if old.State != vmt.AdvisoryPublished {
			return vmt.Errorf(vmt.ECONFLICT, "only a published document can get an erratum; %s is %s", old.ID, old.State)
		}
		for i, v := range doc.CVSS {
			if !slices.Contains(old.CVSS, v) {
				if err := currentCVSS(&vmt.Advisory{CVSS: []string{v}}); err != nil {
					return vmt.Invalid(fmt.Sprintf("cvss[%d]", i), "%q: write CVSS 3.1 or 4.0 vectors", v)
				}
			}
		}
		now := s.now()
		d := doc
		d.RecordID, d.ProjectID, d.ReportID, d.Kind, d.State, d.ID = old.RecordID, old.ProjectID, old.ReportID, old.Kind, old.State, old.ID
		d.Published, d.Withdrawn, d.Modified, d.Errata = old.Published, nil, &now, change
		d.Revisions = append(slices.Clone(old.Revisions), vmt.Revision{Number: nextRevision(old), Date: now.Truncate(24 * time.Hour), Summary: change})
		*old = d
		return s.announce(tx, old, "errata", now)
	})
}

// WithdrawAdvisory withdraws a published document, saying why: it stays
// on the public pages and in the feed, marked withdrawn, and its OSV
// export carries the withdrawal date. Coordinators of the report may.
func (s *Service) WithdrawAdvisory(ctx context.Context, a vmt.Actor, recordID int64, reason string) (*vmt.Advisory, error) {
	reason = strings.TrimSpace(reason)
	if err := checkChange("reason", reason); err != nil {
		return nil, err
	}
	return s.moveAdvisory(ctx, a, recordID, vmt.AuditAdvisoryWithdraw, func(tx vmt.Tx, d *vmt.Advisory, _ *vmt.Report) error {
		if d.State != vmt.AdvisoryPublished {
			return vmt.Errorf(vmt.ECONFLICT, "only a published document can be withdrawn; %s is %s", d.ID, d.State)
		}
		now := s.now()
		d.State, d.Withdrawn, d.Modified = vmt.AdvisoryWithdrawn, &now, &now
		d.Revisions = append(d.Revisions, vmt.Revision{Number: nextRevision(d), Date: now.Truncate(24 * time.Hour), Summary: "Withdrawn: " + reason})
		return s.announce(tx, d, "withdrawn", now)
	})
}

// publish makes an embargoed document published at now, as revision 1,
// and enqueues its announcements. The caller checks that its report is
// public and stores it.
func (s *Service) publish(tx vmt.Tx, d *vmt.Advisory, now time.Time) error {
	if d.ID.IsZero() {
		// The project numbers at publication (AdvisoryNumbering): the
		// document takes the next number of the year it goes out.
		if err := numberAdvisory(tx, d, now); err != nil {
			return err
		}
	}
	d.State, d.Published, d.Modified = vmt.AdvisoryPublished, &now, &now
	d.Revisions = []vmt.Revision{{Number: 1, Date: now.Truncate(24 * time.Hour), Summary: "Initial version"}}
	return s.announce(tx, d, "published", now)
}

// publishDisclosed publishes the embargoed documents of a report the
// disclosure hour has just made public, in the disclosure's transaction,
// audited as the system's. Their text was checked when they were made
// final; nothing here can hold the disclosure back but the store.
func (s *Service) publishDisclosed(tx vmt.Tx, r *vmt.Report, now time.Time) error {
	ds, err := tx.AdvisoriesOfReport(r.ID)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.State != vmt.AdvisoryEmbargoed {
			continue
		}
		before := advisorySummary(d)
		if err := s.publish(tx, d, now); err != nil {
			return err
		}
		if err := tx.UpdateAdvisory(d); err != nil {
			return err
		}
		if err := s.audit(tx, vmt.Anonymous, vmt.AuditAdvisoryPublish, d.ProjectID, d.ReportID, subject("advisory", d.RecordID), before, advisorySummary(d)); err != nil {
			return err
		}
	}
	return s.closeByNote(tx, r)
}

// announce enqueues the mail to the project's list and the webhook call
// of an event ("published", "errata", "withdrawn") of a public document.
// Each has a key naming the document, the event and the revision, so the
// same announcement is never enqueued twice. Its texts withhold what the
// reporter marked.
func (s *Service) announce(tx vmt.Tx, stored *vmt.Advisory, event string, now time.Time) error {
	if !stored.Public() {
		return vmt.Errorf(vmt.EINTERNAL, "announce of %s, which is %s", stored.ID, stored.State)
	}
	d, err := publishedOne(tx, stored)
	if err != nil {
		return err
	}
	if err := s.queueForgePublish(tx, d, event, now); err != nil {
		return err
	}
	set, err := publicationSettings(tx, d.ProjectID)
	if err != nil {
		return err
	}
	if len(set.Lists) == 0 && set.WebhookURL == "" {
		return nil
	}
	p, err := tx.Project(d.ProjectID)
	if err != nil {
		return err
	}
	key := fmt.Sprintf("publication:%d:%s:%d", d.RecordID, event, nextRevision(d)-1)
	if len(set.Lists) > 0 {
		templates, err := documentTemplates(tx, p.ID)
		if err != nil {
			return err
		}
		subj, body := s.announcement(p, d, event, templates)
		// One mail per list, each under a key of its own: a list added
		// later, or one whose mail failed, does not hold back the others.
		for _, l := range set.Lists {
			m := vmt.NoticeMail{ReportID: d.ReportID, Recipient: "announce:" + l.Address, To: []string{l.Address},
				Subject: subj, Body: body, Disclosure: now, Unsigned: l.Signing == vmt.SignNone}
			if err := enqueueJSON(tx, key+":mail:"+strings.ToLower(l.Address), vmt.KindPublicationMail, d.ReportID, m, now); err != nil {
				return err
			}
		}
	}
	if set.WebhookURL != "" {
		c := vmt.WebhookCall{URL: set.WebhookURL, Text: chatText(d, event, s.advisoryURL(d))}
		if err := enqueueJSON(tx, key+":webhook", vmt.KindWebhook, d.ReportID, c, now); err != nil {
			return err
		}
	}
	return nil
}

// announcement is the subject and body of the mail of an event.
func (s *Service) announcement(p *vmt.Project, d *vmt.Advisory, event string, templates map[string]string) (string, string) {
	subj, body := "", ""
	if s.deps.Publication.Render != nil {
		var err error
		if subj, body, err = s.deps.Publication.Render(p, d, templates); err != nil {
			if s.deps.Log != nil {
				s.deps.Log.Warn("announcement template failed; sending the plain text", "advisory", d.ID.String(), "err", err)
			}
			subj, body = "", ""
		}
	}
	if body == "" {
		subj, body = plainAnnouncement(d)
	}
	link := s.advisoryURL(d)
	switch event {
	case "errata":
		r := d.Revisions[len(d.Revisions)-1]
		subj = fmt.Sprintf("[ERRATA %d] %s", r.Number-1, subj)
		body = fmt.Sprintf("Errata %d (revision %d, %s):\n%s\n\n%s", r.Number-1, r.Number, r.Date.Format(time.DateOnly), d.Errata, body)
	case "withdrawn":
		r := d.Revisions[len(d.Revisions)-1]
		subj = "[WITHDRAWN] " + subj
		body = fmt.Sprintf("%s was withdrawn on %s.\n%s\n", d.ID, d.Withdrawn.Format(time.DateOnly), r.Summary)
	}
	return subj, body + "\n\n" + link + "\n"
}

// plainAnnouncement is the text of a document without its template.
func plainAnnouncement(d *vmt.Advisory) (string, string) {
	subj := d.ID.String() + ": " + d.Title
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n\n", subj, strings.Repeat("=", min(len(subj), 72)))
	if d.Summary != "" {
		b.WriteString(d.Summary + "\n\n")
	}
	for _, af := range d.Affected {
		fmt.Fprintf(&b, "Affects: %s %s\n", af.Component, af.Versions)
	}
	if len(d.CVEs) > 0 {
		fmt.Fprintf(&b, "CVE: %s\n", strings.Join(d.CVEs, ", "))
	}
	b.WriteString("\n" + strings.TrimSpace(d.Description) + "\n")
	if m := strings.TrimSpace(d.Mitigation); m != "" {
		b.WriteString("\nMitigation:\n" + m + "\n")
	}
	return subj, b.String()
}

// chatText is the one message a chat webhook gets.
func chatText(d *vmt.Advisory, event, link string) string {
	what := map[string]string{"published": "published", "errata": "amended (errata)", "withdrawn": "withdrawn"}[event]
	t := fmt.Sprintf("%s %s: %s", d.ID, what, d.Title)
	if len(d.CVEs) > 0 {
		t += " (" + strings.Join(d.CVEs, ", ") + ")"
	}
	return t + " " + link
}

// advisoryURL is the public page of a document.
func (s *Service) advisoryURL(d *vmt.Advisory) string {
	return strings.TrimRight(s.deps.Publication.BaseURL, "/") + "/advisories/" + d.ID.String()
}

// enqueueJSON writes payload, as JSON, to the outbox under key, due at now.
func enqueueJSON(tx vmt.Tx, key, kind string, reportID int64, payload any, now time.Time) error {
	return enqueueJSONAt(tx, key, kind, reportID, payload, now, now)
}

// enqueueJSONAt is enqueueJSON for an item first tried at next.
func enqueueJSONAt(tx vmt.Tx, key, kind string, reportID int64, payload any, next, now time.Time) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	return tx.Enqueue(&vmt.OutboxItem{Key: key, Kind: kind, ReportID: reportID, Payload: b, NextAttempt: next, CreatedAt: now})
}

func nextRevision(d *vmt.Advisory) int {
	n := 1
	for _, r := range d.Revisions {
		n = max(n, r.Number+1)
	}
	return n
}

func checkChange(field, s string) error {
	switch {
	case s == "":
		return vmt.Invalid(field, "say what changed: it is published with the revision")
	case len(s) > vmt.MaxChangeLen:
		return vmt.Invalid(field, "is longer than %d bytes", vmt.MaxChangeLen)
	}
	return nil
}

// DocumentTemplates returns a project's own texts of the published
// documents (kcsa, kcsn; none when it uses the defaults), to anyone: they
// shape only what is public. Its other templates are not among them.
func (s *Service) DocumentTemplates(ctx context.Context, projectID int64) (map[string]string, error) {
	var out map[string]string
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) {
		out, err = documentTemplates(tx, projectID)
		return err
	})
	return out, err
}

func documentTemplates(tx vmt.Tx, projectID int64) (map[string]string, error) {
	all, err := templateOverrides(tx, projectID)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, name := range []string{"kcsa", "kcsn"} {
		if t, ok := all[name]; ok {
			out[name] = t
		}
	}
	return out, nil
}

// publicationSettings returns a project's settings, empty when unset.
func publicationSettings(tx vmt.Tx, projectID int64) (*vmt.PublicationSettings, error) {
	set, err := tx.PublicationSettings(projectID)
	if vmt.ErrorCode(err) == vmt.ENOTFOUND {
		return &vmt.PublicationSettings{ProjectID: projectID, AdvisoryNumbering: vmt.NumberAtEmbargo}, nil
	}
	return set, err
}

// redactSettings is what the audit log keeps of settings: whether a
// webhook is set, never its URL, which works as a password.
func redactSettings(p *vmt.PublicationSettings) map[string]any {
	hook := "unset"
	if p.WebhookURL != "" {
		hook = "set"
	}
	lists := make([]string, len(p.Lists))
	for i, l := range p.Lists {
		lists[i] = l.Address + ":" + l.Signing
	}
	return map[string]any{"lists": lists, "webhook": hook, "csaf_namespace": p.CSAFNamespace,
		"advisory_numbering": string(p.AdvisoryNumbering)}
}
