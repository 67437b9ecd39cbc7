package app

import (
	"context"
	"slices"
	"strings"

	"github.com/vmtproject/vmt"
)

// The steps the process makes due once the coordinator has decided, done
// by vmt in the same transaction as the decision, so that none is
// forgotten and no value is carried by hand from one step to the next
// (VMT.md, "Process"):
//
//   - a new report set Incomplete gets the reception-incomplete message;
//   - a confirmed report without a coordinator gets the one who confirmed it;
//   - a report entering Triaged gets its advisory draft, made from the record;
//   - an impact description put up for approval subscribes the
//     architecture committee, who must approve it (subscribeCommittee);
//   - the second approval of the impact description moves the report to
//     Triaged (approvedToTriaged), and recording the CVE request moves it
//     on to In Progress (RecordCVERequest), as the table allows;
//   - a report closed as Won't Fix or Invalid gets a comment saying so
//     and why, for its reporter (postClosed);
//   - a report in Opinion whose security note is published is Fix
//     released (closeByNote, release.go).

// move takes r to status to, if the transition table allows it and its
// guards hold, and does the steps of entered. The caller stores r.
func (s *Service) move(tx vmt.Tx, a vmt.Actor, r *vmt.Report, to vmt.Status, reason string, hardening bool) error {
	f := &vmt.Facts{Report: r, Reason: strings.TrimSpace(reason)}
	if err := fillFacts(tx, f); err != nil {
		return err
	}
	if err := vmt.CheckTransition(f, to); err != nil {
		return err
	}
	t, _ := vmt.FindTransition(r.Status, to)
	from, wasPrivate := r.Status, r.Visibility == vmt.Private
	r.Status = to
	if t.MakesPublic {
		r.Hardening = r.Hardening || hardening
		vmt.MakePublic(r)
	}
	if err := s.entered(tx, a, r, from); err != nil {
		return err
	}
	if err := s.forgeStatusChanged(tx, r); err != nil {
		return err
	}
	if err := s.forgeAdvisoryStatusChanged(tx, r); err != nil {
		return err
	}
	if closedWithoutDocument(to) {
		return s.postClosed(tx, a, r, from, wasPrivate && r.Visibility == vmt.Public, f.Reason)
	}
	return nil
}

// closedWithoutDocument reports whether status st ends the process with
// no document (Won't Fix, Invalid): the move posts why on the report.
func closedWithoutDocument(st vmt.Status) bool {
	return st == vmt.StatusWontFix || st == vmt.StatusInvalid
}

// postClosed tells the reporter, on the report, that it is closed without
// a document and why: Won't Fix and Invalid end the process ("No further
// action to be taken") and make the report public, and the report is
// where the process speaks to its reporter. The reason, when given, is
// the coordinator's; it is otherwise only in the audit log, which the
// reporter does not read. The comment is the move's one mail: the
// status change told with the comment's words (notifyChange leaves these
// moves to it), not a mail for the move and another for the comment.
func (s *Service) postClosed(tx vmt.Tx, a vmt.Actor, r *vmt.Report, from vmt.Status, madePublic bool, reason string) error {
	body := "Closed as " + r.Status.Label()
	for _, i := range vmt.Statuses {
		if i.Status == r.Status {
			body += ": " + strings.TrimSuffix(i.Meaning, ".") + "."
		}
	}
	if reason != "" {
		body += "\n\nWhy: " + reason
	}
	if r.Hardening {
		body += "\n\nTagged as a security hardening opportunity."
	}
	c, err := s.postComment(tx, a, r, body)
	if err != nil {
		return err
	}
	text := statusChangeText(from, r, madePublic) + "\n\n" + body
	ref := "status:" + string(r.Status) + ":" + c.CreatedAt.UTC().Format("20060102T150405.000000Z")
	return s.notify(tx, a, vmt.NotifyStatusChange, r, notifyOf{Ref: ref, Text: text})
}

