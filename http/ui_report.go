package http

import (
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/markdown"
)

// reportPage is the data of a report's page. What the viewer may not read
// (audit, extent, subscribers) is left nil and not shown.
type reportPage struct {
	R           *vmt.ReportView
	Project     *vmt.Project
	Description template.HTML
	Impact      template.HTML
	Comments    []renderedComment
	Subs        []*vmt.Subscription
	Extent      []vmt.ExtentEntry
	Audit       []*vmt.AuditEvent // the latest auditLatest, or all with ?audit=all
	AuditTotal  int               // how many events the report has
	// CommentsTotal is how many comments the report has: the page shows
	// those of the events shown (see reportComments).
	CommentsTotal int
	Names         map[int64]string
	Next          []transitionChoice
	Classes       []vmt.ClassInfo
	Users         []*vmt.User // whom the VMT may assign or subscribe
	Coordinate    bool        // the viewer may coordinate
	EditTerms     bool        // the viewer may state the disclosure terms
	Comment       bool        // the viewer may comment
	Reporter      bool        // the viewer filed the report
	Unsubscribe   bool        // the viewer may end their own subscription
	Fixes         *fixSection // the branch × fix matrix (ui_report_fixes.go)
	// AccessRequests are the stakeholders asking to read it (VMT only).
	AccessRequests []*vmt.AccessRequest
	// ImpactReview is the approvals of the impact description (ui_report_impact.go).
	ImpactReview *impactSection
	// Advisory is the document and CVE step, for the VMT (ui_report_advisory.go).
	Advisory *advisorySection
	// Triage is the likely duplicates and the reporter's record, for the
	// VMT while the report is open and not a duplicate itself.
	Triage *vmt.Triage
	// Attachments are the files a mailed report came with, for those the
	// service lets read them (ui_intake.go).
	Attachments []*vmt.ReportAttachment
	// Intake is how a mailed report arrived (encrypted, its signature),
	// nil for a report filed on the web or for whom may not read it.
	Intake *vmt.IntakeRecord
	// Process is where the report stands and whom it waits on; Timeline
	// its history in words (ui_report_timeline.go).
	Process  vmt.Process
	Timeline []timelineEntry
	// Countdown says how far the disclosure hour is, in words, from the
	// time the page was drawn (UTC; app.js adds the viewer's zone).
	Countdown string
	// AsksReason: a move offered wants a reason; MakesPublic: one ends
	// the embargo (the hardening tag goes with it).
	AsksReason, MakesPublic bool
}

// Does reports whether the page offers task t: the viewer coordinates
// and the report's step has a use for it (vmt.TaskApplies).
func (p *reportPage) Does(t string) bool {
	return p.Coordinate && p.Applies(t)
}

// ImpactOpen reports whether the impact description shows unfolded:
// while it is the step's business (written, approved, sent to the CNA),
// for those who approve it until they have, and for whoever else reads
// the report (the stakeholder reads it there).
func (p *reportPage) ImpactOpen() bool {
	switch p.R.Status {
	case vmt.StatusConfirmed, vmt.StatusTriaged:
		return true
	}
	if c := p.ImpactReview; c != nil && c.Approve {
		return true
	}
	return !p.Coordinate && !p.Reporter
}

// Held reports whether the disclosure hour came and went while a branch
// had no approved fix and no waiver.
func (p *reportPage) Held() bool {
	return p.Fixes != nil && p.Fixes.Approval != nil && p.Fixes.Approval.Hold != nil
}

// Applies reports whether the report's step has a use for task t,
// whoever looks (the reporter states a requested date too).
func (p *reportPage) Applies(t string) bool {
	return vmt.TaskApplies(p.R.Report, vmt.Task(t))
}

// auditLatest is how many events the audit timeline shows by default.
const auditLatest = 50

type renderedComment struct {
	*vmt.Comment
	HTML template.HTML
}

// transitionChoice is one move the table allows, with what it means.
type transitionChoice struct {
	To          vmt.Status
	Label       string
	Why         string
	MakesPublic bool
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) error {
	return s.reportPageStatus(w, r, http.StatusOK)
}

// reportPageStatus renders the report's page with status: a form refused
// field by field shows it again with what was typed (422).
func (s *Server) reportPageStatus(w http.ResponseWriter, r *http.Request, status int) error {
	id, err := pathID(r, "id")
	if err != nil {
		return vmt.NotFound("report")
	}
	ctx, a := r.Context(), actorFrom(r.Context())
	v, err := s.svc.Report(ctx, a, id)
	if err != nil {
		return err
	}
	p := &reportPage{R: v, Description: markdown.Render(v.Description), Impact: markdown.Render(v.ImpactDescription), Classes: vmt.Taxonomy,
		Comment: a.User != nil, Reporter: a.User != nil && v.ReporterID == a.ID()}
	for _, to := range v.NextStatuses {
		t, _ := vmt.FindTransition(v.Status, to)
		p.Next = append(p.Next, transitionChoice{To: to, Label: to.Label(), Why: t.Why, MakesPublic: t.MakesPublic})
		p.AsksReason = p.AsksReason || t.AsksReason()
		p.MakesPublic = p.MakesPublic || t.MakesPublic
	}
	if v.DisclosureAt != nil {
		p.Countdown = countdown(time.Now(), *v.DisclosureAt)
	}
	if err := s.reportDetails(r, p); err != nil {
		return err
	}
	return s.render(w, r, status, "report", v.Title, p)
}

