package http

import (
	"context"
	"net/http"
	"net/url"

	"github.com/vmtproject/vmt"
)

// Impact returns a report's impact description and the approvals that
// hold for its text.
func (c *Client) Impact(ctx context.Context, reportID int64) (*vmt.ImpactState, error) {
	return get[vmt.ImpactState](ctx, c, reportPath(reportID, "/impact"))
}

// DraftImpact drafts the impact description from the project's template;
// replace overwrites a text the report has.
func (c *Client) DraftImpact(ctx context.Context, reportID int64, replace bool) (*vmt.ReportView, error) {
	return send[vmt.ReportView](ctx, c, http.MethodPost, reportPath(reportID, "/impact/draft"), DraftImpactInput{Replace: replace})
}

// ApproveImpact approves the impact description as the caller: the
// reporter, or a member of the architecture committee.
func (c *Client) ApproveImpact(ctx context.Context, reportID int64) (*vmt.ImpactState, error) {
	return send[vmt.ImpactState](ctx, c, http.MethodPost, reportPath(reportID, "/impact/approve"), nil)
}

func templatePath(project, name string) string {
	return projectPath(project, "/templates/"+url.PathEscape(name))
}

// ProjectTemplate returns the text a project uses for a template.
func (c *Client) ProjectTemplate(ctx context.Context, project, name string) (*vmt.TemplateView, error) {
	return get[vmt.TemplateView](ctx, c, templatePath(project, name))
}

// SetProjectTemplate stores a project's own text for a template.
func (c *Client) SetProjectTemplate(ctx context.Context, project, name, text string) (*vmt.TemplateView, error) {
	return send[vmt.TemplateView](ctx, c, http.MethodPut, templatePath(project, name), TemplateInput{Text: text})
}

// PreviewProjectTemplate renders text (empty: the one the project uses)
// as a project's template against the sample report, storing nothing.
func (c *Client) PreviewProjectTemplate(ctx context.Context, project, name, text string) (*vmt.TemplatePreview, error) {
	return send[vmt.TemplatePreview](ctx, c, http.MethodPost, templatePath(project, name)+"/preview", TemplateInput{Text: text})
}

// ResetProjectTemplate removes a project's own text for a template.
func (c *Client) ResetProjectTemplate(ctx context.Context, project, name string) error {
	return c.del(ctx, templatePath(project, name))
}

// CNASettings returns a project's CVE Services settings.
func (c *Client) CNASettings(ctx context.Context, project string) (*vmt.CNASettings, error) {
	return get[vmt.CNASettings](ctx, c, projectPath(project, "/cna"))
}

// SetCNASettings replaces a project's CVE Services settings.
func (c *Client) SetCNASettings(ctx context.Context, project string, in vmt.CNASettings) (*vmt.CNASettings, error) {
	return send[vmt.CNASettings](ctx, c, http.MethodPut, projectPath(project, "/cna"), in)
}

// ReserveCVE reserves a CVE id through CVE Services and records it on the
// report.
func (c *Client) ReserveCVE(ctx context.Context, reportID int64) (*vmt.ReportView, error) {
	return send[vmt.ReportView](ctx, c, http.MethodPost, reportPath(reportID, "/cve-reserve"), nil)
}

// PublishCVE queues the publication of the CVE record of a published
// advisory (its record id) through CVE Services; cve is "" for the
// advisory's only CVE.
func (c *Client) PublishCVE(ctx context.Context, advisoryID int64, cve string) (*vmt.CVEPublication, error) {
	return send[vmt.CVEPublication](ctx, c, http.MethodPost, "/advisories/"+id(advisoryID)+"/cve-publish", PublishCVEInput{CVE: cve})
}

// IntakeSettings returns a project's intake mailbox settings.
func (c *Client) IntakeSettings(ctx context.Context, project string) (*vmt.IntakeSettings, error) {
	return get[vmt.IntakeSettings](ctx, c, projectPath(project, "/intake"))
}

// SetIntakeSettings replaces a project's intake mailbox settings.
func (c *Client) SetIntakeSettings(ctx context.Context, project string, in vmt.IntakeSettings) (*vmt.IntakeSettings, error) {
	return send[vmt.IntakeSettings](ctx, c, http.MethodPut, projectPath(project, "/intake"), in)
}

// IntakeFailures returns the messages of a project's mailbox that could
// not be read, latest first.
func (c *Client) IntakeFailures(ctx context.Context, project string) ([]*vmt.IntakeFailure, error) {
	l, err := get[List[*vmt.IntakeFailure]](ctx, c, projectPath(project, "/intake/failures"))
	if err != nil {
		return nil, err
	}
	return l.Items, nil
}
