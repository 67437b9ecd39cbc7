package app

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/vmtproject/vmt"
)

// The forge (issue 16, item 1): the project's status labels on its GitHub
// repository, a public report's issue carrying its status as a label, and
// a maintainer's label change coming back by webhook. Every change on
// GitHub is a KindForge outbox item written in the transaction that
// causes it; the worker delivers it through Deps.Forge. Nothing is ever
// written for a report that is not public: it has no issue.

// ForgeSettingsOf returns a project's forge settings (disabled until set).
// Its VMT and administrators.
func (s *Service) ForgeSettingsOf(ctx context.Context, a vmt.Actor, project string) (*vmt.ForgeSettings, error) {
	var f *vmt.ForgeSettings
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		p, err := s.projectVMT(tx, a, project, vmt.ProjectForge)
		if err != nil {
			return err
		}
		f, err = forgeSettings(tx, p.ID)
		return err
	})
	return f, err
}

func forgeSettings(tx vmt.Tx, projectID int64) (*vmt.ForgeSettings, error) {
	f, err := tx.ForgeSettings(projectID)
	if vmt.ErrorCode(err) == vmt.ENOTFOUND {
		return &vmt.ForgeSettings{ProjectID: projectID}, nil
	}
	return f, err
}

// SetForgeSettings replaces a project's forge settings. Administrators
// only: the settings say where the server reads credentials and where it
// sends them. Enabled settings queue the creation of the status labels
// missing on the repository (ForgeEnsureLabels).
func (s *Service) SetForgeSettings(ctx context.Context, a vmt.Actor, project string, in vmt.ForgeSettings) (*vmt.ForgeSettings, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		p, err := s.projectVMT(tx, a, project, vmt.ProjectForge)
		if err != nil {
			return err
		}
		if !a.IsAdmin() {
			return vmt.Errorf(vmt.EFORBIDDEN, "only an administrator may set a project's GitHub repository and credentials")
		}
		old, err := forgeSettings(tx, p.ID)
		if err != nil {
			return err
		}
		in.ProjectID = p.ID
		if err := tx.SetForgeSettings(&in); err != nil {
			return err
		}
		if err := s.auditDiff(tx, a, vmt.AuditProjectForge, p.ID, 0, subject("project", p.ID), old, &in); err != nil {
			return err
		}
		if !in.Enabled || s.deps.Forge == nil {
			return nil
		}
		req := vmt.ForgeRequest{Op: vmt.ForgeEnsureLabels, ProjectID: p.ID}
		return enqueueJSON(tx, "forge:labels:"+itoa(int(p.ID))+":"+stamp(s.now()), vmt.KindForge, 0, req, s.now())
	})
	if err != nil {
		return nil, err
	}
	return &in, nil
}

func stamp(t interface{ UnixMicro() int64 }) string { return itoa(int(t.UnixMicro())) }

// forgeOf returns the enabled forge settings of a project, or nil when it
// has none (or this instance has no Forge): then nothing is queued.
func (s *Service) forgeOf(tx vmt.Tx, projectID int64) (*vmt.ForgeSettings, error) {
	if s.deps.Forge == nil {
		return nil, nil
	}
	f, err := forgeSettings(tx, projectID)
	if err != nil || !f.Enabled {
		return nil, err
	}
	return f, nil
}

// LinkForgeIssue records that public report id is followed in issue
// number of its project's repository, and queues the issue's status label.
// The report's VMT. An embargoed report has no public issue: EINVALID.
func (s *Service) LinkForgeIssue(ctx context.Context, a vmt.Actor, id int64, number int) (*vmt.ForgeIssue, error) {
	if number <= 0 {
		return nil, vmt.Invalid("number", "an issue number is a positive number")
	}
	var out *vmt.ForgeIssue
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, id, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		if r.Visibility != vmt.Public {
			return vmt.Invalid("number", "the report is embargoed: it has no public issue until it is disclosed")
		}
		f, err := s.forgeOf(tx, r.ProjectID)
		if err != nil {
			return err
		}
		if f == nil {
			return vmt.Invalid("number", "the report's project has no GitHub repository set up here")
		}
		out = &vmt.ForgeIssue{ReportID: r.ID, ProjectID: r.ProjectID, Number: number,
			URL: s.deps.Forge.IssueURL(f, number), LinkedAt: s.now()}
		if err := tx.SetForgeIssue(out); err != nil {
			return err
		}
		if err := s.audit(tx, a, vmt.AuditReportForgeIssue, r.ProjectID, r.ID, subject("report", r.ID), nil, out); err != nil {
			return err
		}
		return s.queueLabelSync(tx, r, "link:"+stamp(s.now()))
	})
	return out, err
}

