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

// CreateForgeFork asks for the temporary private fork of the report's
// repository advisory; the answer has the fork once GitHub made it.
func (c *Client) CreateForgeFork(ctx context.Context, reportID int64) (*vmt.ForgeForkState, error) {
	return send[vmt.ForgeForkState](ctx, c, http.MethodPost, reportPath(reportID, "/github-fork"), nil)
}

// FixFromFork takes branch ref of the report's private fork in as the
// patch series of branch.
func (c *Client) FixFromFork(ctx context.Context, reportID int64, branch, ref string) (*vmt.Fix, error) {
	return send[vmt.Fix](ctx, c, http.MethodPost, reportPath(reportID, "/fixes/from-fork"), FixFromForkInput{Branch: branch, Ref: ref})
}
