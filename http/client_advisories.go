package http

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/vmtproject/vmt"
)

func advisoryPath(recordID int64, rest string) string { return "/advisories/" + id(recordID) + rest }

// ReportAdvisories lists the documents of a report the caller may see.
func (c *Client) ReportAdvisories(ctx context.Context, reportID int64) ([]*vmt.Advisory, error) {
	return items[*vmt.Advisory](ctx, c, reportPath(reportID, "/advisories"), nil)
}

// DraftAdvisory stores doc as a draft document of a report.
func (c *Client) DraftAdvisory(ctx context.Context, reportID int64, doc vmt.Advisory) (*vmt.Advisory, error) {
	return send[vmt.Advisory](ctx, c, http.MethodPost, reportPath(reportID, "/advisories"), doc)
}

// Advisory returns a document by its record id.
func (c *Client) Advisory(ctx context.Context, recordID int64) (*vmt.Advisory, error) {
	return get[vmt.Advisory](ctx, c, advisoryPath(recordID, ""))
}

// UpdateAdvisory replaces the text of a draft or embargoed document.
func (c *Client) UpdateAdvisory(ctx context.Context, recordID int64, doc vmt.Advisory) (*vmt.Advisory, error) {
	return send[vmt.Advisory](ctx, c, http.MethodPut, advisoryPath(recordID, ""), doc)
}

// EmbargoAdvisory makes a draft final and numbers it.
func (c *Client) EmbargoAdvisory(ctx context.Context, recordID int64) (*vmt.Advisory, error) {
	return send[vmt.Advisory](ctx, c, http.MethodPost, advisoryPath(recordID, "/embargo"), nil)
}

// PublishAdvisory publishes an embargoed document of a public report.
func (c *Client) PublishAdvisory(ctx context.Context, recordID int64) (*vmt.Advisory, error) {
	return send[vmt.Advisory](ctx, c, http.MethodPost, advisoryPath(recordID, "/publish"), nil)
}

// AmendAdvisory publishes an erratum: the corrected document and what
// changed.
func (c *Client) AmendAdvisory(ctx context.Context, recordID int64, doc vmt.Advisory, change string) (*vmt.Advisory, error) {
	return send[vmt.Advisory](ctx, c, http.MethodPost, advisoryPath(recordID, "/errata"), ErrataInput{Advisory: doc, Change: change})
}

// WithdrawAdvisory withdraws a published document.
func (c *Client) WithdrawAdvisory(ctx context.Context, recordID int64, reason string) (*vmt.Advisory, error) {
	return send[vmt.Advisory](ctx, c, http.MethodPost, advisoryPath(recordID, "/withdraw"), WithdrawInput{Reason: reason})
}

// ExportAdvisory returns a document as osv, cve (the record of cve, or
// of its only CVE when empty) or csaf JSON, exactly as the server wrote it.
func (c *Client) ExportAdvisory(ctx context.Context, recordID int64, format, cve string) ([]byte, error) {
	q := url.Values{"format": {format}}
	if cve != "" {
		q.Set("cve", cve)
	}
	req, err := c.newRequest(ctx, http.MethodGet, advisoryPath(recordID, "/export"), q, nil)
	if err != nil {
		return nil, err
	}
	h := c.HTTP
	if h == nil {
		h = defaultHTTP
	}
	resp, err := h.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := readBounded(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("export: reading the answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, answerError(req, resp, body)
	}
	return body, nil
}

// PublicationSettings returns a project's publication settings.
func (c *Client) PublicationSettings(ctx context.Context, project string) (*vmt.PublicationSettings, error) {
	return get[vmt.PublicationSettings](ctx, c, projectPath(project, "/publication"))
}

// SetPublicationSettings replaces a project's publication settings.
func (c *Client) SetPublicationSettings(ctx context.Context, project string, in vmt.PublicationSettings) (*vmt.PublicationSettings, error) {
	return send[vmt.PublicationSettings](ctx, c, http.MethodPut, projectPath(project, "/publication"), in)
}

// CVEForm returns a report's "Request a CVE ID" form filled from the
// record and ch.
func (c *Client) CVEForm(ctx context.Context, reportID int64, ch CVEFormChoices) (*CVEForm, error) {
	return send[CVEForm](ctx, c, http.MethodPost, reportPath(reportID, "/cve-form"), ch)
}

// ImportAdvisories sends a project's earlier published advisories; the
// answer reports on each. See Server.importAdvisories for the limits.
func (c *Client) ImportAdvisories(ctx context.Context, project string, in vmt.ImportRequest) (*vmt.ImportReport, error) {
	return send[vmt.ImportReport](ctx, c, http.MethodPost, projectPath(project, "/advisories/import"), in)
}
