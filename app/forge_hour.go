package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// The disclosure hour on the forge (issue 16, item 2; vmt/forge_hour.go).
// The disclosure's transaction queues the public issue (ForgeOpenIssue);
// each push of the hour, once done, queues the pull request of its branch
// (ForgeOpenPullRequest). DeliverForge carries them out, and refuses any
// item of a report that is not public (forgeSources): that is the one
// place every forge call passes, so nothing reaches GitHub before the
// hour, whoever wrote the item.

// forgeDisclosed queues the public issue of r, made public at now, when
// its project has a forge. Both ways to disclose call it (the hour and an
// embargo ended early), through enqueuePushes.
func (s *Service) forgeDisclosed(tx vmt.Tx, r *vmt.Report, now time.Time) error {
	if r.Visibility != vmt.Public {
		return nil
	}
	f, err := s.forgeOf(tx, r.ProjectID)
	if err != nil || f == nil {
		return err
	}
	req := vmt.ForgeRequest{Op: vmt.ForgeOpenIssue, ProjectID: r.ProjectID, ReportID: r.ID}
	return ignoreConflict(enqueueJSON(tx, "forge:issue:"+itoa(int(r.ID)), vmt.KindForge, r.ID, req, now))
}

// forgePushed queues the pull request of the branch a push of the hour
// pushed to target, when r's project has a forge. It returns the item's
// key ("" when none is queued).
func (s *Service) forgePushed(tx vmt.Tx, r *vmt.Report, branch, target string) (string, error) {
	f, err := s.forgeOf(tx, r.ProjectID)
	if err != nil || f == nil || r.Visibility != vmt.Public {
		return "", err
	}
	req := vmt.ForgeRequest{Op: vmt.ForgeOpenPullRequest, ProjectID: r.ProjectID, ReportID: r.ID, Branch: branch, Head: target}
	key := "forge:pull:" + itoa(int(r.ID)) + ":" + branch
	return key, ignoreConflict(enqueueJSON(tx, key, vmt.KindForge, r.ID, req, s.now()))
}

// hourSources returns what the hour's texts are written from: r as the
// public sees it and its public advisory, less what the reporter marked
// never to disclose, and the link to the advisory's page ("" without).
func (s *Service) hourSources(ctx context.Context, r *vmt.Report) (*vmt.Report, *vmt.Advisory, string, error) {
	var d *vmt.Advisory
	var w vmt.Withheld
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) {
		if w, err = withheldOf(tx, r); err != nil {
			return err
		}
		ds, err := tx.AdvisoriesOfReport(r.ID)
		for _, x := range ds {
			if x.Public() && d == nil {
				d = x
			}
		}
		return err
	})
	if err != nil {
		return nil, nil, "", err
	}
	pub, link := w.Report(r), ""
	if d != nil {
		if s.deps.Publication.BaseURL != "" {
			link = s.advisoryURL(d)
		}
		d = w.Advisory(d)
	}
	return pub, d, link, nil
}

// openIssue opens r's public issue (found again by its marker if an
// attempt opened it and its answer was lost) and links it to r, then
// queues its status label. An issue r is followed in already is kept.
func (s *Service) openIssue(ctx context.Context, f *vmt.ForgeSettings, r *vmt.Report, have *vmt.ForgeIssue, o *vmt.OutboxItem) error {
	if have != nil {
		return nil // opened by an earlier attempt, or linked by hand
	}
	pub, d, link, err := s.hourSources(ctx, r)
	if err != nil {
		return err
	}
	title, body := vmt.ForgeIssueText(pub, d, link)
	issue, err := s.deps.Forge.OpenIssue(ctx, f, vmt.ForgeIssueMarker(r), o.CreatedAt, title, body)
	if err != nil {
		return err
	}
	issue.ReportID, issue.ProjectID, issue.LinkedAt = r.ID, r.ProjectID, s.now()
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		if err := tx.SetForgeIssue(issue); err != nil {
			return err
		}
		if err := s.audit(tx, vmt.Anonymous, vmt.AuditReportForgeIssue, r.ProjectID, r.ID, subject("report", r.ID), nil, issue); err != nil {
			return err
		}
		return s.queueLabelSync(tx, r, "hour")
	})
}

// openPullRequest opens the pull request of r's fixes pushed for
// req.Branch, referencing r's issue and advisory, and keeps its link. It
// waits (an error worth a retry) until the issue is open, to name it.
func (s *Service) openPullRequest(ctx context.Context, f *vmt.ForgeSettings, r *vmt.Report, issue *vmt.ForgeIssue, req *vmt.ForgeRequest) error {
	if req.Head != vmt.PushTarget(r, req.Branch) {
		return vmt.Invalid("head", "the pull request's head %q is not where report %d's fixes for %q are pushed", req.Head, r.ID, req.Branch)
	}
	if issue == nil {
		return fmt.Errorf("the issue of report %d is not open yet: its pull requests wait for it", r.ID)
	}
	var prs []*vmt.ForgePullRequest
	if err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) {
		prs, err = tx.ForgePullRequests(r.ID)
		return err
	}); err != nil {
		return err
	}
	for _, pr := range prs {
		if pr.Branch == req.Branch && pr.Head == req.Head {
			return nil // opened by an earlier attempt
		}
	}
	pub, _, link, err := s.hourSources(ctx, r)
	if err != nil {
		return err
	}
	title, body := vmt.ForgePullRequestText(pub, req.Branch, issue, link)
	pr, err := s.deps.Forge.OpenPullRequest(ctx, f, req.Head, req.Branch, title, body)
	if err != nil {
		return err
	}
	pr.ReportID, pr.ProjectID, pr.Branch, pr.Head, pr.OpenedAt = r.ID, r.ProjectID, req.Branch, req.Head, s.now()
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		if err := tx.SetForgePullRequest(pr); err != nil {
			return err
		}
		return s.audit(tx, vmt.Anonymous, vmt.AuditReportForgePullRequest, r.ProjectID, r.ID, subject("report", r.ID), nil, pr)
	})
}

