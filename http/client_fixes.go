package http

import (
	"context"
	"net/http"

	"github.com/vmtproject/vmt"
)

// Fixes lists every version of the fixes of a report.
func (c *Client) Fixes(ctx context.Context, reportID int64) ([]*vmt.Fix, error) {
	return items[*vmt.Fix](ctx, c, reportPath(reportID, "/fixes"), nil)
}

// FixMatrix returns each supported branch of a report with its latest fix.
func (c *Client) FixMatrix(ctx context.Context, reportID int64) ([]vmt.FixRow, error) {
	return items[vmt.FixRow](ctx, c, reportPath(reportID, "/fixes/matrix"), nil)
}

// AttachFix attaches a series or a pull request link to a report.
func (c *Client) AttachFix(ctx context.Context, reportID int64, in vmt.FixInput) (*vmt.Fix, error) {
	return send[vmt.Fix](ctx, c, http.MethodPost, reportPath(reportID, "/fixes"), in)
}

// ReviewFix approves a fix version or asks for changes.
func (c *Client) ReviewFix(ctx context.Context, fixID int64, in vmt.ReviewInput) (*vmt.Fix, error) {
	return send[vmt.Fix](ctx, c, http.MethodPost, "/fixes/"+id(fixID)+"/review", in)
}
