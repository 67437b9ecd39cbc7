package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// WaiveFix records that the report may reach its disclosure hour without an
// approved fix on in.Branch (every branch when ""), and that a waived
// branch that never gets a fix does not keep the report from Fix released
// (release.go). The report's coordinators and administrators may;
// a branch already waived is ECONFLICT. A held disclosure is looked at
// again by the worker at its next round.
func (s *Service) WaiveFix(ctx context.Context, a vmt.Actor, reportID int64, in vmt.WaiverInput) (*vmt.FixWaiver, error) {
	if err := vmt.CheckText("reason", in.Reason, vmt.MaxWaiverReasonLen, true); err != nil {
		return nil, err
	}
	if in.Branch != "" && (len(in.Branch) > vmt.MaxBranchNameLen || !vmt.BranchPattern.MatchString(in.Branch) || vmt.ContainsDotDot(in.Branch)) {
		return nil, vmt.Invalid("branch", "%q is not a branch name", in.Branch)
	}
	w := &vmt.FixWaiver{ReportID: reportID, Branch: in.Branch, Reason: strings.TrimSpace(in.Reason)}
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		if err := s.waivable(tx, r, in.Branch); err != nil {
			return err
		}
		w.CreatedBy, w.CreatedAt = a.ID(), s.now()
		if err := tx.CreateFixWaiver(w); err != nil {
			return err
		}
		return s.audit(tx, a, vmt.AuditFixWaive, r.ProjectID, r.ID, subject("report", r.ID), nil,
			map[string]any{"branch": w.Branch, "reason": w.Reason})
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// waivable refuses a waiver for a branch the project does not support, or
// one already waived.
func (s *Service) waivable(tx vmt.Tx, r *vmt.Report, branch string) error {
	p, err := tx.Project(r.ProjectID)
	if err != nil {
		return err
	}
	if branch != "" && !slices.Contains(p.Branches, branch) {
		return vmt.Invalid("branch", "%q is not a supported branch of %s", branch, p.Name)
	}
	ws, err := tx.FixWaivers(r.ID)
	if err != nil {
		return err
	}
	for _, w := range ws {
		if w.Branch == branch {
			what := "branch " + branch
			if branch == "" {
				what = "the whole report"
			}
			return &vmt.Error{Code: vmt.ECONFLICT, Field: "branch", Message: what + " is already waived"}
		}
	}
	return nil
}

// PreApprovalOf returns the waivers, the missing approvals and the hold of
// a report, to whoever may see it.
func (s *Service) PreApprovalOf(ctx context.Context, a vmt.Actor, reportID int64) (*vmt.PreApproval, error) {
	out := &vmt.PreApproval{}
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, vmt.ActionView)
		if err != nil {
			return err
		}
		if out.Waivers, err = tx.FixWaivers(r.ID); err != nil {
			return err
		}
		if out.Missing, err = missingApprovals(tx, r); err != nil {
			return err
		}
		out.Missing = orEmpty(out.Missing)
		h, err := tx.DisclosureHold(r.ID)
		if vmt.ErrorCode(err) == vmt.ENOTFOUND {
			return nil
		}
		out.Hold = h
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// missingApprovals returns the supported branches of r's project whose
// latest fix is not approved and that no waiver covers.
func missingApprovals(tx vmt.Tx, r *vmt.Report) ([]string, error) {
	p, err := tx.Project(r.ProjectID)
	if err != nil {
		return nil, err
	}
	fixes, err := tx.Fixes(r.ID)
	if err != nil {
		return nil, err
	}
	ws, err := tx.FixWaivers(r.ID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, b := range vmt.UnapprovedBranches(vmt.FixRows(p.Branches, fixes)) {
		if !slices.ContainsFunc(ws, func(w *vmt.FixWaiver) bool { return w.Covers(b) }) {
			out = append(out, b)
		}
	}
	return out, nil
}

// requireApprovals refuses to set a disclosure date for r while a branch
// lacks both an approved fix and a waiver, naming the branches.
func requireApprovals(tx vmt.Tx, r *vmt.Report) error {
	missing, err := missingApprovals(tx, r)
	if err != nil || len(missing) == 0 {
		return err
	}
	return &vmt.Error{Code: vmt.ECONFLICT, Field: "fixes", Message: "no approved fix and no waiver for " + branchList(missing) +
		": have a core reviewer approve a fix for each, or have a coordinator record a waiver saying why the report may be disclosed without one"}
}

func branchList(bs []string) string {
	if len(bs) == 1 {
		return "branch " + bs[0]
	}
	return "branches " + strings.Join(bs, ", ")
}

// nextDisclosable is DueDisclosure under the pre-approval rule, for the
// disclosure hour. It first lifts the holds whose branches are now all
// approved or waived (or whose report no longer waits for its hour), so
// that such a report is disclosed in this same round; then it holds each
// due report that still misses an approval, auditing
// vmt.AuditReportDisclosureHeld once per hold, and returns the first due report
// that misses none (0: none). Holds are written in the caller's
// transaction, and DueDisclosure skips held reports, so the loop ends.
func (s *Service) nextDisclosable(tx vmt.Tx, now time.Time) (int64, error) {
	if err := s.liftHolds(tx, now); err != nil {
		return 0, err
	}
	for {
		id, err := tx.DueDisclosure(now)
		if err != nil || id == 0 {
			return id, err
		}
		held, err := s.holdIfMissing(tx, id, now)
		if err != nil || !held {
			return id, err
		}
	}
}

// holdIfMissing holds report id's disclosure if a branch misses approval.
func (s *Service) holdIfMissing(tx vmt.Tx, id int64, now time.Time) (bool, error) {
	r, err := tx.Report(id)
	if err != nil {
		return false, err
	}
	missing, err := missingApprovals(tx, r)
	if err != nil || len(missing) == 0 {
		return false, err
	}
	h := &vmt.DisclosureHold{ReportID: r.ID, Branches: missing, HeldAt: now}
	if err := tx.HoldDisclosure(h); vmt.ErrorCode(err) == vmt.ECONFLICT {
		// Another instance held it, and audited the hold, between this
		// transaction's DueDisclosure reading it as due and locking it
		// (PostgreSQL's row lock does not read the holds again). It is
		// held: no second hold, no second audit; the next DueDisclosure
		// sees that hold and skips the report.
		return true, nil
	} else if err != nil {
		return false, err
	}
	if s.deps.Log != nil {
		s.deps.Log.Warn("disclosure held: a branch lacks an approved fix", "report", r.ID, "branches", len(missing))
	}
	return true, s.audit(tx, vmt.Anonymous, vmt.AuditReportDisclosureHeld, r.ProjectID, r.ID, subject("report", r.ID), nil,
		map[string]any{"branches": missing, "disclosure_at": r.DisclosureAt})
}

// liftHolds releases every hold that no longer applies, audited as
// vmt.AuditReportDisclosureReleased.
func (s *Service) liftHolds(tx vmt.Tx, now time.Time) error {
	hs, err := tx.DisclosureHolds()
	if err != nil {
		return err
	}
	for _, h := range hs {
		r, err := tx.Report(h.ReportID)
		if err != nil {
			return err
		}
		missing := []string(nil)
		if r.Visibility == vmt.Private && r.DisclosureAt != nil {
			if missing, err = missingApprovals(tx, r); err != nil {
				return err
			}
		}
		if len(missing) > 0 {
			continue
		}
		if err := tx.ReleaseDisclosure(r.ID); vmt.ErrorCode(err) == vmt.ENOTFOUND {
			continue // another instance lifted it since the list was read
		} else if err != nil {
			return err
		}
		if err := s.audit(tx, vmt.Anonymous, vmt.AuditReportDisclosureReleased, r.ProjectID, r.ID, subject("report", r.ID),
			h, map[string]any{"released_at": now}); err != nil {
			return err
		}
	}
	return nil
}
