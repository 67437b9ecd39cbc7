package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// Advisories in the service: a coordinator drafts the document of a report
// (a KCSA for class A, a KCSN for class B1 to B3), edits it while it is a
// draft or embargoed, numbers it when it is final (embargoed) or when it
// is published, as its project chooses (AdvisoryNumbering), and publishes
// it once the report is public. A draft or embargoed document is
// as private as its report; a published one is anyone's.

// DraftAdvisory stores doc as the draft document of a report. The
// report's coordinators (and administrators) may; the report must be
// classified into a class that leads to a document, whose kind doc takes.
// The id, state, dates and revisions are the service's to set.
func (s *Service) DraftAdvisory(ctx context.Context, a vmt.Actor, reportID int64, doc vmt.Advisory) (*vmt.Advisory, error) {
	var out *vmt.Advisory
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, vmt.ActionEdit)
		if err != nil {
			return err
		}
		out, err = s.storeDraft(tx, a, r, doc, vmt.AuditAdvisoryDraft)
		return err
	})
	return out, err
}

// storeDraft checks and stores doc as a new draft document of r, audited
// as action.
func (s *Service) storeDraft(tx vmt.Tx, a vmt.Actor, r *vmt.Report, doc vmt.Advisory, action string) (*vmt.Advisory, error) {
	kind, ok := vmt.KindFor(r.Class)
	if !ok {
		return nil, vmt.Errorf(vmt.ECONFLICT, "the report's class (%s) leads to no advisory or note; classify it first", orDash(string(r.Class)))
	}
	d := doc
	d.RecordID, d.ProjectID, d.ReportID, d.Kind, d.State = 0, r.ProjectID, r.ID, kind, vmt.AdvisoryDraft
	d.ID, d.Published, d.Modified, d.Withdrawn, d.Revisions = vmt.AdvisoryID{}, nil, nil, nil, nil
	if err := currentCVSS(&d); err != nil {
		return nil, err
	}
	if err := s.checkAdvisory(&d); err != nil {
		return nil, err
	}
	if err := tx.CreateAdvisory(&d); err != nil {
		return nil, err
	}
	return &d, s.audit(tx, a, action, r.ProjectID, r.ID, subject("advisory", d.RecordID), nil, advisorySummary(&d))
}

// Advisory returns a document: a published or withdrawn one to anyone, a
// draft or embargoed one only to those who may see its report (ENOTFOUND
// for the others, exactly as for a missing one).
func (s *Service) Advisory(ctx context.Context, a vmt.Actor, recordID int64) (*vmt.Advisory, error) {
	var out *vmt.Advisory
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		d, err := s.loadAdvisory(tx, a, recordID, vmt.ActionView)
		if err != nil {
			return err
		}
		out, err = seenDoc(tx, a, d)
		return err
	})
	return out, err
}

// ReportAdvisories returns the documents of a report the actor may see.
func (s *Service) ReportAdvisories(ctx context.Context, a vmt.Actor, reportID int64) ([]*vmt.Advisory, error) {
	var out []*vmt.Advisory
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, acc, err := s.loadReport(tx, a, reportID, vmt.ActionView)
		if err != nil {
			return err
		}
		all, err := tx.AdvisoriesOfReport(r.ID)
		if err != nil {
			return err
		}
		w, err := withheldOf(tx, r)
		if err != nil {
			return err
		}
		out = make([]*vmt.Advisory, 0, len(all))
		for _, d := range all {
			if d.Public() || vmt.UnpublishedVisible(acc, r) {
				out = append(out, acc.Withhold(w).Advisory(d))
			}
		}
		return nil
	})
	return out, err
}

// PublicAdvisories returns the published and withdrawn documents of a
// project, latest first; no one needs to sign in, and no draft or
// embargoed document is ever among them.
func (s *Service) PublicAdvisories(ctx context.Context, project string) ([]*vmt.Advisory, error) {
	var out []*vmt.Advisory
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		p, err := projectFor(tx, project)
		if err != nil {
			return err
		}
		if out, err = tx.PublicAdvisories(p.ID); err != nil {
			return err
		}
		out, err = published(tx, out...)
		return err
	})
	return out, err
}

// UpdateAdvisory replaces the text of a draft or embargoed document; the
// report's coordinators may. A published one is ECONFLICT: it changes
// only through an erratum.
func (s *Service) UpdateAdvisory(ctx context.Context, a vmt.Actor, recordID int64, doc vmt.Advisory) (*vmt.Advisory, error) {
	var out *vmt.Advisory
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		old, err := s.loadAdvisory(tx, a, recordID, vmt.ActionEdit)
		if err != nil {
			return err
		}
		if old.Public() {
			return vmt.Errorf(vmt.ECONFLICT, "%s is %s: it changes only through an erratum", old.ID, old.State)
		}
		d := doc
		d.RecordID, d.ProjectID, d.ReportID, d.Kind, d.State = old.RecordID, old.ProjectID, old.ReportID, old.Kind, old.State
		d.ID, d.Published, d.Modified, d.Withdrawn, d.Revisions = old.ID, nil, nil, nil, nil
		if err := currentCVSS(&d); err != nil {
			return err
		}
		if err := s.checkAdvisory(&d); err != nil {
			return err
		}
		if err := tx.UpdateAdvisory(&d); err != nil {
			return err
		}
		out = &d
		return s.audit(tx, a, vmt.AuditAdvisoryUpdate, d.ProjectID, d.ReportID, subject("advisory", d.RecordID), advisorySummary(old), advisorySummary(&d))
	})
	return out, err
}