// moveBySystem takes r to status to as a step of the process, by no one
// (as releaseIfDone), when the table allows it now; it stores r and
// audits the move. It reports whether r moved.
func (s *Service) moveBySystem(tx vmt.Tx, r *vmt.Report, to vmt.Status, reason string) (bool, error) {
	return s.moveAs(tx, vmt.Actor{}, r, to, reason)
}

// moveAs is moveBySystem on behalf of a (the coordinator a label set on
// the forge acts for: the move may post a comment, which has an author).
func (s *Service) moveAs(tx vmt.Tx, a vmt.Actor, r *vmt.Report, to vmt.Status, reason string) (bool, error) {
	f := &vmt.Facts{Report: r, Reason: reason}
	if err := fillFacts(tx, f); err != nil {
		return false, err
	}
	if vmt.CheckTransition(f, to) != nil {
		return false, nil
	}
	before := *r
	if err := s.move(tx, a, r, to, reason, false); err != nil {
		return false, err
	}
	r.UpdatedAt = s.now()
	if err := tx.UpdateReport(r); err != nil {
		return false, err
	}
	if err := s.auditDiff(tx, a, vmt.AuditReportTransition, r.ProjectID, r.ID, subject("report", r.ID), &before, r); err != nil {
		return false, err
	}
	return true, s.notifyChange(tx, a, &before, r)
}

// entered does what the process does when r has just moved from status
// from to r.Status, on behalf of a.
func (s *Service) entered(tx vmt.Tx, a vmt.Actor, r *vmt.Report, from vmt.Status) error {
	switch {
	case r.Status == vmt.StatusIncomplete && from == vmt.StatusNew:
		return s.postIncomplete(tx, a, r)
	case r.Status == vmt.StatusConfirmed:
		// The one who confirms a report is its coordinator until someone
		// else is assigned (a VMT member of the project; an administrator
		// who is not one leaves it unassigned).
		if r.CoordinatorID == 0 && a.User != nil {
			m, err := tx.Member(r.ProjectID, a.ID())
			if err == nil && m.Role == vmt.MemberVMT {
				r.CoordinatorID = a.ID()
			} else if err != nil && vmt.ErrorCode(err) != vmt.ENOTFOUND {
				return err
			}
		}
		// Patch development: "the affected project's core security
		// review teams ... are added to the subscription list".
		return s.subscribeReviewers(tx, a, r, "patch_development")
	case r.Status == vmt.StatusOpinion:
		// "the core security reviewers ... will be subscribed to
		// determine whether they wish to issue a ... KCSN".
		return s.subscribeReviewers(tx, a, r, "note_decision")
	case r.Status == vmt.StatusTriaged:
		return s.draftAtTriaged(tx, a, r)
	}
	return nil
}

// subscribeReviewers subscribes the project's core security reviewers to
// a private report (a public one they read anyway).
func (s *Service) subscribeReviewers(tx vmt.Tx, a vmt.Actor, r *vmt.Report, because string) error {
	if r.Visibility != vmt.Private {
		return nil
	}
	_, err := s.subscribeMembers(tx, a, r, vmt.MemberReviewer, s.now(), because)
	return err
}

// postCVEComment posts the CVE ids newly recorded on r as a comment by a,
// as the process has it ("It is added to the ... bug in the comment
// field, and the Issue is retitled").
func (s *Service) postCVEComment(tx vmt.Tx, a vmt.Actor, r *vmt.Report, before []string) error {
	var added []string
	for _, id := range r.CVEs {
		if !slices.Contains(before, id) {
			added = append(added, id)
		}
	}
	if len(added) == 0 {
		return nil
	}
	word := "CVE assigned: "
	if len(added) > 1 {
		word = "CVEs assigned: "
	}
	_, err := s.comment(tx, a, r, word+strings.Join(added, ", ")+".")
	return err
}

// postIncomplete posts the project's reception-incomplete message on r as
// a comment by a (the VMT speaks in it).
func (s *Service) postIncomplete(tx vmt.Tx, a vmt.Actor, r *vmt.Report) error {
	if s.deps.Texts.Incomplete == nil {
		return nil
	}
	body, err := s.incompleteText(tx, r)
	if err != nil {
		return err
	}
	_, err = s.comment(tx, a, r, body)
	return err
}

