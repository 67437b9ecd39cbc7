package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vmtproject/vmt"
)

// AttachFix adds a new version of the fix of a report for one of its
// project's branches. The report's coordinators, its reporter and the
// people subscribed to it may; a private report takes a series, checked by
// s.Checker against the branch, a public one a pull request link.
func (s *Service) AttachFix(ctx context.Context, a vmt.Actor, reportID int64, in vmt.FixInput) (*vmt.Fix, error) {
	f := &vmt.Fix{Branch: in.Branch, Series: in.Series, URL: in.URL, Commit: in.Commit, Subjects: []string{}}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var p *vmt.Project
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) { p, err = s.fixTarget(tx, a, reportID, f); return err })
	if err != nil {
		return nil, err
	}
	if f.Series != "" {
		if s.deps.Checker == nil {
			return nil, vmt.Invalid("series", "this instance checks no patches: no repository is configured")
		}
		c, err := s.deps.Checker.CheckSeries(ctx, p, f.Branch, []byte(f.Series))
		if err != nil {
			return nil, err
		}
		f.Subjects, f.BaseCommit = c.Subjects, c.Base
	}
	err = s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		if _, err := s.fixTarget(tx, a, reportID, f); err != nil {
			return err // checked again: access may have changed during the check
		}
		f.ReportID, f.UploadedBy, f.CreatedAt, f.Review = reportID, a.ID(), s.now(), vmt.ReviewPending
		if err := tx.CreateFix(f); err != nil {
			return err
		}
		if err := s.audit(tx, a, vmt.AuditFixAttach, p.ID, reportID, subject("fix", f.ID), nil, fixSummary(f)); err != nil {
			return err
		}
		r, err := tx.Report(reportID)
		if err != nil {
			return err
		}
		return s.notify(tx, a, vmt.NotifyPatchReview, r, notifyOf{Ref: subject("fix", f.ID), Text: fixText(f)})
	})
	if err != nil {
		return nil, err
	}
	f.Series = "" // answered as a list has it: the size, not the bytes again
	return f, nil
}

// fixTarget checks that the actor may attach f to the report, and that f
// fits it: a branch of the project, a series if private, a link if public.
func (s *Service) fixTarget(tx vmt.Tx, a vmt.Actor, reportID int64, f *vmt.Fix) (*vmt.Project, error) {
	r, _, err := s.loadReport(tx, a, reportID, vmt.ActionAttachFix)
	if err != nil {
		return nil, err
	}
	p, err := tx.Project(r.ProjectID)
	if err != nil {
		return nil, err
	}
	switch {
	case !slices.Contains(p.Branches, f.Branch):
		return nil, vmt.Invalid("branch", "%q is not a supported branch of %s", f.Branch, p.Name)
	case r.Visibility == vmt.Private && f.Series == "":
		// A pull request is public: a link to one for an embargoed
		// report would tell the world before the disclosure date.
		return nil, vmt.Invalid("url", "a private report takes the patch itself, not a pull request link: a public pull request would disclose the vulnerability before its date")
	case r.Visibility == vmt.Public && f.URL == "":
		return nil, vmt.Invalid("url", "a public report takes a pull request link")
	}
	return p, nil
}

// Fixes lists every version of the fixes of a report the actor may see;
// the patches are as private as the report.
func (s *Service) Fixes(ctx context.Context, a vmt.Actor, reportID int64) ([]*vmt.Fix, error) {
	var out []*vmt.Fix
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, vmt.ActionView)
		if err != nil {
			return err
		}
		out, err = tx.Fixes(r.ID)
		return err
	})
	return out, err
}