// reportComments are the comments the page shows, so that it draws no
// more for a long history than for a short one (issue 17): with the
// latest events (latest > 0), the comments those events add (each comment
// is one comment.add event); without the audit (whoever may not read it),
// the latest comments; all of them when all was asked for.
func reportComments(cs []*vmt.Comment, audit []*vmt.AuditEvent, total, latest int) []*vmt.Comment {
	switch {
	case latest == 0:
		return cs
	case audit == nil:
		return cs[max(0, len(cs)-latest):]
	case total <= len(audit):
		return cs
	}
	n := 0
	for _, e := range audit {
		if e.Action == vmt.AuditCommentAdd {
			n++
		}
	}
	return cs[max(0, len(cs)-n):]
}

// reportDetails reads what goes around the report, each part only if the
// service lets the viewer read it.
func (s *Server) reportDetails(r *http.Request, p *reportPage) error {
	ctx, a, id := r.Context(), actorFrom(r.Context()), p.R.ID
	cs, err := s.svc.Comments(ctx, a, id)
	if err != nil {
		return err
	}
	ids := []int64{p.R.ReporterID, p.R.CoordinatorID}
	if p.Subs, err = allowed(s.svc.Subscriptions(ctx, a, id)); err != nil {
		return err
	}
	// The timeline shows the latest events unless asked for all, so that
	// the page does not grow with the report's history.
	latest := auditLatest
	if r.URL.Query().Get("audit") == "all" {
		latest = 0
	}
	if p.Extent, p.Audit, p.AuditTotal, err = s.svc.ReportHistory(ctx, a, id, latest); err != nil {
		return err
	}
	p.CommentsTotal = len(cs)
	for _, c := range reportComments(cs, p.Audit, p.AuditTotal, latest) {
		p.Comments = append(p.Comments, renderedComment{c, markdown.Render(c.Body)})
		ids = append(ids, c.AuthorID)
	}
	// The service offers moves only to those who may coordinate; on a
	// final status it offers none, and the audit log, which the policy
	// gives to the same people, tells instead.
	p.Coordinate = len(p.R.NextStatuses) > 0 || p.Audit != nil
	p.EditTerms = p.Reporter || p.Coordinate
	for _, sub := range p.Subs {
		ids = append(ids, sub.UserID, sub.GrantedBy)
		p.Unsubscribe = p.Unsubscribe || sub.UserID == a.ID()
	}
	for _, e := range p.Extent {
		ids = append(ids, e.UserID, e.GrantedBy)
	}
	for _, e := range p.Audit {
		ids = append(ids, e.ActorID)
	}
	ids = append(ids, timelineUsers(p.Audit)...)
	if p.Process, err = s.svc.Process(ctx, a, id); err != nil {
		return err
	}
	if p.Coordinate {
		if p.Users, err = s.svc.Directory(ctx, a); err != nil {
			return err
		}
		if p.AccessRequests, err = s.svc.AccessRequests(ctx, a, id); err != nil {
			return err
		}
		for _, q := range p.AccessRequests {
			ids = append(ids, q.UserID)
		}
	}
	if ps, err := s.svc.Projects(ctx, a); err == nil {
		for _, pr := range ps {
			if pr.ID == p.R.ProjectID {
				p.Project = pr
			}
		}
	}
	if p.Fixes, err = s.fixSection(r, p); err != nil {
		return err
	}
	if p.ImpactReview, err = s.impactSection(r, p); err != nil {
		return err
	} else if c := p.ImpactReview; c != nil && c.State.Committee != nil {
		ids = append(ids, c.State.Committee.UserID)
	}
	if p.Advisory, err = s.advisorySection(r, p); err != nil {
		return err
	}
	if p.Coordinate && !p.R.Status.Closed() && p.R.DuplicateOf == 0 {
		if p.Triage, err = s.svc.Triage(ctx, a, id); vmt.ErrorCode(err) == vmt.EFORBIDDEN {
			p.Triage, err = nil, nil
		} else if err != nil {
			return err
		}
	}
	if p.Attachments, p.Intake, err = s.reportIntakeSection(r, p); err != nil {
		return err
	}
	if p.Names, err = s.svc.UserNames(ctx, a, ids); err != nil {
		return err
	}
	p.Timeline = timeline(p)
	return nil
}

// countdown says in words how far at is from now: "in 2 days and 5
// hours", "in 40 minutes", "passed 3 hours ago".
func countdown(now, at time.Time) string {
	d := at.Sub(now)
	past := d < 0
	if past {
		d = -d
	}
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	var s string
	switch {
	case days > 0:
		s = plural(days, "day") + " and " + plural(hours, "hour")
	case hours > 0:
		s = plural(hours, "hour") + " and " + plural(mins, "minute")
	default:
		s = plural(mins, "minute")
	}
	if past {
		return "passed " + s + " ago"
	}
	return "in " + s
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// allowed turns a refusal (the viewer may not read this part) into an
// empty part; any other error stays.
func allowed[T any](xs []T, err error) ([]T, error) {
	switch vmt.ErrorCode(err) {
	case vmt.EFORBIDDEN, vmt.EUNAUTHENTICATED:
		return nil, nil
	}
	return xs, err
}
