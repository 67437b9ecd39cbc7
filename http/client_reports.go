package http

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
)

// ReportQuery selects reports for Client.Reports. Zero fields match
// everything; the server shows only the reports the caller may see.
type ReportQuery struct {
	Status        vmt.Status
	Class         vmt.Class
	Visibility    vmt.Visibility
	Project       string // project name
	CoordinatorID int64
	ReporterID    int64
	Overdue       bool   // raised for going public, or past the stage's time limit
	Query         string // full-text search: reports holding all these words
	Limit, Offset int    // 0: the server's default page size, from the start
}

// Values returns q as the query parameters of GET /api/v1/reports.
func (q ReportQuery) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" && s != "0" {
			v.Set(k, s)
		}
	}
	set("status", string(q.Status))
	set("class", string(q.Class))
	set("visibility", string(q.Visibility))
	set("project", q.Project)
	set("coordinator", strconv.FormatInt(q.CoordinatorID, 10))
	set("reporter", strconv.FormatInt(q.ReporterID, 10))
	if q.Overdue {
		v.Set("overdue", "true")
	}
	if q.Query != "" { // set skips "0", which is a word to search for
		v.Set("q", q.Query)
	}
	set("limit", strconv.Itoa(q.Limit))
	set("offset", strconv.Itoa(q.Offset))
	return v
}

// CreateReport files a private report as the caller.
func (c *Client) CreateReport(ctx context.Context, in vmt.ReportInput) (*vmt.ReportView, error) {
	return send[vmt.ReportView](ctx, c, http.MethodPost, "/reports", in)
}

// Report returns one report as the caller sees it; ENOTFOUND when it is
// absent or hidden from the caller.
func (c *Client) Report(ctx context.Context, reportID int64) (*vmt.ReportView, error) {
	return get[vmt.ReportView](ctx, c, reportPath(reportID, ""))
}

// Reports returns one page of the reports matching q, with the total count.
func (c *Client) Reports(ctx context.Context, q ReportQuery) (*List[*vmt.ReportView], error) {
	var l List[*vmt.ReportView]
	if err := c.do(ctx, http.MethodGet, "/reports", q.Values(), nil, &l); err != nil {
		return nil, err
	}
	if l.Items == nil {
		l.Items = []*vmt.ReportView{}
	}
	return &l, nil
}

// UpdateReport changes the fields p sets.
func (c *Client) UpdateReport(ctx context.Context, reportID int64, p vmt.ReportPatch) (*vmt.ReportView, error) {
	return send[vmt.ReportView](ctx, c, http.MethodPatch, reportPath(reportID, ""), p)
}

// Transition moves a report to another status; ECONFLICT when the table or
// a guard refuses the move.
func (c *Client) Transition(ctx context.Context, reportID int64, in vmt.TransitionInput) (*vmt.ReportView, error) {
	return send[vmt.ReportView](ctx, c, http.MethodPost, reportPath(reportID, "/transition"), in)
}

// Classify sets the class of a report; "" clears it.
func (c *Client) Classify(ctx context.Context, reportID int64, class vmt.Class) (*vmt.ReportView, error) {
	in := struct {
		Class vmt.Class `json:"class"`
	}{class}
	return send[vmt.ReportView](ctx, c, http.MethodPost, reportPath(reportID, "/classify"), in)
}

// Assign makes a VMT member the coordinator of a report; 0 unassigns it.
func (c *Client) Assign(ctx context.Context, reportID, userID int64) (*vmt.ReportView, error) {
	in := struct {
		CoordinatorID int64 `json:"coordinator_id"`
	}{userID}
	return send[vmt.ReportView](ctx, c, http.MethodPost, reportPath(reportID, "/assign"), in)
}

// RecordCVERequest records that a CVE was requested; ECONFLICT if one is
// recorded already.
func (c *Client) RecordCVERequest(ctx context.Context, reportID int64) (*vmt.ReportView, error) {
	return send[vmt.ReportView](ctx, c, http.MethodPost, reportPath(reportID, "/cve-request"), nil)
}

// MakePublic ends a report's embargo for the reason given; ECONFLICT if it
// is public already.
func (c *Client) MakePublic(ctx context.Context, reportID int64, reason string) (*vmt.ReportView, error) {
	in := struct {
		Reason string `json:"reason"`
	}{reason}
	return send[vmt.ReportView](ctx, c, http.MethodPost, reportPath(reportID, "/publicize"), in)
}

// Subscribe lets a user see and follow a report.
func (c *Client) Subscribe(ctx context.Context, reportID, userID int64) (*vmt.Subscription, error) {
	in := struct {
		UserID int64 `json:"user_id"`
	}{userID}
	return send[vmt.Subscription](ctx, c, http.MethodPost, reportPath(reportID, "/subscriptions"), in)
}

// Unsubscribe ends a user's subscription to a report.
func (c *Client) Unsubscribe(ctx context.Context, reportID, userID int64) error {
	return c.del(ctx, reportPath(reportID, "/subscriptions/"+id(userID)))
}

// Subscriptions lists who is subscribed to a report.
func (c *Client) Subscriptions(ctx context.Context, reportID int64) ([]*vmt.Subscription, error) {
	return items[*vmt.Subscription](ctx, c, reportPath(reportID, "/subscriptions"), nil)
}

// AddComment posts a comment on a report.
func (c *Client) AddComment(ctx context.Context, reportID int64, body string) (*vmt.Comment, error) {
	in := struct {
		Body string `json:"body"`
	}{body}
	return send[vmt.Comment](ctx, c, http.MethodPost, reportPath(reportID, "/comments"), in)
}

// Comments lists the comments of a report, oldest first.
func (c *Client) Comments(ctx context.Context, reportID int64) ([]*vmt.Comment, error) {
	return items[*vmt.Comment](ctx, c, reportPath(reportID, "/comments"), nil)
}

// ReportAudit returns the audit events of a report.
func (c *Client) ReportAudit(ctx context.Context, reportID int64) ([]*vmt.AuditEvent, error) {
	return items[*vmt.AuditEvent](ctx, c, reportPath(reportID, "/audit"), nil)
}

// Extent returns who could see a report, since when and granted by whom.
func (c *Client) Extent(ctx context.Context, reportID int64) ([]vmt.ExtentEntry, error) {
	return items[vmt.ExtentEntry](ctx, c, reportPath(reportID, "/extent"), nil)
}

// MoveDisclosure moves the disclosure date of a report whose notice is
// out, for a reason; the notice's recipients are told.
func (c *Client) MoveDisclosure(ctx context.Context, reportID int64, in MoveDisclosureInput) (*vmt.ReportView, error) {
	return send[vmt.ReportView](ctx, c, http.MethodPost, reportPath(reportID, "/disclosure-date"), in)
}

// Triage returns the reports most like report id and its reporter's record.
func (c *Client) Triage(ctx context.Context, reportID int64) (*vmt.Triage, error) {
	return send[vmt.Triage](ctx, c, http.MethodGet, reportPath(reportID, "/triage"), nil)
}

// MarkDuplicate marks report id a duplicate of in.Of.
func (c *Client) MarkDuplicate(ctx context.Context, reportID int64, in app.DuplicateInput) (*vmt.ReportView, error) {
	return send[vmt.ReportView](ctx, c, http.MethodPost, reportPath(reportID, "/duplicate"), in)
}
