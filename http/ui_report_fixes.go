package http

import (
	"net/http"

	"github.com/vmtproject/vmt"
)

// fixSection is the branch × fix matrix of a report's page, with the
// pre-approval state: what lacks approval, the waivers, a held disclosure.
// The service decides who sees it: whoever may see the report.
type fixSection struct {
	ReportID int64
	Rows     []fixRowView
	Approval *vmt.PreApproval
	Private  bool
	Branches []string // the supported branches, for the waiver form
	Waive    bool     // the viewer may record a waiver
}

// fixRowView is one branch of the matrix as the page words it.
type fixRowView struct {
	vmt.FixRow
	Review, ReviewClass string
	Merge, MergeClass   string
}

var reviewText = map[vmt.FixReview]string{
	vmt.ReviewApproved:         "approved",
	vmt.ReviewChangesRequested: "changes requested",
	vmt.ReviewPending:          "pending review",
}

var mergeText = map[string]string{
	"merged":      "merged",
	"partial":     "partly merged",
	"not_merged":  "not yet merged",
	"error":       "error",
	"not_tracked": "not tracked (no commit recorded)",
	"unchecked":   "not checked yet",
}

// fixSection reads the matrix and the pre-approval state of page p's
// report.
func (s *Server) fixSection(r *http.Request, p *reportPage) (*fixSection, error) {
	ctx, a := r.Context(), actorFrom(r.Context())
	rows, err := s.svc.FixMatrix(ctx, a, p.R.ID)
	if err != nil {
		return nil, err
	}
	ap, err := s.svc.PreApprovalOf(ctx, a, p.R.ID)
	if err != nil {
		return nil, err
	}
	sec := &fixSection{ReportID: p.R.ID, Approval: ap, Private: p.R.Visibility == vmt.Private}
	// Waivers are a coordinator's act, on a report still under embargo.
	sec.Waive = sec.Private && p.Coordinate
	for _, row := range rows {
		v := fixRowView{FixRow: row, Merge: mergeText[row.Merge], MergeClass: "merge-" + row.Merge}
		if row.Fix != nil {
			v.Review, v.ReviewClass = reviewText[row.Fix.Review], "review-"+string(row.Fix.Review)
		}
		sec.Rows = append(sec.Rows, v)
		sec.Branches = append(sec.Branches, row.Branch)
	}
	return sec, nil
}

// reportWaiveFix records a coordinator's waiver from the report's page.
func (s *Server) reportWaiveFix(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		in := vmt.WaiverInput{Branch: r.PostForm.Get("branch"), Reason: r.PostForm.Get("reason")}
		wv, err := s.svc.WaiveFix(r.Context(), a, id, in)
		if err != nil {
			return "", err
		}
		if wv.Branch == "" {
			return "Waiver recorded: the report may be disclosed without an approved fix on any branch.", nil
		}
		return "Waiver recorded for branch " + wv.Branch + ".", nil
	})(w, r)
}
