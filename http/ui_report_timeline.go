package http

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// timelineEntry is one thing that happened to a report, in words: a
// comment, a change of status, an approval, a notice with each
// recipient's delivery state, or another audited event.
type timelineEntry struct {
	At      time.Time
	Who     string // "" for the system
	Kind    string // comment, status, approval, notice, fix, event
	What    string // a sentence, "moved the report from New to Confirmed"
	Detail  string // a reason, a note: plain text
	Comment *renderedComment
	Mails   []*vmt.ExtentMail // the recipients of a notice, for Kind notice
	Action  string            // the audit action, for tests and styling
}

// timeline merges the page's comments, its audit events (the latest
// auditLatest unless all were asked for) and the mails of its extent into
// one list, oldest first. Comments are shown as comments, not as their
// audit events; a notice's audit event carries its recipients.
func timeline(p *reportPage) []timelineEntry {
	names := func(id int64) string {
		if id == 0 {
			return ""
		}
		if n, ok := p.Names[id]; ok && n != "" {
			return n
		}
		return fmt.Sprintf("user #%d", id)
	}
	var out []timelineEntry
	for i := range p.Comments {
		c := &p.Comments[i]
		who := names(c.AuthorID)
		if c.AuthorID == 0 {
			who = "name withheld at the reporter's request"
		}
		out = append(out, timelineEntry{At: c.CreatedAt, Who: who, Kind: "comment", What: "commented", Comment: c, Action: vmt.AuditCommentAdd})
	}
	mails := noticeMails(p.Extent)
	noticed := false
	for _, e := range p.Audit {
		if e.Action == vmt.AuditCommentAdd {
			continue
		}
		t := describeEvent(e, names)
		if t.Kind == "" {
			continue
		}
		if e.Action == vmt.AuditReportNotice && !noticed {
			t.Mails, noticed = mailsOf(mails), true
		}
		out = append(out, t)
	}
	if !noticed && len(mails) > 0 {
		// The audit is not the viewer's (the reporter reads the extent):
		// the notice is told from its mails.
		at := mails[0].since
		if p.R.NoticeSentAt != nil {
			at = *p.R.NoticeSentAt
		}
		out = append(out, timelineEntry{At: at, Kind: "notice", What: "the embargoed notice was mailed", Mails: mailsOf(mails), Action: vmt.AuditReportNotice})
	}
	if p.Audit == nil {
		// Without the audit log the viewer still reads when the report
		// came and when it entered the status it has.
		out = append(out, timelineEntry{At: p.R.CreatedAt, Kind: "event", What: "the report was received", Action: vmt.AuditReportCreate})
		if p.R.Status != vmt.StatusNew {
			out = append(out, timelineEntry{At: p.R.StatusSince, Kind: "status", What: "the report entered " + p.R.Status.Label(), Action: vmt.AuditReportTransition})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

type sentMail struct {
	since time.Time
	mail  *vmt.ExtentMail
}

// noticeMails are the extent's mails of the notice, in the order sent.
func noticeMails(ext []vmt.ExtentEntry) []sentMail {
	var out []sentMail
	for _, e := range ext {
		if e.Mail != nil && e.Mail.Kind == vmt.KindNotice {
			out = append(out, sentMail{e.Since, e.Mail})
		}
	}
	slices.SortStableFunc(out, func(a, b sentMail) int { return a.since.Compare(b.since) })
	return out
}

func mailsOf(ms []sentMail) []*vmt.ExtentMail {
	if len(ms) == 0 {
		return nil
	}
	out := make([]*vmt.ExtentMail, len(ms))
	for i, m := range ms {
		out[i] = m.mail
	}
	return out
}

// payload is an audit event's Before or After read as an object; nil when
// it is not one.
func payload(raw json.RawMessage) map[string]any {
	var m map[string]any
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}

func str(m map[string]any, k string) string {
	switch v := m[k].(type) {
	case string:
		return v
	case float64:
		return fmt.Sprintf("%g", v)
	case bool:
		if v {
			return "yes"
		}
		return "no"
	}
	return ""
}

func num(m map[string]any, k string) int64 {
	v, _ := m[k].(float64)
	return int64(v)
}

func statusWord(s string) string { return vmt.Status(s).Label() }

// eventWords are the sentences of events that need no payload.
var eventWords = map[string][2]string{ // action: kind, what
	vmt.AuditReportCreate:             {"event", "filed the report"},
	vmt.AuditReportIntake:             {"event", "the report was received by mail"},
	vmt.AuditReportCVERequest:         {"event", "recorded that a CVE was requested"},
	vmt.AuditReportCVEReserve:         {"event", "reserved a CVE id through CVE Services"},
	vmt.AuditReportImpactDraft:        {"event", "drafted the impact description from the template"},
	vmt.AuditReportImpactReset:        {"approval", "the approvals of the impact description were taken back: its text changed"},
	vmt.AuditReportPublicize:          {"status", "ended the embargo: the report is public"},
	vmt.AuditReportDisclose:           {"status", "the report was disclosed at the disclosure hour"},
	vmt.AuditReportDisclosureHeld:     {"status", "the disclosure was held: a branch has no approved fix and no waiver"},
	vmt.AuditReportDisclosureReleased: {"status", "the held disclosure went ahead"},
	vmt.AuditReportEmbargoRaised:      {"event", "the report was raised for going public"},
	vmt.AuditReportStageReminder:      {"event", "the coordinator was reminded: the stage is past its time limit"},
	vmt.AuditReportStageEscalated:     {"event", "the stage was escalated: past its time limit after the reminder"},
	vmt.AuditReportPossibleLeak:       {"event", "merge tracking saw a fix in the public history while the report is private"},
	vmt.AuditReportTermsOverride:      {"event", "set the reporter's requested date aside"},
	vmt.AuditReportTold:               {"notice", "told the reporter and the subscribers of the notice"},
	vmt.AuditReportNoticeUpdate:       {"notice", "mailed an update of the notice"},
	vmt.AuditReportDisclosureMove:     {"notice", "moved the disclosure date"},
	vmt.AuditReportPublicationNotice:  {"notice", "told those notified of the publication"},
	vmt.AuditReportDuplicate:          {"status", "marked the report a duplicate"},
	vmt.AuditReportAccessRequest:      {"event", "a stakeholder asked to read the report"},
	vmt.AuditReportAccessDecline:      {"event", "declined a stakeholder's request to read the report"},
	vmt.AuditFixPushQueued:            {"fix", "the fixes were queued to be pushed"},
	vmt.AuditFixPushed:                {"fix", "the fixes were pushed"},
	vmt.AuditAdvisoryDraft:            {"event", "drafted the document"},
	vmt.AuditAdvisoryDraftFromReport:  {"event", "drafted the document from the report"},
	vmt.AuditAdvisoryUpdate:           {"event", "edited the document"},
	vmt.AuditAdvisoryEmbargo:          {"event", "made the document final, under embargo"},
	vmt.AuditAdvisoryPublish:          {"status", "published the document"},
	vmt.AuditAdvisoryErrata:           {"event", "published an erratum to the document"},
	vmt.AuditAdvisoryWithdraw:         {"status", "withdrew the document"},
	vmt.AuditAdvisoryCVEPublish:       {"event", "the CVE record was published"},
	vmt.AuditAdvisoryCVEPublishQueued: {"event", "the CVE record was queued for publication"},
	vmt.AuditOutboxRetry:              {"event", "asked for a mail to be sent again"},
	vmt.AuditOutboxFailed:             {"event", "a mail could not be delivered; it is kept"},
}

// fieldWords names the report's fields as an update's sentence says them.
var fieldWords = map[string]string{
	"title": "the title", "description": "the description", "impact_description": "the impact description",
	"components": "the components", "affected_versions": "the affected versions", "cves": "the CVE ids",
	"credit": "the credit", "reporter_terms": "the disclosure terms", "never_disclose": "what is never disclosed",
	"requested_disclosure_at": "the requested disclosure date", "class": "the class", "status": "the status",
	"visibility": "the visibility", "coordinator_id": "the coordinator", "disclosure_at": "the disclosure date",
}

// describeEvent words one audit event; an empty Kind leaves it out.
func describeEvent(e *vmt.AuditEvent, names func(int64) string) timelineEntry {
	t := timelineEntry{At: e.At, Who: names(e.ActorID), Action: e.Action}
	before, after := payload(e.Before), payload(e.After)
	if w, ok := eventWords[e.Action]; ok {
		t.Kind, t.What = w[0], w[1]
	}
	switch e.Action {
	case vmt.AuditReportTransition:
		t.Kind, t.What = "status", fmt.Sprintf("moved the report from %s to %s", statusWord(str(before, "status")), statusWord(str(after, "status")))
		if after["visibility"] == string(vmt.Public) {
			t.What += "; it is public"
		}
	case vmt.AuditReportClassify:
		t.Kind = "event"
		if c := str(after, "class"); c != "" {
			t.What = "classified the report as class " + c
		} else {
			t.What = "took the report's class back"
		}
	case vmt.AuditReportAssign:
		t.Kind = "event"
		if id := num(after, "coordinator_id"); id != 0 {
			t.What = "made " + names(id) + " the coordinator"
		} else {
			t.What = "left the report without a coordinator"
		}
	case vmt.AuditReportUpdate:
		t.Kind, t.What = "event", "changed "+fieldList(after)
	case vmt.AuditReportNotice:
		t.Kind, t.What = "notice", "sent the embargoed notice"
		if at := str(after, "disclosure_at"); at != "" {
			if d, err := time.Parse(time.RFC3339Nano, at); err == nil {
				t.What += "; disclosure on " + d.UTC().Format("2 January 2006, 15:04 UTC")
			}
		}
	case vmt.AuditReportImpactApprove:
		t.Kind, t.What = "approval", "approved the impact description"
		switch vmt.Approver(str(after, "approver")) {
		case vmt.ApproverReporter:
			t.What += " as the reporter"
		case vmt.ApproverCommittee:
			t.What += " for the architecture committee"
		}
	case vmt.AuditSubscriptionAdd:
		t.Kind, t.What = "event", "let "+names(num(after, "user_id"))+" in (subscribed)"
	case vmt.AuditSubscriptionRemove:
		t.Kind, t.What = "event", "ended the subscription of "+names(num(before, "user_id"))
	case vmt.AuditReportGrant:
		t.Kind, t.What = "event", "let "+names(num(after, "user_id"))+" of "+str(after, "organisation")+" read the report"
	case vmt.AuditReportGrantRevoke:
		t.Kind, t.What = "event", "took back the access of "+names(num(before, "user_id"))
	case vmt.AuditFixAttach:
		t.Kind, t.What = "fix", fmt.Sprintf("attached version %s of the fix for %s", str(after, "version"), str(after, "branch"))
		if u := str(after, "url"); u != "" {
			t.What = "recorded the pull request for " + str(after, "branch")
		}
	case vmt.AuditFixReview:
		t.Kind, t.Detail = "fix", str(after, "review_note")
		switch vmt.FixReview(str(after, "review")) {
		case vmt.ReviewApproved:
			t.What = "approved a fix"
		case vmt.ReviewChangesRequested:
			t.What = "asked for changes to a fix"
		default:
			t.What = "reviewed a fix"
		}
	case vmt.AuditFixWaive:
		t.Kind, t.Detail = "fix", str(after, "reason")
		if b := str(after, "branch"); b != "" {
			t.What = "waived the approved fix for " + b
		} else {
			t.What = "waived the approved fixes for the whole report"
		}
	case vmt.AuditFixMerge:
		t.Kind, t.What = "fix", "merge tracking: the fix is "+strings.ReplaceAll(str(after, "merge"), "_", " ")
		if str(after, "merge") == "" {
			t.What = "merge tracking checked the fix"
		}
	case vmt.AuditOutboxDelivered:
		t.Kind, t.What = "event", "a mail was delivered"
	}
	switch e.Action {
	case vmt.AuditReportTermsOverride, vmt.AuditReportEmbargoRaised, vmt.AuditReportPublicize, vmt.AuditReportAccessDecline:
		t.Detail = str(after, "reason")
	case vmt.AuditAdvisoryUpdate, vmt.AuditAdvisoryPublish, vmt.AuditAdvisoryEmbargo, vmt.AuditAdvisoryWithdraw, vmt.AuditAdvisoryErrata,
		vmt.AuditAdvisoryDraft, vmt.AuditAdvisoryDraftFromReport:
		if id := str(after, "id"); id != "" && strings.Contains(t.What, "the document") {
			t.What = strings.Replace(t.What, "the document", id, 1)
		}
	}
	// A change that moved the report on says so (the CVE request, the
	// notice, ending the embargo).
	if e.Action != vmt.AuditReportTransition && strings.HasPrefix(e.Action, "report.") {
		if from, to := str(before, "status"), str(after, "status"); from != "" && to != "" && from != to && t.What != "" {
			t.What += fmt.Sprintf("; the report moved from %s to %s", statusWord(from), statusWord(to))
		}
	}
	if t.Kind == "" { // an action without words yet: its name, readable
		t.Kind, t.What = "event", strings.NewReplacer(".", ": ", "_", " ").Replace(e.Action)
	}
	return t
}

// fieldList names the fields an update changed, in words.
func fieldList(after map[string]any) string {
	var fs []string
	for k := range after {
		if k == "updated_at" || k == "status_since" {
			continue
		}
		if w, ok := fieldWords[k]; ok {
			fs = append(fs, w)
		} else {
			fs = append(fs, strings.ReplaceAll(k, "_", " "))
		}
	}
	if len(fs) == 0 {
		return "the report"
	}
	sort.Strings(fs)
	if len(fs) == 1 {
		return fs[0]
	}
	return strings.Join(fs[:len(fs)-1], ", ") + " and " + fs[len(fs)-1]
}

// timelineUsers are the accounts an event's payload names, so that the
// page reads their names with the others.
func timelineUsers(evs []*vmt.AuditEvent) []int64 {
	var ids []int64
	for _, e := range evs {
		for _, m := range []map[string]any{payload(e.Before), payload(e.After)} {
			for _, k := range []string{"user_id", "coordinator_id"} {
				if id := num(m, k); id != 0 {
					ids = append(ids, id)
				}
			}
		}
	}
	return ids
}
