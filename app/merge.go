package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// TrackFixes is the background job of merge tracking: for every open
// report, it looks for the latest version of each branch's fix on that
// branch and stores what it found, with an audit event when the state
// changes. A report in Fix committed whose every supported branch has its
// fix, and whose advisory is published, moves to Fix released. A project
// whose repository fails is logged and skipped.
//
// With a forge, a fix whose branch's pull request is merged on it is
// merged, as the pull request's merge commit (forge_hour.go).
func (s *Service) TrackFixes(ctx context.Context) error {
	if s.deps.Tracker == nil && s.deps.Forge == nil {
		return nil
	}
	byProject, projects, err := s.openFixes(ctx)
	if err != nil {
		return err
	}
	if s.deps.Tracker == nil { // only pull requests: the projects with a forge
		if byProject, err = s.forgeProjects(ctx, byProject); err != nil {
			return err
		}
	}
	for pid, fixes := range byProject {
		var results []vmt.MergeResult
		if s.deps.Tracker != nil {
			if results, err = s.deps.Tracker.TrackMerges(ctx, projects[pid], fixes); err != nil {
				s.logWarn("merge tracking failed", "project", projects[pid].Name, "err", err)
				results = nil
				if s.deps.Forge == nil {
					continue
				}
			}
		}
		results = s.pullRequestMerges(ctx, pid, fixes, results)
		if err := s.storeMerges(ctx, results); err != nil {
			return err
		}
	}
	return s.releaseDone(ctx, byProject)
}

// releaseDone releases the reports whose fixes have all landed.
func (s *Service) releaseDone(ctx context.Context, byProject map[int64][]*vmt.Fix) error {
	seen := map[int64]bool{}
	for _, fixes := range byProject {
		for _, f := range fixes {
			if seen[f.ReportID] {
				continue
			}
			seen[f.ReportID] = true
			if err := s.releaseIfDone(ctx, f.ReportID); err != nil {
				return err
			}
		}
	}
	return nil
}

// openFixes returns the latest fix per branch of every open report, by
// project.
func (s *Service) openFixes(ctx context.Context) (map[int64][]*vmt.Fix, map[int64]*vmt.Project, error) {
	byProject, projects := map[int64][]*vmt.Fix{}, map[int64]*vmt.Project{}
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		for offset := 0; ; offset += vmt.MaxPageSize {
			reports, _, err := tx.Reports(vmt.ReportFilter{Viewer: vmt.Viewer{Admin: true}, Limit: vmt.MaxPageSize, Offset: offset})
			if err != nil {
				return err
			}
			for _, r := range reports {
				if err := collectFixes(tx, r, byProject, projects); err != nil {
					return err
				}
			}
			if len(reports) < vmt.MaxPageSize {
				return nil
			}
		}
	})
	return byProject, projects, err
}

func collectFixes(tx vmt.Tx, r *vmt.Report, byProject map[int64][]*vmt.Fix, projects map[int64]*vmt.Project) error {
	if r.Status.Closed() {
		return nil
	}
	fixes, err := tx.Fixes(r.ID)
	if err != nil {
		return err
	}
	latest := map[string]*vmt.Fix{}
	for _, f := range fixes { // by branch, then version: the last one wins
		latest[f.Branch] = f
	}
	for _, f := range latest {
		// The tracker looks for a series by the identity of its patches:
		// only the latest version's bytes are read, not every version's.
		if f.IsSeries() {
			if f.Series, err = tx.FixSeries(f.ID); err != nil {
				return err
			}
		}
		if projects[r.ProjectID] == nil {
			if projects[r.ProjectID], err = tx.Project(r.ProjectID); err != nil {
				return err
			}
		}
		byProject[r.ProjectID] = append(byProject[r.ProjectID], f)
	}
	return nil
}

// storeMerges writes the results, auditing each change of state.
func (s *Service) storeMerges(ctx context.Context, results []vmt.MergeResult) error {
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		now := s.now()
		for _, res := range results {
			if err := s.storeMerge(tx, res, now); err != nil {
				return fmt.Errorf("store merge state of fix %d: %w", res.FixID, err)
			}
		}
		return nil
	})
}