// FixPatch returns fix fixID of report reportID with its series, for an
// actor who may see the report: the one read of a patch's bytes for a
// person. A link, another report's fix or a hidden report is ENOTFOUND.
func (s *Service) FixPatch(ctx context.Context, a vmt.Actor, reportID, fixID int64) (*vmt.Fix, error) {
	var f *vmt.Fix
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, vmt.ActionView)
		if err != nil {
			return err
		}
		if f, err = tx.Fix(fixID); vmt.ErrorCode(err) == vmt.ENOTFOUND || err == nil && (f.ReportID != r.ID || !f.IsSeries()) {
			return vmt.NotFound("patch")
		} else if err != nil {
			return err
		}
		f.Series, err = tx.FixSeries(f.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// ReviewFix records a pre-approval or a request for changes on the latest
// version of a fix. The project's core reviewers and VMT members may, if
// they may see the report; an older version gets ECONFLICT.
func (s *Service) ReviewFix(ctx context.Context, a vmt.Actor, fixID int64, in vmt.ReviewInput) (*vmt.Fix, error) {
	if in.Review != vmt.ReviewApproved && in.Review != vmt.ReviewChangesRequested {
		return nil, vmt.Invalid("review", "%q is not a verdict (approved or changes_requested)", in.Review)
	}
	if err := vmt.CheckBytes("note", in.Note, vmt.MaxReviewNoteBytes, false); err != nil {
		return nil, err
	}
	var f *vmt.Fix
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) (err error) {
		var r *vmt.Report
		if f, r, err = s.reviewable(tx, a, fixID); err != nil {
			return err
		}
		before := *f
		now := s.now()
		f.Review, f.ReviewedBy, f.ReviewedAt, f.ReviewNote = in.Review, a.ID(), &now, in.Note
		if err := tx.UpdateFix(f); err != nil {
			return err
		}
		return s.auditDiff(tx, a, vmt.AuditFixReview, r.ProjectID, r.ID, subject("fix", f.ID), fixReview(&before), fixReview(f))
	})
	return f, err
}

// reviewable loads a fix the actor may review: ENOTFOUND if its report is
// hidden from them, EFORBIDDEN if they review nothing in the project,
// ECONFLICT if a newer version exists.
func (s *Service) reviewable(tx vmt.Tx, a vmt.Actor, fixID int64) (*vmt.Fix, *vmt.Report, error) {
	f, err := tx.Fix(fixID)
	if err != nil {
		return nil, nil, err
	}
	r, g, err := tx.ReportFor(f.ReportID, a.ID())
	if err != nil {
		return nil, nil, err
	}
	acc := vmt.AccessOf(a, r, g)
	if !acc.CanView(r) {
		return nil, nil, vmt.NotFound("fix")
	}
	if err := acc.Require(vmt.ActionReviewFix, r); err != nil {
		return nil, nil, err
	}
	all, err := tx.Fixes(r.ID)
	if err != nil {
		return nil, nil, err
	}
	for _, other := range all {
		if other.Branch == f.Branch && other.Version > f.Version {
			return nil, nil, vmt.Errorf(vmt.ECONFLICT, "version %d of this fix is newer; review that one", other.Version)
		}
	}
	return f, r, nil
}

// MayReviewFixes reports whether the actor may review the fixes of a
// report, for a page to offer the review forms; ENOTFOUND if the report is
// hidden from them. ReviewFix decides again.
func (s *Service) MayReviewFixes(ctx context.Context, a vmt.Actor, reportID int64) (bool, error) {
	var ok bool
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, g, err := tx.ReportFor(reportID, a.ID())
		if err != nil {
			return err
		}
		acc := vmt.AccessOf(a, r, g)
		if !acc.CanView(r) {
			return vmt.NotFound("report")
		}
		ok = acc.Can(vmt.ActionReviewFix, r)
		return nil
	})
	return ok, err
}

// fixSummary is what the audit log keeps of an upload: not the patch.
func fixSummary(f *vmt.Fix) map[string]any {
	return map[string]any{"branch": f.Branch, "version": f.Version, "subjects": f.Subjects, "url": f.URL, "commit": f.Commit}
}

func fixReview(f *vmt.Fix) map[string]any {
	return map[string]any{"review": f.Review, "reviewed_by": f.ReviewedBy, "review_note": f.ReviewNote}
}

// fixText says what a fix to review is: its branch, version and patches.
func fixText(f *vmt.Fix) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Version %d of the fix for the branch %s waits for review.", f.Version, f.Branch)
	if f.URL != "" {
		b.WriteString("\nPull request: " + f.URL)
	}
	for _, subj := range f.Subjects {
		b.WriteString("\n  " + subj)
	}
	return b.String()
}