// forgeStatusChanged queues the label of r's new status on its issue, if
// it has one (move calls it at every transition).
func (s *Service) forgeStatusChanged(tx vmt.Tx, r *vmt.Report) error {
	if s.deps.Forge == nil || r.Visibility != vmt.Public {
		return nil
	}
	if _, err := tx.ForgeIssue(r.ID); vmt.ErrorCode(err) == vmt.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	return s.queueLabelSync(tx, r, stamp(s.now()))
}

// queueLabelSync writes a ForgeSyncLabel item for r, keyed by report,
// status and cause (the time of a transition, the delivery put back):
// each is its own item, and a retry of one is the same item.
func (s *Service) queueLabelSync(tx vmt.Tx, r *vmt.Report, cause string) error {
	f, err := s.forgeOf(tx, r.ProjectID)
	if err != nil || f == nil || r.Visibility != vmt.Public {
		return err
	}
	req := vmt.ForgeRequest{Op: vmt.ForgeSyncLabel, ProjectID: r.ProjectID, ReportID: r.ID}
	key := "forge:label:" + itoa(int(r.ID)) + ":" + string(r.Status) + ":" + cause
	return ignoreConflict(enqueueJSON(tx, key, vmt.KindForge, r.ID, req, s.now()))
}

// queueForgeComment writes a ForgeComment item for r's issue; key is the
// marker by which the comment is found again.
func (s *Service) queueForgeComment(tx vmt.Tx, r *vmt.Report, key, body string) error {
	req := vmt.ForgeRequest{Op: vmt.ForgeComment, ProjectID: r.ProjectID, ReportID: r.ID, Body: body}
	return ignoreConflict(enqueueJSON(tx, key, vmt.KindForge, r.ID, req, s.now()))
}

func ignoreConflict(err error) error {
	if vmt.ErrorCode(err) == vmt.ECONFLICT {
		return nil
	}
	return err
}

// DeliverForge carries out a KindForge outbox item, as the system. Each
// operation looks before it changes (Forge's methods do), so a retried
// item changes nothing more. Every forge call passes here, and an item of
// a report that is not public (or a label for one with no issue), or of a
// project whose forge is no longer enabled, is EINVALID without a call:
// the worker fails the item. Nothing is made public before the hour.
func (s *Service) DeliverForge(ctx context.Context, o *vmt.OutboxItem) error {
	if s.deps.Forge == nil {
		return vmt.Errorf(vmt.EINTERNAL, "this instance has no forge client")
	}
	var req vmt.ForgeRequest
	if err := json.Unmarshal(o.Payload, &req); err != nil {
		return vmt.Invalid("payload", "forge item %s: %v", o.Key, err)
	}
	switch req.Op {
	case vmt.ForgeAdvisoryState, vmt.ForgePublishAdvisory, vmt.ForgeRequestCVE, vmt.ForgeAdvisoryCollaborators, vmt.ForgeCreateFork:
		return s.deliverForgeAdvisory(ctx, o, &req)
	}
	f, r, issue, err := s.forgeSources(ctx, &req)
	if err != nil {
		return err
	}
	switch req.Op {
	case vmt.ForgeEnsureLabels:
		_, err = s.deps.Forge.EnsureLabels(ctx, f, vmt.StatusLabels())
		return err
	case vmt.ForgeSyncLabel:
		return s.syncLabel(ctx, f, r, issue)
	case vmt.ForgeComment:
		_, err = s.deps.Forge.Comment(ctx, f, issue.Number, o.Key, req.Body)
		return err
	case vmt.ForgeOpenIssue: // forge_hour.go
		return s.openIssue(ctx, f, r, issue, o)
	case vmt.ForgeOpenPullRequest:
		return s.openPullRequest(ctx, f, r, issue, &req)
	}
	return vmt.Invalid("op", "unknown forge operation %q", req.Op)
}