// incompleteText renders r's project's reception-incomplete message.
func (s *Service) incompleteText(tx vmt.Tx, r *vmt.Report) (string, error) {
	p, err := tx.Project(r.ProjectID)
	if err != nil {
		return "", err
	}
	overrides, err := templateOverrides(tx, p.ID)
	if err != nil {
		return "", err
	}
	body, err := s.deps.Texts.Incomplete(overrides, p.Name)
	if err != nil {
		return "", vmt.Invalid("reception_incomplete", "the project's reception-incomplete message: %v", err)
	}
	return body, nil
}

// draftAtTriaged makes r's advisory draft from the record, unless r has a
// document already (one sent back to Confirmed and triaged again keeps
// the draft the coordinator has been editing).
func (s *Service) draftAtTriaged(tx vmt.Tx, a vmt.Actor, r *vmt.Report) error {
	ds, err := tx.AdvisoriesOfReport(r.ID)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.State != vmt.AdvisoryWithdrawn {
			return nil
		}
	}
	_, err = s.draftFromReport(tx, a, r)
	if vmt.ErrorCode(err) == vmt.EINVALID {
		// The record lacks what the document needs (the affected
		// versions, say): the move stands, and the coordinator drafts
		// once the record is complete, told by the draft action what is
		// missing. An approval must not fail for a field the approver
		// does not own.
		s.deps.Log.Info("advisory draft at Triaged left for later", "report", r.ID, "field", vmt.ErrorField(err))
		return nil
	}
	return err
}

// approvedToTriaged moves r to Triaged once its impact description has
// both approvals, the one decision left there being the approvers'.
func (s *Service) approvedToTriaged(tx vmt.Tx, r *vmt.Report) error {
	if r.Status != vmt.StatusConfirmed {
		return nil
	}
	_, err := s.moveBySystem(tx, r, vmt.StatusTriaged, "the impact description is approved by the reporter and the architecture committee")
	return err
}

// PostIncompleteMessage posts the project's reception-incomplete message
// on a report again (moving a new report to Incomplete posts it by
// itself). The report's VMT only: the message speaks for the VMT.
func (s *Service) PostIncompleteMessage(ctx context.Context, a vmt.Actor, id int64) error {
	if s.deps.Texts.Incomplete == nil {
		return vmt.Errorf(vmt.EUNAVAILABLE, "this server renders no reception-incomplete message")
	}
	return s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, id, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		return s.postIncomplete(tx, a, r)
	})
}

// followRecord brings the report's impact description and its documents
// that are not public yet up to date with its record, changed from before to r (vmt.FollowRecord),
// each change audited as an update of the document by a. Every change of
// a report goes through change(), so no path leaves a draft behind its
// record.
func (s *Service) followRecord(tx vmt.Tx, a vmt.Actor, before, r *vmt.Report) error {
	if err := s.followImpact(tx, a, before, r); err != nil {
		return err
	}
	ds, err := tx.AdvisoriesOfReport(r.ID)
	if err != nil || len(ds) == 0 {
		return err
	}
	p, err := tx.Project(r.ProjectID)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.Public() || d.State == vmt.AdvisoryWithdrawn {
			continue
		}
		old := *d
		changed := vmt.FollowRecord(d, vmt.DraftFacts{Report: before, Project: p}, vmt.DraftFacts{Report: r, Project: p})
		if len(changed) == 0 {
			continue
		}
		if err := s.checkAdvisory(d); err != nil {
			return err
		}
		if err := tx.UpdateAdvisory(d); err != nil {
			return err
		}
		after := map[string]any{"document": advisorySummary(d), "followed_report": changed}
		if err := s.audit(tx, a, vmt.AuditAdvisoryUpdate, d.ProjectID, d.ReportID, subject("advisory", d.RecordID), advisorySummary(&old), after); err != nil {
			return err
		}
	}
	return nil
}
