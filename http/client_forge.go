package http

import (
	"context"
	"net/http"

	"github.com/vmtproject/vmt"
)

// ForgeSettings returns a project's GitHub repository settings.
func (c *Client) ForgeSettings(ctx context.Context, project string) (*vmt.ForgeSettings, error) {
	return get[vmt.ForgeSettings](ctx, c, projectPath(project, "/forge"))
}

// SetForgeSettings replaces a project's GitHub repository settings
// (administrators).
func (c *Client) SetForgeSettings(ctx context.Context, project string, in vmt.ForgeSettings) (*vmt.ForgeSettings, error) {
	return send[vmt.ForgeSettings](ctx, c, http.MethodPut, projectPath(project, "/forge"), in)
}

// LinkForgeIssue records the issue a public report is followed in.
func (c *Client) LinkForgeIssue(ctx context.Context, reportID int64, number int) (*vmt.ForgeIssue, error) {
	return send[vmt.ForgeIssue](ctx, c, http.MethodPost, reportPath(reportID, "/forge-issue"), ForgeIssueInput{Number: number})
}

// RequestForgeCVE asks GitHub's CNA for the report's CVE through its
// repository advisory, and records the request.
func (c *Client) RequestForgeCVE(ctx context.Context, reportID int64) (*vmt.ReportView, error) {
	return send[vmt.ReportView](ctx, c, http.MethodPost, reportPath(reportID, "/cve-request/github"), nil)
}