// forgeSources reads what a forge item needs: the enabled settings and,
// for a report's item, the public report and its issue (nil for the
// hour's items, which may come before it). It is the guard of the hour:
// no report's item goes past it unless the report is public now.
func (s *Service) forgeSources(ctx context.Context, req *vmt.ForgeRequest) (f *vmt.ForgeSettings, r *vmt.Report, issue *vmt.ForgeIssue, err error) {
	err = s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		if f, err = forgeSettings(tx, req.ProjectID); err != nil {
			return err
		}
		if !f.Enabled {
			return vmt.Invalid("project_id", "project %d no longer has a GitHub repository enabled", req.ProjectID)
		}
		if req.Op == vmt.ForgeEnsureLabels {
			return nil
		}
		if r, err = tx.Report(req.ReportID); err != nil {
			return err
		}
		if r.Visibility != vmt.Public || r.ProjectID != req.ProjectID {
			return vmt.Invalid("report_id", "report %d is not public: nothing of it goes to the forge", r.ID)
		}
		issue, err = tx.ForgeIssue(r.ID)
		if vmt.ErrorCode(err) == vmt.ENOTFOUND && !forgeNeedsIssue(req.Op) {
			issue, err = nil, nil
		}
		return err
	})
	return f, r, issue, err
}

// syncLabel makes the issue carry r's status label (as r is now) and no
// other status label, keeping the labels that name no status. The label
// is made to exist first, with its colour, rather than created bare by
// GitHub when it is set.
func (s *Service) syncLabel(ctx context.Context, f *vmt.ForgeSettings, r *vmt.Report, issue *vmt.ForgeIssue) error {
	have, err := s.deps.Forge.IssueLabels(ctx, f, issue.Number)
	if err != nil {
		return err
	}
	want := vmt.WithStatusLabel(have, r.Status)
	if vmt.SameLabels(have, want) {
		return nil
	}
	for _, l := range vmt.StatusLabels() {
		if l.Name == r.Status.Label() {
			if _, err := s.deps.Forge.EnsureLabels(ctx, f, []vmt.ForgeLabel{l}); err != nil {
				return err
			}
		}
	}
	return s.deps.Forge.SetIssueLabels(ctx, f, issue.Number, want)
}

// forgeHook is the part of an "issues" delivery vmt reads.
type forgeHook struct {
	Action string `json:"action"`
	Issue  struct {
		Number int `json:"number"`
	} `json:"issue"`
	Label struct {
		Name string `json:"name"`
	} `json:"label"`
	Repository struct {
		FullName string `json:"full_name"`
	} `json:"repository"`
	Sender struct {
		Login string `json:"login"`
	} `json:"sender"`
}