// EmbargoAdvisory makes a draft final: it takes the next number of its
// project's prefix for its kind and the current year (KCSA-2026-001) and
// waits, embargoed, for the disclosure. Coordinators may.
func (s *Service) EmbargoAdvisory(ctx context.Context, a vmt.Actor, recordID int64) (*vmt.Advisory, error) {
	return s.moveAdvisory(ctx, a, recordID, vmt.AuditAdvisoryEmbargo, func(tx vmt.Tx, d *vmt.Advisory, _ *vmt.Report) error {
		if d.State != vmt.AdvisoryDraft {
			return vmt.Errorf(vmt.ECONFLICT, "only a draft can be made final; this one is %s", d.State)
		}
		set, err := publicationSettings(tx, d.ProjectID)
		if err != nil {
			return err
		}
		if err := s.checkRenders(tx, d); err != nil {
			return err
		}
		d.State = vmt.AdvisoryEmbargoed
		if set.AdvisoryNumbering == vmt.NumberAtPublication {
			return nil // numbered by publish, so no gap shows what is embargoed
		}
		return numberAdvisory(tx, d, s.now())
	})
}

// numberAdvisory gives d the next number of its project's prefix for its
// kind in the year of now.
func numberAdvisory(tx vmt.Tx, d *vmt.Advisory, now time.Time) error {
	p, err := tx.Project(d.ProjectID)
	if err != nil {
		return err
	}
	prefix, year := p.Prefix(d.Kind), now.Year()
	n, err := tx.NextAdvisoryNumber(p.ID, prefix, year)
	if err != nil {
		return err
	}
	d.ID = vmt.NewAdvisoryID(prefix, year, n)
	return nil
}

// PublishAdvisory publishes an embargoed document, once its report is
// public: before that, publishing would disclose the vulnerability ahead
// of the embargo (ECONFLICT). Coordinators may.
func (s *Service) PublishAdvisory(ctx context.Context, a vmt.Actor, recordID int64) (*vmt.Advisory, error) {
	return s.moveAdvisory(ctx, a, recordID, vmt.AuditAdvisoryPublish, func(tx vmt.Tx, d *vmt.Advisory, r *vmt.Report) error {
		switch {
		case d.State != vmt.AdvisoryEmbargoed:
			return vmt.Errorf(vmt.ECONFLICT, "only a final (embargoed) document can be published; this one is %s", d.State)
		case r == nil:
			// Its embargo is nowhere written down: nothing says it may go out.
			return vmt.Errorf(vmt.ECONFLICT, "%s has no report whose disclosure would publish it", d.ID)
		case r.Visibility != vmt.Public:
			return vmt.Errorf(vmt.ECONFLICT, "the report is still private: the document is published at the disclosure, not before")
		}
		if err := s.checkRenders(tx, d); err != nil {
			return err
		}
		return s.publish(tx, d, s.now())
	})
}

// checkRenders refuses a document that its project's announcement
// template cannot render (a note with no summary): EINVALID naming the
// field. It runs when a document is made final and when it is published
// by hand, so that the disclosure hour, which publishes what is final and
// is held back by nothing, meets no document it cannot announce.
func (s *Service) checkRenders(tx vmt.Tx, d *vmt.Advisory) error {
	if s.deps.Publication.Render == nil {
		return nil
	}
	p, err := tx.Project(d.ProjectID)
	if err != nil {
		return err
	}
	templates, err := documentTemplates(tx, p.ID)
	if err != nil {
		return err
	}
	// The document as it will be announced: numbered, dated, revision 1.
	c, now := *d, s.now()
	if c.ID.IsZero() {
		c.ID = vmt.AdvisoryID{Prefix: p.Prefix(c.Kind), Year: now.Year(), Number: 1}
	}
	if c.Published == nil {
		c.Published, c.Modified = &now, &now
	}
	if len(c.Revisions) == 0 {
		c.Revisions = []vmt.Revision{{Number: 1, Date: now.Truncate(24 * time.Hour), Summary: "Initial version"}}
	}
	_, _, err = s.deps.Publication.Render(p, &c, templates)
	return err
}

