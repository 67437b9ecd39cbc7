package http

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

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

// publicFileSuffix is the URL suffix of a public file export by format.
var publicFileSuffix = map[string]string{"ossa": ".yaml", "kcsa": ".md"}

// AdvisoryFile returns a published document's OSSA YAML or KCSA file
// (format "ossa" or "kcsa"), from its public URL, exactly as served.
func (c *Client) AdvisoryFile(ctx context.Context, id, format string) ([]byte, error) {
	suffix, ok := publicFileSuffix[format]
	if !ok {
		return nil, vmt.Invalid("format", "%q is not ossa or kcsa", format)
	}
	if _, err := vmt.ParseAdvisoryID(id); err != nil {
		return nil, err
	}
	return c.getPublic(ctx, "/advisories/"+id+suffix)
}

// PublishedIDs returns the ids of a project's published and withdrawn
// documents, from the public JSON index, every page of it.
func (c *Client) PublishedIDs(ctx context.Context, project string) ([]string, error) {
	var ids []string
	next := "/advisories.json?" + url.Values{"project": {project}}.Encode()
	base := strings.TrimRight(c.BaseURL, "/")
	for pages := 0; next != ""; pages++ {
		if pages >= maxIndexPages {
			return nil, fmt.Errorf("advisories.json: more than %d pages", maxIndexPages)
		}
		b, err := c.getPublic(ctx, next)
		if err != nil {
			return nil, err
		}
		var page struct {
			Next       string `json:"next"`
			Advisories []struct {
				ID string `json:"id"`
			} `json:"advisories"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			return nil, fmt.Errorf("advisories.json: %w", err)
		}
		for _, a := range page.Advisories {
			ids = append(ids, a.ID)
		}
		// The index links its pages by absolute URL; only this server's
		// are followed.
		if page.Next != "" {
			p, ok := strings.CutPrefix(page.Next, base)
			if !ok || !strings.HasPrefix(p, "/advisories.json?") {
				return nil, fmt.Errorf("advisories.json: the next page %q is not on %s", page.Next, base)
			}
			page.Next = p
		}
		next = page.Next
	}
	return ids, nil
}

// maxIndexPages bounds how many pages of the public index one listing
// reads (AdvisoriesPerPage documents a page: 50 000 documents).
const maxIndexPages = 1000

// getPublic GETs a public (non-API) path of the server, without the token:
// what anyone may read needs none.
func (c *Client) getPublic(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(c.BaseURL, "/")+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "vmt-client")
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
		return nil, fmt.Errorf("%s: reading the answer: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, answerError(req, resp, body)
	}
	return body, nil
}
