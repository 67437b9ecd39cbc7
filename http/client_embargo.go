package http

import (
	"context"
	"net/http"

	"github.com/vmtproject/vmt"
)

// SendNotice sends the downstream notice of a report; a non-empty
// overrideReason sets the reporter's requested disclosure date aside.
func (c *Client) SendNotice(ctx context.Context, reportID int64, overrideReason string) (*vmt.NoticeResult, error) {
	return send[vmt.NoticeResult](ctx, c, http.MethodPost, reportPath(reportID, "/notice"), vmt.NoticeInput{OverrideReason: overrideReason})
}

// PreviewNotice returns what SendNotice with the same reason would send,
// sending nothing.
func (c *Client) PreviewNotice(ctx context.Context, reportID int64, overrideReason string) (*vmt.NoticePreview, error) {
	return send[vmt.NoticePreview](ctx, c, http.MethodPost, reportPath(reportID, "/notice/preview"), vmt.NoticeInput{OverrideReason: overrideReason})
}

// GrantStakeholder lets a stakeholder's account read a private report.
func (c *Client) GrantStakeholder(ctx context.Context, reportID, userID int64) (*vmt.Grant, error) {
	return send[vmt.Grant](ctx, c, http.MethodPost, reportPath(reportID, "/grants"), vmt.GrantInput{UserID: userID})
}

// RevokeStakeholder ends a stakeholder's grant.
func (c *Client) RevokeStakeholder(ctx context.Context, reportID, userID int64) error {
	return c.del(ctx, reportPath(reportID, "/grants/"+id(userID)))
}

// RaiseEmbargo raises a private report for going public, for a reason.
func (c *Client) RaiseEmbargo(ctx context.Context, reportID int64, reason string) (*vmt.ReportView, error) {
	in := struct {
		Reason string `json:"reason"`
	}{reason}
	return send[vmt.ReportView](ctx, c, http.MethodPost, reportPath(reportID, "/raise"), in)
}

// RequestAccess asks, as a stakeholder's account, to read a report the
// notice told it of.
func (c *Client) RequestAccess(ctx context.Context, reportID int64, note string) (*vmt.AccessRequest, error) {
	in := struct {
		Note string `json:"note"`
	}{note}
	return send[vmt.AccessRequest](ctx, c, http.MethodPost, reportPath(reportID, "/access-requests"), in)
}

// AccessRequests lists the pending access requests of a report.
func (c *Client) AccessRequests(ctx context.Context, reportID int64) ([]*vmt.AccessRequest, error) {
	return items[*vmt.AccessRequest](ctx, c, reportPath(reportID, "/access-requests"), nil)
}