// moveAdvisory loads a document for a coordinator of its report (of its
// project's VMT for a document with no report, imported from elsewhere),
// lets fn change it, checks and stores the result, and audits the move.
// fn gets a nil report for a document with none.
func (s *Service) moveAdvisory(ctx context.Context, a vmt.Actor, recordID int64, action string, fn func(vmt.Tx, *vmt.Advisory, *vmt.Report) error) (*vmt.Advisory, error) {
	var out *vmt.Advisory
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		d, err := s.loadAdvisory(tx, a, recordID, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		var r *vmt.Report
		if d.ReportID != 0 {
			if r, err = tx.Report(d.ReportID); err != nil {
				return err
			}
		}
		before := advisorySummary(d)
		if err := fn(tx, d, r); err != nil {
			return err
		}
		if err := s.checkAdvisory(d); err != nil {
			return err
		}
		if err := tx.UpdateAdvisory(d); err != nil {
			return err
		}
		out = d
		if err := s.audit(tx, a, action, d.ProjectID, d.ReportID, subject("advisory", d.RecordID), before, advisorySummary(d)); err != nil {
			return err
		}
		if r != nil && d.State == vmt.AdvisoryPublished {
			return s.closeByNote(tx, r) // a note published by hand closes its report
		}
		return nil
	})
	return out, err
}

// loadAdvisory returns a document if the actor may do act to it: a public
// document may be viewed by anyone; anything else follows its report,
// whose rules say who may see and change it.
func (s *Service) loadAdvisory(tx vmt.Tx, a vmt.Actor, recordID int64, act vmt.Action) (*vmt.Advisory, error) {
	d, err := tx.Advisory(recordID)
	if err != nil {
		return nil, err
	}
	if act == vmt.ActionView && d.Public() {
		return d, nil
	}
	if d.ReportID == 0 {
		// A document with no report (imported from the project's earlier
		// advisories): its project's VMT answers for it, as it would for
		// a report, and administrators.
		return d, s.projectDocument(tx, a, d)
	}
	r, acc, err := s.loadReport(tx, a, d.ReportID, act)
	if err != nil {
		if vmt.ErrorCode(err) == vmt.ENOTFOUND {
			return nil, vmt.NotFound("advisory")
		}
		return nil, err
	}
	if !d.Public() && !vmt.UnpublishedVisible(acc, r) {
		return nil, vmt.NotFound("advisory")
	}
	return d, nil
}

// checkAdvisory validates d whole: its fields, then its CVSS vectors.
func (s *Service) checkAdvisory(d *vmt.Advisory) error {
	if err := d.Validate(); err != nil {
		return err
	}
	if s.deps.CheckAdvisory == nil {
		if len(d.CVSS) > 0 {
			return vmt.Invalid("cvss", "this instance cannot score CVSS vectors")
		}
		return nil
	}
	return s.deps.CheckAdvisory(d)
}

// currentCVSS refuses vectors of the older versions in a document written
// here: the process scores with CVSS 3.1 and 4.0 (imported documents keep
// the 2.0 and 3.0 vectors they were published with).
func currentCVSS(d *vmt.Advisory) error {
	for i, v := range d.CVSS {
		if !strings.HasPrefix(v, "CVSS:3.1/") && !strings.HasPrefix(v, "CVSS:4.0/") {
			return vmt.Invalid(fmt.Sprintf("cvss[%d]", i), "%q: write CVSS 3.1 or 4.0 vectors (CVSS:3.1/… or CVSS:4.0/…)", v)
		}
	}
	return nil
}

// advisorySummary is what the audit log keeps of a document: not its text.
func advisorySummary(d *vmt.Advisory) map[string]any {
	return map[string]any{"id": d.ID.String(), "kind": d.Kind, "state": d.State, "title": d.Title, "revision": len(d.Revisions)}
}

// projectDocument says whether a may see and change d, a document with no
// report: administrators and its project's VMT may. Others are refused a
// published one (EFORBIDDEN) and do not see any other (ENOTFOUND).
func (s *Service) projectDocument(tx vmt.Tx, a vmt.Actor, d *vmt.Advisory) error {
	if a.IsAdmin() {
		return nil
	}
	if ok, err := vmtOf(tx, a, d.ProjectID); ok || err != nil {
		return err
	}
	if d.Public() {
		return vmt.Errorf(vmt.EFORBIDDEN, "only the project's VMT may change %s", d.ID)
	}
	return vmt.NotFound("advisory")
}

// AdvisoryRecordDiff lists the fields of a document not yet public that
// say something other than what its report's record now makes of them
// (vmt.RecordDiff), for the report's VMT: a draft a person edited does not
// follow its record, and this is how they see that it is behind.
func (s *Service) AdvisoryRecordDiff(ctx context.Context, a vmt.Actor, recordID int64) ([]vmt.FieldDiff, error) {
	out := []vmt.FieldDiff{}
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		d, err := s.loadAdvisory(tx, a, recordID, vmt.ActionEdit)
		if err != nil || d.ReportID == 0 {
			return err
		}
		r, err := tx.Report(d.ReportID)
		if err != nil {
			return err
		}
		p, err := tx.Project(r.ProjectID)
		if err != nil {
			return err
		}
		if diff := vmt.RecordDiff(d, vmt.DraftFacts{Report: r, Project: p}); diff != nil {
			out = diff
		}
		return nil
	})
	return out, err
}