// ForgeWebhook applies a webhook delivery from project's repository. The
// signature is checked first (EUNAUTHENTICATED); a project without an
// enabled forge is ENOTFOUND. A delivery received before is a duplicate
// and changes nothing. A status label added to a report's issue moves the
// report there through the transition table's guards, on behalf of its
// coordinator (the maintainer who set it is in the audit event); one the process
// refuses, or the removal of the report's status label, is put back, with
// a comment on the issue saying why.
func (s *Service) ForgeWebhook(ctx context.Context, project string, d vmt.ForgeDelivery) (*vmt.ForgeWebhookResult, error) {
	f, err := s.webhookSettings(ctx, project)
	if err != nil {
		return nil, err
	}
	if err := s.deps.Forge.VerifyWebhook(f, d.Signature, d.Body); err != nil {
		return nil, err
	}
	if d.ID == "" || len(d.ID) > 100 {
		return nil, vmt.Invalid("X-GitHub-Delivery", "a delivery has an id")
	}
	var h forgeHook
	if d.Event == "issues" {
		if err := json.Unmarshal(d.Body, &h); err != nil {
			return nil, vmt.Invalid("body", "not an issues event: %v", err)
		}
		if !strings.EqualFold(h.Repository.FullName, f.Repository()) {
			return nil, vmt.Invalid("repository", "the delivery is for %q, not the project's repository", h.Repository.FullName)
		}
	}
	res := &vmt.ForgeWebhookResult{Outcome: "ignored"}
	err = s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		if err := tx.RecordForgeDelivery(f.ProjectID, d.ID, s.now()); vmt.ErrorCode(err) == vmt.ECONFLICT {
			res.Outcome = "duplicate"
			return nil
		} else if err != nil {
			return err
		}
		if d.Event != "issues" || h.Action != "labeled" && h.Action != "unlabeled" {
			return nil
		}
		return s.applyLabel(tx, f, &h, d.ID, res)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (s *Service) webhookSettings(ctx context.Context, project string) (*vmt.ForgeSettings, error) {
	var f *vmt.ForgeSettings
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		p, err := tx.ProjectByName(project)
		if err != nil {
			return err
		}
		if f, err = s.forgeOf(tx, p.ID); err == nil && f == nil {
			return vmt.Errorf(vmt.ENOTFOUND, "no GitHub repository is set up for this project")
		}
		return err
	})
	return f, err
}

// applyLabel applies one label change to the report followed in its
// issue, if any.
func (s *Service) applyLabel(tx vmt.Tx, f *vmt.ForgeSettings, h *forgeHook, delivery string, res *vmt.ForgeWebhookResult) error {
	st, ok := vmt.StatusOfLabel(h.Label.Name)
	if !ok {
		return nil
	}
	issue, err := tx.ForgeIssueByNumber(f.ProjectID, h.Issue.Number)
	if vmt.ErrorCode(err) == vmt.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	r, err := tx.Report(issue.ReportID)
	if err != nil || r.Visibility != vmt.Public {
		return err
	}
	res.ReportID = r.ID
	switch {
	case h.Action == "labeled" && st == r.Status, h.Action == "unlabeled" && st != r.Status:
		return nil // vmt's own change coming back, or a stale label going
	case h.Action == "unlabeled":
		res.Reason = "the report is " + r.Status.Label() + " in vmt; its status label stays (set another status label to move it)"
	default:
		fa := &vmt.Facts{Report: r}
		if err := fillFacts(tx, fa); err != nil {
			return err
		}
		if err := vmt.CheckTransition(fa, st); err != nil {
			res.Reason = vmt.ErrorMessage(err)
			break
		}
		if r.CoordinatorID == 0 {
			res.Reason = "the report has no coordinator in vmt to act for; assign one, or move it in vmt"
			break
		}
		u, err := tx.User(r.CoordinatorID)
		if err != nil {
			return err
		}
		if _, err := s.moveAs(tx, vmt.Actor{User: u}, r, st, ""); err != nil {
			return err
		}
		res.Outcome = "applied"
	}
	if res.Outcome != "applied" {
		res.Outcome = "refused"
		body := "@" + loginOf(h.Sender.Login) + " vmt put the status label back: " + res.Reason
		if err := s.queueForgeComment(tx, r, "forge:refused:"+itoa(int(f.ProjectID))+":"+delivery, body); err != nil {
			return err
		}
		if err := s.queueLabelSync(tx, r, "hook:"+delivery); err != nil {
			return err
		}
	}
	return s.audit(tx, vmt.Actor{}, vmt.AuditReportForgeLabel, r.ProjectID, r.ID, subject("report", r.ID), nil,
		map[string]any{"login": h.Sender.Login, "action": h.Action, "label": h.Label.Name, "outcome": res.Outcome, "reason": res.Reason})
}

// loginOf keeps what a GitHub login may hold (letters, digits, '-'), so
// that the mention in a comment is only ever a mention.
func loginOf(s string) string {
	out := strings.Map(func(r rune) rune {
		if r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return -1
	}, s)
	if len(out) > 39 {
		out = out[:39]
	}
	return out
}
