package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/vmtproject/vmt"
)

// At disclosure the pre-approved fixes are pushed, one branch per supported
// branch, to the project's push remote, ready for review. The push is an
// outbox item written in the disclosure's transaction: it happens once the
// report is public, exactly when it is public, and a failed push is retried
// (the target branch is deterministic, so a retry replaces it with the same
// commits) or failed and audited for the coordinator to push by hand.

// enqueuePushes writes one KindPush item per supported branch whose latest
// fix is an approved series, for report r made public at now. Without a
// Pusher, or a push remote for the project, it does nothing: an item no
// worker could carry out would wait for ever.
func (s *Service) enqueuePushes(tx vmt.Tx, r *vmt.Report, now time.Time) error {
	// The hour's public issue, on the project's forge (forge_hour.go).
	if err := s.forgeDisclosed(tx, r, now); err != nil {
		return err
	}
	if s.deps.Pusher == nil {
		return nil
	}
	p, err := tx.Project(r.ProjectID)
	if err != nil || !s.deps.Pusher.Pushes(p.Name) {
		return err
	}
	fixes, err := tx.Fixes(r.ID)
	if err != nil {
		return err
	}
	var targets []string
	for _, row := range vmt.FixRows(p.Branches, fixes) {
		f := row.Fix
		if f == nil || f.Review != vmt.ReviewApproved || !f.IsSeries() {
			continue
		}
		req := vmt.PushRequest{ReportID: r.ID, Project: p.Name, Branch: row.Branch, FixIDs: []int64{f.ID}, Target: vmt.PushTarget(r, row.Branch)}
		err := enqueueJSON(tx, "push:"+itoa(int(r.ID))+":"+row.Branch, vmt.KindPush, r.ID, req, now)
		if err != nil && vmt.ErrorCode(err) != vmt.ECONFLICT { // ECONFLICT: queued already
			return err
		}
		targets = append(targets, req.Target)
	}
	if len(targets) == 0 {
		return nil
	}
	return s.audit(tx, vmt.Anonymous, vmt.AuditFixPushQueued, r.ProjectID, r.ID, subject("report", r.ID), nil,
		map[string]any{"targets": targets})
}

// PushFixes carries out a KindPush outbox item, as the system: it reads
// the fixes the item names, has the Pusher push them and, when the
// project has a forge, queues the pull request of the pushed branch
// (forge_hour.go); then it audits vmt.AuditFixPushed.
// A payload that does not name a public report's fixes for its branch is
// EINVALID, as is a series that no longer applies: the worker fails such
// an item at once. Any other error is worth a retry.
func (s *Service) PushFixes(ctx context.Context, o *vmt.OutboxItem) (*vmt.PushResult, error) {
	if s.deps.Pusher == nil {
		return nil, vmt.Errorf(vmt.EINTERNAL, "this instance pushes no fixes: no push remote is configured")
	}
	var req vmt.PushRequest
	if err := json.Unmarshal(o.Payload, &req); err != nil {
		return nil, vmt.Invalid("payload", "push item %s: %v", o.Key, err)
	}
	p, r, series, err := s.pushSources(ctx, &req)
	if err != nil {
		return nil, err
	}
	res := &vmt.PushResult{Target: req.Target}
	if res.Commit, err = s.deps.Pusher.PushFixes(ctx, p, req.Branch, req.Target, series); err != nil {
		return nil, fmt.Errorf("push %s of report %d: %w", req.Target, req.ReportID, err)
	}
	err = s.deps.Store.Update(ctx, func(tx vmt.Tx) (err error) {
		if res.PullRequest, err = s.forgePushed(tx, r, req.Branch, req.Target); err != nil {
			return err
		}
		return s.audit(tx, vmt.Anonymous, vmt.AuditFixPushed, r.ProjectID, r.ID, subject("report", r.ID), nil,
			map[string]any{"branch": req.Branch, "target": res.Target, "commit": res.Commit,
				"fix_ids": req.FixIDs, "pull_request": res.PullRequest})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// pushSources reads what a push request names, checking that it names the
// series of a public report for the branch: the worker never pushes a
// private fix.
func (s *Service) pushSources(ctx context.Context, req *vmt.PushRequest) (p *vmt.Project, r *vmt.Report, series []string, err error) {
	err = s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		if r, err = tx.Report(req.ReportID); err != nil {
			return err
		}
		if r.Visibility != vmt.Public {
			return vmt.Invalid("report_id", "report %d is not public: its fixes are not pushed", r.ID)
		}
		if p, err = tx.Project(r.ProjectID); err != nil {
			return err
		}
		if p.Name != req.Project || !slices.Contains(p.Branches, req.Branch) || len(req.FixIDs) == 0 {
			return vmt.Invalid("payload", "the push names project %q, branch %q: not a supported branch of the report's project", req.Project, req.Branch)
		}
		series = series[:0]
		for _, id := range req.FixIDs {
			f, err := tx.Fix(id)
			if err != nil {
				return err
			}
			if f.ReportID != r.ID || f.Branch != req.Branch || !f.IsSeries() {
				return vmt.Invalid("fix_ids", "fix %d is not a series of report %d for %s", id, r.ID, req.Branch)
			}
			b, err := tx.FixSeries(id)
			if err != nil {
				return err
			}
			series = append(series, b)
		}
		return nil
	})
	return p, r, series, err
}
