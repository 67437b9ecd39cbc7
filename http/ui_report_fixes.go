package http

import (
	"fmt"
	"net/http"
	"strings"

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
	Noticed  bool     // the notice is sent: the disclosure date is set
	Branches []string // the supported branches, for the waiver form
	Waive    bool     // the viewer may record a waiver
	Review   bool     // the viewer may review the fixes
	Link     bool     // the viewer may record a pull request link (public report)
	Attach   bool     // the viewer may upload a series (private report)
	// PublicEarly are the branches whose fix the tracked repository has
	// while the report is private: a possible leak.
	PublicEarly []string
	// UploadError is why the last upload was refused, shown next to the
	// file field; UploadBranch the branch it was for.
	UploadError, UploadBranch string
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
	sec := &fixSection{ReportID: p.R.ID, Approval: ap, Private: p.R.Visibility == vmt.Private, Noticed: p.R.NoticeSentAt != nil}
	if sec.Review, err = s.svc.MayReviewFixes(ctx, a, p.R.ID); err != nil {
		return nil, err
	}
	// Waivers are a coordinator's act; links are for public reports, from
	// those who may attach fixes (AttachFix decides again).
	sec.Waive = p.Coordinate
	sec.Link = !sec.Private && (p.Coordinate || p.Reporter || p.Unsubscribe)
	sec.Attach = sec.Private && (p.Coordinate || p.Reporter || p.Unsubscribe)
	if sec.Attach {
		m := s.ui.sessions.manager(r)
		sec.UploadError, sec.UploadBranch = m.PopString(ctx, keyFixUploadError), m.PopString(ctx, keyFixUploadBranch)
	}
	for _, row := range rows {
		v := fixRowView{FixRow: row, Merge: mergeText[row.Merge], MergeClass: "merge-" + row.Merge}
		if row.Fix != nil {
			v.Review, v.ReviewClass = reviewText[row.Fix.Review], "review-"+string(row.Fix.Review)
		}
		sec.Rows = append(sec.Rows, v)
		sec.Branches = append(sec.Branches, row.Branch)
	}
	// A flag stored by merge tracking is the report's banner, at the top
	// of its page; the matrix says it only for a sighting not stored (a
	// report flagged before the store kept the flag).
	if p.R.PossibleLeak == nil {
		sec.PublicEarly = vmt.PublicBeforeDisclosure(p.R.Report, rows)
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

// reportFixOf returns fix fixID of report id as the viewer may see it:
// ENOTFOUND if the report is hidden or the fix is another report's.
func (s *Server) reportFixOf(r *http.Request, id int64) (*vmt.Fix, error) {
	fixID, err := pathID(r, "fix")
	if err != nil {
		return nil, vmt.NotFound("fix")
	}
	fixes, err := s.svc.Fixes(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		return nil, err
	}
	for _, f := range fixes {
		if f.ID == fixID {
			return f, nil
		}
	}
	return nil, vmt.NotFound("fix")
}

// reportFixPatch shows a fix's series as text, for reviewers to read; it
// is as private as the report. Its name follows the notices' attachments:
// cve-2026-12345-stable-3.2-v2.patch.
func (s *Server) reportFixPatch(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return vmt.NotFound("report")
	}
	fixID, err := pathID(r, "fix")
	if err != nil {
		return vmt.NotFound("fix")
	}
	f, err := s.svc.FixPatch(r.Context(), actorFrom(r.Context()), id, fixID) // a link has no file: ENOTFOUND
	if err != nil {
		return err
	}
	v, err := s.svc.Report(r.Context(), actorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("inline; filename=%q", vmt.FixFileName(v.CVEs, id, f)))
	_, err = w.Write([]byte(f.Series))
	return err
}

// reportReviewFix records a core reviewer's verdict from the report's page.
func (s *Server) reportReviewFix(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		f, err := s.reportFixOf(r, id)
		if err != nil {
			return "", err
		}
		in := vmt.ReviewInput{Review: vmt.FixReview(r.PostForm.Get("review")), Note: r.PostForm.Get("note")}
		if f, err = s.svc.ReviewFix(r.Context(), a, f.ID, in); err != nil {
			return "", err
		}
		return fmt.Sprintf("Version %d for %s: %s.", f.Version, f.Branch, reviewText[f.Review]), nil
	})(w, r)
}

// reportFixLink records a pull request link, with its commit if given, for
// a branch of a public report.
func (s *Server) reportFixLink(w http.ResponseWriter, r *http.Request) error {
	return s.reportAction(func(r *http.Request, a vmt.Actor, id int64) (string, error) {
		in := vmt.FixInput{Branch: r.PostForm.Get("branch"), URL: strings.TrimSpace(r.PostForm.Get("url")),
			Commit: strings.TrimSpace(r.PostForm.Get("commit"))}
		f, err := s.svc.AttachFix(r.Context(), a, id, in)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Pull request recorded for %s (version %d).", f.Branch, f.Version), nil
	})(w, r)
}