// reportForge reads what public report r has on its forge, for its view;
// nil when this instance has no forge or r none.
func (s *Service) reportForge(ctx context.Context, r *vmt.Report) (*vmt.ReportForge, error) {
	if s.deps.Forge == nil || r.Visibility != vmt.Public {
		return nil, nil
	}
	out := &vmt.ReportForge{}
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		i, err := tx.ForgeIssue(r.ID)
		if err == nil {
			out.Issue = i
		} else if vmt.ErrorCode(err) != vmt.ENOTFOUND {
			return err
		}
		out.PullRequests, err = tx.ForgePullRequests(r.ID)
		return err
	})
	if err != nil || out.Issue == nil && len(out.PullRequests) == 0 {
		return nil, err
	}
	return out, nil
}

// pullRequestMerges adds to results what the pull requests of fixes (the
// latest fix per branch of the open reports of project pid) say: a merged
// pull request marks its branch's fix merged, as its merge commit, in
// place of what the tracker found for it. A fix found so before is not
// asked about again. A pull request GitHub does not answer for is logged
// and left to the next run.
func (s *Service) pullRequestMerges(ctx context.Context, pid int64, fixes []*vmt.Fix, results []vmt.MergeResult) []vmt.MergeResult {
	if s.deps.Forge == nil {
		return results
	}
	var f *vmt.ForgeSettings
	prs := map[int64][]*vmt.ForgePullRequest{}
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) (err error) {
		if f, err = s.forgeOf(tx, pid); err != nil || f == nil {
			return err
		}
		for _, fx := range fixes {
			if _, ok := prs[fx.ReportID]; ok {
				continue
			}
			if prs[fx.ReportID], err = tx.ForgePullRequests(fx.ReportID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || f == nil {
		if err != nil {
			s.logWarn("pull request merges", "project_id", pid, "err", err)
		}
		return results
	}
	set := func(res vmt.MergeResult) {
		for i := range results {
			if results[i].FixID == res.FixID {
				results[i] = res
				return
			}
		}
		results = append(results, res)
	}
	for _, fx := range fixes {
		for _, pr := range prs[fx.ReportID] {
			if pr.Branch != fx.Branch {
				continue
			}
			if fx.Merge == vmt.MergeCompleted && fx.MergeCommit != "" && fx.MergeError == "" {
				set(vmt.MergeResult{FixID: fx.ID, State: vmt.MergeCompleted, Commit: fx.MergeCommit})
				continue
			}
			merged, commit, err := s.deps.Forge.PullRequestMerge(ctx, f, pr.Number)
			if err != nil {
				s.logWarn("pull request merge state", "url", pr.URL, "err", err)
				continue
			}
			if merged {
				set(vmt.MergeResult{FixID: fx.ID, State: vmt.MergeCompleted, Commit: commit})
			}
		}
	}
	return results
}

// forgeProjects keeps, of byProject, the projects with an enabled forge.
func (s *Service) forgeProjects(ctx context.Context, byProject map[int64][]*vmt.Fix) (map[int64][]*vmt.Fix, error) {
	out := map[int64][]*vmt.Fix{}
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		for pid, fixes := range byProject {
			f, err := s.forgeOf(tx, pid)
			if err != nil {
				return err
			}
			if f != nil {
				out[pid] = fixes
			}
		}
		return nil
	})
	return out, err
}

func (s *Service) logWarn(msg string, args ...any) {
	if s.deps.Log != nil {
		s.deps.Log.Warn(msg, args...)
	}
}

// forgeNeedsIssue says whether a forge operation works on the report's
// issue, which must exist.
func forgeNeedsIssue(op string) bool {
	return !strings.HasPrefix(op, "open-")
}

// ForgePushCredential returns the credentials the push of project's fixes
// to remote goes with: the forge's, when the project has one and remote
// is its repository (vmt.ForgeHour.PushCredential); ok is false otherwise.
// It runs as the system, for the worker's push (gitrepo.Pusher.Auth).
func (s *Service) ForgePushCredential(ctx context.Context, project, remote string) (user, password string, ok bool, err error) {
	if s.deps.Forge == nil {
		return "", "", false, nil
	}
	var f *vmt.ForgeSettings
	err = s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		p, err := tx.ProjectByName(project)
		if err != nil {
			return err
		}
		f, err = s.forgeOf(tx, p.ID)
		return err
	})
	if err != nil || f == nil {
		return "", "", false, err
	}
	return s.deps.Forge.PushCredential(ctx, f, remote)
}
