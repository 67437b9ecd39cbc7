// Package cveservices is a client of the CVE Program's CVE Services API
// (its published OpenAPI description, CVEProject/cve-services
// api-docs/openapi.json), for a project that is its own CNA: it reserves
// CVE ids and publishes CNA containers written by package cve5. It
// implements vmt.CVEServices.
//
// Every call authenticates with the CVE-API-ORG, CVE-API-USER and
// CVE-API-KEY headers. The key is read at each call from where the
// project's settings point (an environment variable or a file); it is never
// kept, logged or put in an error.
package cveservices

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/cve5"
	"github.com/vmtproject/vmt/netguard"
)

// Client calls CVE Services. The zero value works: an HTTP client with a
// 30 s timeout that dials only public addresses, and the key read with
// os.Getenv or os.ReadFile.
//
// The endpoint is in a project's CNA settings, which its VMT sets, not
// the site's administrator: like a chat webhook's URL it could point the
// server at an internal service (and the service's answers are shown to
// the VMT), so the same dial-time guard applies (netguard), unless
// AllowPrivate (tests against a local CVE Services, vmt serve
// --cve-services-allow-private).
type Client struct {
	HTTP         *http.Client // nil: netguard's client; set, used as is
	AllowPrivate bool
	Getenv       func(string) string
	ReadFile     func(string) ([]byte, error)

	once    sync.Once
	guarded *http.Client // netguard's client, made at the first call
}

var _ vmt.CVEServices = (*Client)(nil)

// The states of a CVE id.
const (
	StateReserved  = "RESERVED"
	StatePublished = "PUBLISHED"
	StateRejected  = "REJECTED"
)

// maxAnswer bounds what is read of an answer: a record is at most a few
// hundred KiB.
const maxAnswer = 4 << 20

// CVEID is an entry of the cve_ids list of a reservation, and the answer
// of GET /cve-id/{id}.
type CVEID struct {
	CVEID       string `json:"cve_id"`
	CVEYear     string `json:"cve_year"`
	OwningCNA   string `json:"owning_cna"`
	State       string `json:"state"`
	RequestedBy struct {
		CNA  string `json:"cna"`
		User string `json:"user"`
	} `json:"requested_by"`
	Reserved string `json:"reserved"`
}

// Reserve reserves one CVE id of year for the CNA (POST
// /cve-id?amount=1&cve_year=YEAR&short_name=ORG) and returns it.
func (c *Client) Reserve(ctx context.Context, s *vmt.CNASettings, year int) (string, error) {
	q := url.Values{"amount": {"1"}, "cve_year": {strconv.Itoa(year)}, "short_name": {s.ShortName}}
	var out struct {
		CVEIDs []CVEID `json:"cve_ids"`
	}
	if err := c.call(ctx, s, http.MethodPost, "/cve-id", q, nil, &out); err != nil {
		return "", err
	}
	if len(out.CVEIDs) != 1 || !vmt.ValidCVE(out.CVEIDs[0].CVEID) {
		return "", vmt.Errorf(vmt.ECONFLICT, "CVE Services answered the reservation with %d ids, want one", len(out.CVEIDs))
	}
	return out.CVEIDs[0].CVEID, nil
}

