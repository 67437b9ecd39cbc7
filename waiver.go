package vmt

import (
	"context"
	"time"
)

// FixWaiver is a coordinator's recorded reason why a report may reach its
// disclosure hour with a supported branch lacking an approved fix (the
// stable branch is end-of-life next week, the fix is not applicable there).
// Branch "" waives every branch of the report, including branches the
// project supports later. A waiver is as private as its report.
type FixWaiver struct {
	ID        int64     `json:"id"`
	ReportID  int64     `json:"report_id"`
	Branch    string    `json:"branch"` // "": the whole report
	Reason    string    `json:"reason"`
	CreatedBy int64     `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// MaxWaiverReasonLen bounds the reason of a waiver, in characters.
const MaxWaiverReasonLen = 2000

// Covers reports whether w waives branch.
func (w *FixWaiver) Covers(branch string) bool { return w.Branch == "" || w.Branch == branch }

// DisclosureHold is a report whose disclosure hour came while a supported
// branch had neither an approved fix nor a waiver (an approval reset by a
// new version after the notice). The report stays private and the worker
// looks at it again at each round: once every branch is approved or waived
// the hold is lifted and the report disclosed in that same round.
type DisclosureHold struct {
	ReportID int64     `json:"report_id"`
	Branches []string  `json:"branches"` // what lacked approval when it was held
	HeldAt   time.Time `json:"held_at"`
}

// KindPush is an outbox item holding a PushRequest: the approved fixes of
// one branch, pushed at disclosure.
const KindPush = "push"

// PushRequest is the payload of a push item.
type PushRequest struct {
	ReportID int64   `json:"report_id"`
	Project  string  `json:"project"`
	Branch   string  `json:"branch"`  // the supported branch the fixes apply to
	FixIDs   []int64 `json:"fix_ids"` // applied in this order
	Target   string  `json:"target"`  // the branch pushed to the remote
}

// FixPusher pushes approved fixes, at disclosure, to a project's push
// remote as a branch ready for review. Package gitrepo implements it.
type FixPusher interface {
	// Pushes reports whether project has a push remote configured.
	Pushes(project string) bool
	// PushFixes applies the series in order on the tip of branch in the
	// project's mirror and pushes the result to the remote as target,
	// replacing what target held (a retry pushes the same commits). It
	// returns the pushed commit. A series that no longer applies, or a
	// branch gone upstream, is EINVALID: no retry cures it.
	PushFixes(ctx context.Context, p *Project, branch, target string, series []string) (string, error)
}

// PushTarget is the branch the fixes of report r for branch are pushed to:
// vmt/<first CVE or report-N>/<branch>. It depends only on the report and
// the branch, so a retried push goes to the same place.
func PushTarget(r *Report, branch string) string {
	name := "report-" + itoa(int(r.ID))
	if len(r.CVEs) > 0 {
		name = r.CVEs[0]
	}
	return "vmt/" + name + "/" + branch
}

// The pre-approval rule: a report cannot reach its disclosure hour with a
// supported branch lacking an approved fix unless a coordinator records
// why. It is checked when the notice sets the disclosure date (SendNotice
// refuses) and again at the hour (DiscloseDue holds the report back), since
// a new version uploaded after the notice resets the approval of its branch.

// WaiverInput is a coordinator's waiver: a branch ("" for the whole report)
// and why it may be disclosed without an approved fix.
type WaiverInput struct {
	Branch string `json:"branch"`
	Reason string `json:"reason"`
}

// PreApproval is where a report stands with the pre-approval rule.
type PreApproval struct {
	Waivers []*FixWaiver `json:"waivers"`
	// Missing are the supported branches with neither an approved latest
	// fix nor a waiver: a notice is refused while any remain, and the
	// disclosure hour is held.
	Missing []string        `json:"missing"`
	Hold    *DisclosureHold `json:"hold,omitempty"` // the disclosure hour came and went
}
