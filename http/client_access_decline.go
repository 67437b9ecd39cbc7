package http

import (
	"context"
	"net/http"
	"strconv"

	"github.com/vmtproject/vmt"
)

// DeclineAccess declines a stakeholder's pending access request.
func (c *Client) DeclineAccess(ctx context.Context, reportID, userID int64, reason string) (*vmt.AccessDecline, error) {
	in := struct {
		Reason string `json:"reason"`
	}{reason}
	return send[vmt.AccessDecline](ctx, c, http.MethodPost, reportPath(reportID, "/access-requests/"+strconv.FormatInt(userID, 10)+"/decline"), in)
}

// OwnAccessRequest returns the caller's own access request on a report.
func (c *Client) OwnAccessRequest(ctx context.Context, reportID int64) (*vmt.AccessRequestState, error) {
	return get[vmt.AccessRequestState](ctx, c, reportPath(reportID, "/access-requests/mine"))
}
