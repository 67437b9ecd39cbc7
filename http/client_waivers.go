package http

import (
	"context"
	"net/http"

	"github.com/vmtproject/vmt"
)

// WaiveFix records why a report may be disclosed without an approved fix on
// a branch ("" for every branch).
func (c *Client) WaiveFix(ctx context.Context, reportID int64, in vmt.WaiverInput) (*vmt.FixWaiver, error) {
	return send[vmt.FixWaiver](ctx, c, http.MethodPost, reportPath(reportID, "/fixes/waivers"), in)
}

// PreApproval returns a report's waivers, missing approvals and held
// disclosure.
func (c *Client) PreApproval(ctx context.Context, reportID int64) (*vmt.PreApproval, error) {
	return get[vmt.PreApproval](ctx, c, reportPath(reportID, "/fixes/approval"))
}