func (s *Service) storeMerge(tx vmt.Tx, res vmt.MergeResult, now time.Time) error {
	f, err := tx.Fix(res.FixID)
	if err != nil {
		return err
	}
	before := map[string]any{"merge": f.Merge, "merge_commit": f.MergeCommit, "merge_error": f.MergeError}
	changed := f.Merge != res.State || f.MergeCommit != res.Commit || f.MergeError != res.Err
	f.Merge, f.MergeCommit, f.MergeError, f.MergeCheckedAt = res.State, res.Commit, res.Err, &now
	if err := tx.UpdateFix(f); err != nil || !changed {
		return err
	}
	r, err := tx.Report(f.ReportID)
	if err != nil {
		return err
	}
	after := map[string]any{"merge": f.Merge, "merge_commit": f.MergeCommit, "merge_error": f.MergeError}
	if err := s.auditDiff(tx, vmt.Actor{}, vmt.AuditFixMerge, r.ProjectID, r.ID, subject("fix", f.ID), before, after); err != nil {
		return err
	}
	if r.Visibility == vmt.Private && (f.Merge == vmt.MergeCompleted || f.Merge == vmt.MergePartial) {
		return s.possibleLeak(tx, r, f, now)
	}
	return nil
}

// possibleLeak tells the coordinators of private report r that its fix f
// is merged on the tracked repository before the disclosure
// (vmt.PublicBeforeDisclosure): the report keeps the first sighting
// (Report.PossibleLeak), which its page, the dashboard and the API show,
// the page offering to end the embargo. The mail names the report by
// number, branch and commit only, as the timers' reminders do: it is
// signed, not encrypted, so it carries nothing the embargo keeps.
func (s *Service) possibleLeak(tx vmt.Tx, r *vmt.Report, f *vmt.Fix, now time.Time) error {
	if vmt.FlagPossibleLeak(r, f, now) {
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
	}
	p, err := tx.Project(r.ProjectID)
	if err != nil {
		return err
	}
	to, err := s.coordinatorsOf(tx, r)
	if err != nil {
		return err
	}
	facts := map[string]any{"fix_id": f.ID, "branch": f.Branch, "merge": f.Merge, "merge_commit": f.MergeCommit,
		"disclosure_at": r.DisclosureAt, "to": to}
	if len(to) > 0 {
		link := fmt.Sprintf("report %d", r.ID)
		if base := strings.TrimRight(s.deps.Publication.BaseURL, "/"); base != "" {
			link = fmt.Sprintf("%s/reports/%d", base, r.ID)
		}
		m := vmt.NoticeMail{ReportID: r.ID, Recipient: "coordinators", To: to, Disclosure: now,
			Subject: fmt.Sprintf("[%s] Possible leak: a fix of report %d is on %s before its disclosure", p.Name, r.ID, f.Branch),
			Body: fmt.Sprintf("Merge tracking found the fix of report %d for %s in the project's repository (commit %s), "+
				"while the report is still under embargo.\n\nIf the repository is public, the fix tells anyone who reads it what the "+
				"embargo keeps: consider ending the embargo now (publicize) and telling those notified.\n\n%s\n",
				r.ID, f.Branch, orDash(f.MergeCommit), link)}
		key := fmt.Sprintf("leak:%d:%d:%s", r.ID, f.ID, f.MergeCommit)
		if err := enqueueJSONAt(tx, key, vmt.KindReminder, r.ID, m, now, now); err != nil && vmt.ErrorCode(err) != vmt.ECONFLICT {
			return err
		}
		facts["outbox"] = key
	}
	return s.audit(tx, vmt.Anonymous, vmt.AuditReportPossibleLeak, r.ProjectID, r.ID, subject("report", r.ID), nil, facts)
}

// coordinatorsOf returns where an alarm about r goes (a possible leak,
// which no preference turns off): its coordinator, or
// every VMT member of its project while it has none.
func (s *Service) coordinatorsOf(tx vmt.Tx, r *vmt.Report) ([]string, error) {
	if r.CoordinatorID != 0 {
		u, err := tx.User(r.CoordinatorID)
		if err != nil {
			return nil, err
		}
		return []string{u.Email}, nil
	}
	ms, err := tx.Members(r.ProjectID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range ms {
		if m.Role != vmt.MemberVMT {
			continue
		}
		u, err := tx.User(m.UserID)
		if err != nil {
			return nil, err
		}
		if !u.Disabled {
			out = append(out, u.Email)
		}
	}
	return out, nil
}