// ID returns what CVE Services knows of a CVE id (GET /cve-id/{id}).
func (c *Client) ID(ctx context.Context, s *vmt.CNASettings, id string) (*CVEID, error) {
	var out CVEID
	if err := c.call(ctx, s, http.MethodGet, "/cve-id/"+url.PathEscape(id), nil, nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Container returns the CNA container of CVE id written from a published
// advisory, as it is sent: what cve5 writes for the record, which the
// service completes with its own metadata.
func Container(s *vmt.CNASettings, id string, a *vmt.Advisory) (*cve5.CNA, error) {
	rec, err := cve5.FromAdvisory(a, id, cve5.Options{OrgID: s.OrgID, ShortName: s.ShortName})
	if err != nil {
		return nil, err
	}
	return &rec.Containers.CNA, nil
}

// Check writes the CNA container of CVE id from a published advisory
// without sending it, so that a refusal comes before the work is queued.
func (c *Client) Check(s *vmt.CNASettings, id string, a *vmt.Advisory) error {
	_, err := Container(s, id, a)
	return err
}

// Publish publishes the CNA container of CVE id written from a published
// advisory: a reserved id gets its record (POST /cve/{id}/cna), a
// published one has it replaced (PUT), and a rejected id is refused here
// rather than brought back to life by an update.
func (c *Client) Publish(ctx context.Context, s *vmt.CNASettings, id string, a *vmt.Advisory) (bool, error) {
	cna, err := Container(s, id, a)
	if err != nil {
		return false, err
	}
	st, err := c.ID(ctx, s, id)
	if err != nil {
		return false, err
	}
	method := http.MethodPost
	switch st.State {
	case StateReserved:
	case StatePublished:
		method = http.MethodPut
	default:
		return false, vmt.Errorf(vmt.ECONFLICT, "%s is %s at CVE Services; it is not published from here", id, st.State)
	}
	body := struct {
		CNAContainer *cve5.CNA `json:"cnaContainer"`
	}{cna}
	var out struct {
		Message string `json:"message"`
	}
	if err := c.call(ctx, s, method, "/cve/"+url.PathEscape(id)+"/cna", nil, body, &out); err != nil {
		return false, err
	}
	return method == http.MethodPut, nil
}

// call makes one request and decodes a 2xx answer into out; any other
// answer is an error carrying the service's own message.
func (c *Client) call(ctx context.Context, s *vmt.CNASettings, method, path string, q url.Values, in, out any) error {
	key, err := c.key(s.APIKeyRef)
	if err != nil {
		return err
	}
	u := strings.TrimRight(s.Endpoint, "/") + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("cveservices: %w", err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return vmt.Invalid("endpoint", "%v", err)
	}
	req.Header.Set("CVE-API-ORG", s.ShortName)
	req.Header.Set("CVE-API-USER", s.User)
	req.Header.Set("CVE-API-KEY", key)
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.client().Do(req)
	if errors.Is(err, netguard.ErrRefused) {
		return vmt.Invalid("endpoint", "CVE Services' endpoint was refused (%s %s): %v; it must be a public address (vmt serve --cve-services-allow-private allows others)", method, path, netguard.WithoutURL(err))
	}
	if err != nil {
		// The URL is the endpoint's; the key is in a header, never in it.
		return vmt.Errorf(vmt.ECONFLICT, "CVE Services did not answer (%s %s): %v; try again later", method, path, netguard.WithoutURL(err))
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return vmt.Errorf(vmt.ECONFLICT, "CVE Services' answer to %s %s could not be read: %v", method, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return refusal(method, path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return vmt.Errorf(vmt.ECONFLICT, "CVE Services answered %s %s with something other than its JSON: %v", method, path, err)
	}
	return nil
}

func (c *Client) client() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	// One client for every call: its transport keeps the connections.
	c.once.Do(func() { c.guarded = netguard.Client(30*time.Second, c.AllowPrivate) })
	return c.guarded
}

// key reads the API key from its reference: env:NAME or file:/path.
func (c *Client) key(ref string) (string, error) {
	var k string
	switch {
	case strings.HasPrefix(ref, "env:"):
		getenv := c.Getenv
		if getenv == nil {
			getenv = os.Getenv
		}
		k = getenv(strings.TrimPrefix(ref, "env:"))
	case strings.HasPrefix(ref, "file:"):
		read := c.ReadFile
		if read == nil {
			read = os.ReadFile
		}
		b, err := read(strings.TrimPrefix(ref, "file:"))
		if err != nil {
			// The path is the project's setting; the error says only
			// why the file could not be read.
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return "", vmt.Invalid("api_key_ref", "the key file cannot be read: %v", err)
		}
		k = string(b)
	default:
		return "", vmt.Invalid("api_key_ref", "must be env:NAME or file:/path")
	}
	k = strings.TrimSpace(k)
	if k == "" || strings.ContainsAny(k, "\r\n") {
		return "", vmt.Invalid("api_key_ref", "%s holds no API key", ref)
	}
	return k, nil
}

// ErrorBody is the error answer of CVE Services (schemas/errors/generic.json
// and bad-request.json): a name, a description and, for bad input, the
// parameters at fault.
type ErrorBody struct {
	Error   string          `json:"error"`
	Message string          `json:"message"`
	Details json.RawMessage `json:"details,omitempty"`
}

// refusal turns an error answer into a domain error with the service's
// message: a 4xx is the request's fault (EINVALID, field cve_services), a
// 5xx or a rate limit (429) the service's (ECONFLICT: try again).
func refusal(method, path string, status int, b []byte) error {
	var eb ErrorBody
	msg := http.StatusText(status)
	if json.Unmarshal(b, &eb) == nil && eb.Message != "" {
		msg = eb.Error + ": " + eb.Message + badParams(eb.Details)
	}
	if status >= 500 || status == http.StatusTooManyRequests {
		return vmt.Errorf(vmt.ECONFLICT, "CVE Services failed on %s %s (HTTP %d): %s", method, path, status, msg)
	}
	return vmt.Invalid("cve_services", "CVE Services refused %s %s (HTTP %d): %s", method, path, status, msg)
}

// badParams lists the parameters a bad-request answer names.
func badParams(details json.RawMessage) string {
	var ds []struct {
		Msg   string `json:"msg"`
		Param string `json:"param"`
	}
	if len(details) == 0 || json.Unmarshal(details, &ds) != nil || len(ds) == 0 {
		return ""
	}
	parts := make([]string, 0, len(ds))
	for _, d := range ds {
		parts = append(parts, d.Param+": "+d.Msg)
	}
	return " (" + strings.Join(parts, "; ") + ")"
}
