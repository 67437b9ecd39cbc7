package app

import (
	"context"
	"fmt"
	"slices"

	"github.com/vmtproject/vmt"
)

// DuplicateInput marks a report a duplicate of report Of. Subscribe lets
// the duplicate's reporter into the original: the coordinator's decision,
// never the default (duplicate.go says why).
type DuplicateInput struct {
	Of        int64 `json:"of"`
	Subscribe bool  `json:"subscribe"`
}

// MarkDuplicate marks report id a duplicate of in.Of in one action, by a
// coordinator of both: the report keeps the original's id and leaves the
// queue; its reporter is credited on the original as a finder (when they
// gave a credit or a name) and told on their own report, with the
// original named by number only; with in.Subscribe they are subscribed to
// the original besides. Each change is audited.
func (s *Service) MarkDuplicate(ctx context.Context, a vmt.Actor, id int64, in DuplicateInput) (*vmt.ReportView, error) {
	if in.Of <= 0 {
		return nil, vmt.Invalid("of", "is required: the number of the original report")
	}
	return s.change(ctx, a, id, vmt.ActionCoordinate, vmt.AuditReportDuplicate, func(tx vmt.Tx, r *vmt.Report, _ vmt.Access) error {
		orig, _, err := s.loadReport(tx, a, in.Of, vmt.ActionCoordinate)
		if vmt.ErrorCode(err) == vmt.ENOTFOUND {
			return vmt.Invalid("of", "no report #%d that you coordinate", in.Of)
		} else if err != nil {
			return err
		}
		dups, err := tx.DuplicatesOf(r.ID)
		if err != nil {
			return err
		}
		if err := vmt.CheckDuplicate(r, orig, len(dups) > 0); err != nil {
			return err
		}
		r.DuplicateOf = orig.ID
		reporter, err := tx.User(r.ReporterID)
		if err != nil && vmt.ErrorCode(err) != vmt.ENOTFOUND {
			return err
		}
		now := s.now()
		line := vmt.DuplicateCredit(r, reporter)
		if credit := vmt.WithCredit(orig.Credit, line); credit != orig.Credit {
			before := *orig
			orig.Credit, orig.UpdatedAt = credit, now
			if err := orig.Validate(); err != nil {
				return fmt.Errorf("credit the duplicate's reporter on #%d: %w", orig.ID, err)
			}
			if err := s.followRecord(tx, a, &before, orig); err != nil {
				return err
			}
			if err := tx.UpdateReport(orig); err != nil {
				return err
			}
			if err := s.auditDiff(tx, a, vmt.AuditReportUpdate, orig.ProjectID, orig.ID, subject("report", orig.ID), &before, orig); err != nil {
				return err
			}
		}
		if in.Subscribe && reporter != nil && !reporter.Disabled {
			subs, err := tx.Subscriptions(orig.ID)
			if err != nil {
				return err
			}
			if !slices.ContainsFunc(subs, func(sub *vmt.Subscription) bool { return sub.UserID == reporter.ID }) {
				if _, err := s.subscribeTo(tx, a, orig, reporter, now); err != nil {
					return err
				}
			}
		}
		_, err = s.comment(tx, a, r, duplicateComment(orig.ID, line, in.Subscribe && reporter != nil))
		return err
	})
}

// duplicateComment is what the duplicate's reporter reads on their report.
func duplicateComment(orig int64, credit string, subscribed bool) string {
	body := fmt.Sprintf("This report restates report #%d, which the vulnerability management team already handles: "+
		"it is marked a duplicate of #%d and closed here.", orig, orig)
	if credit != "" {
		body += "\n\nYou are credited on #" + fmt.Sprint(orig) + " as: " + credit
	} else {
		body += "\n\nNo one is credited for it on #" + fmt.Sprint(orig) + ": the report gives no credit and its account no name, " +
			"or you asked that your credit or identity never be disclosed."
	}
	if subscribed {
		body += fmt.Sprintf("\n\nYou are subscribed to #%d and can follow it there.", orig)
	}
	return body
}

// Triage returns what the VMT weighs a report with in a flood: the
// reports of the project most like it (SimilarReports) and its reporter's
// record with the project.
func (s *Service) Triage(ctx context.Context, a vmt.Actor, id int64) (*vmt.Triage, error) {
	sim, err := s.SimilarReports(ctx, a, id)
	if err != nil {
		return nil, err
	}
	out := &vmt.Triage{Similar: sim}
	err = s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, id, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		out.Reporter, err = tx.ReporterRecord(r.ProjectID, r.ReporterID)
		return err
	})
	return out, err
}

// discloseDuplicates makes public, with r, the private reports marked
// duplicates of r: they restate what r's disclosure has just made public.
// Each is audited as a disclosure and tells its people (notifyChange).
func (s *Service) discloseDuplicates(tx vmt.Tx, a vmt.Actor, r *vmt.Report) error {
	ids, err := tx.DuplicatesOf(r.ID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		d, err := tx.Report(id)
		if err != nil {
			return err
		}
		if d.Visibility != vmt.Private {
			continue
		}
		before := *d
		vmt.MakePublic(d)
		d.UpdatedAt = s.now()
		if err := tx.UpdateReport(d); err != nil {
			return err
		}
		if err := s.auditDiff(tx, a, vmt.AuditReportDisclose, d.ProjectID, d.ID, subject("report", d.ID), &before, d); err != nil {
			return err
		}
		if err := s.notifyChange(tx, a, &before, d); err != nil {
			return err
		}
	}
	return nil
}
