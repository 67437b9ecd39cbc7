package vmt

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// CNASettings name the CVE Numbering Authority that publishes a project's
// CVE records (CVE JSON 5 exports name it) and, when Enabled, how vmt
// reaches the CVE Services API on its behalf. The API key itself is never stored:
// APIKeyRef says where the server reads it when it needs it.
type CNASettings struct {
	ProjectID int64  `json:"project_id"`
	Enabled   bool   `json:"enabled"`
	ShortName string `json:"short_name"` // the CNA's short name: CVE-API-ORG
	OrgID     string `json:"org_id"`     // the CNA's organisation UUID, which its records name
	User      string `json:"user"`       // the account's user name: CVE-API-USER
	// APIKeyRef is "env:NAME" (an environment variable of the server) or
	// "file:/path" (a file it reads): where CVE-API-KEY comes from.
	APIKeyRef string `json:"api_key_ref"`
	// Endpoint is the API's base URL, e.g. https://cveawg.mitre.org/api.
	Endpoint string `json:"endpoint"`
}

var (
	cnaShortNameRE   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{1,31}$`)
	keyEnvRE         = regexp.MustCompile(`^env:[A-Z_][A-Z0-9_]{0,127}$`)
	cveServicesOrgRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// Validate checks the settings. The CNA's short name and organisation id
// may be set without Enabled: they name the CNA in CVE JSON 5 exports, also
// for a project whose records a CNA publishes that vmt does not run. Enabled
// (vmt talks to CVE Services itself) needs them all; fields given while
// disabled are checked all the same.
func (c *CNASettings) Validate() error {
	if c.ShortName != "" || c.Enabled {
		if !cnaShortNameRE.MatchString(c.ShortName) {
			return Invalid("short_name", "%q is not a CNA short name (letters, digits, '_', '.', '-')", c.ShortName)
		}
	}
	if c.OrgID != "" || c.Enabled {
		if !cveServicesOrgRE.MatchString(c.OrgID) {
			return Invalid("org_id", "%q is not an organisation UUID", c.OrgID)
		}
	}
	if c.User != "" || c.Enabled {
		if err := CheckText("user", c.User, 256, true); err != nil {
			return err
		}
		if strings.ContainsAny(c.User, " \r\n\t") {
			return Invalid("user", "must be one word")
		}
	}
	if c.APIKeyRef != "" || c.Enabled {
		if !keyEnvRE.MatchString(c.APIKeyRef) && !validKeyFile(c.APIKeyRef) {
			return Invalid("api_key_ref", "must be env:NAME or file:/absolute/path, never the key itself")
		}
	}
	if c.Endpoint != "" || c.Enabled {
		return validEndpoint(c.Endpoint)
	}
	return nil
}

func validKeyFile(ref string) bool {
	p, ok := strings.CutPrefix(ref, "file:")
	return ok && strings.HasPrefix(p, "/") && !ContainsDotDot(p) && len(p) < 4096 && checkControl("api_key_ref", p) == nil
}

// validEndpoint accepts an https URL, or http to a loopback address (a
// local test server): the API key must not cross a network in clear.
func validEndpoint(s string) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return Invalid("endpoint", "%q is not a base URL (https://host/api)", s)
	}
	switch h := u.Hostname(); {
	case u.Scheme == "https":
	case u.Scheme == "http" && (h == "127.0.0.1" || h == "::1" || h == "localhost"):
	default:
		return Invalid("endpoint", "must be https (http only to a loopback address)")
	}
	return nil
}

// CVEServices is the CVE Program's API as a CNA uses it. Package
// cveservices implements it; it reads the API key from c.APIKeyRef at each
// call. A refusal by the service is an *Error carrying the service's own
// message.
type CVEServices interface {
	// Reserve reserves one CVE id of year for the CNA and returns it.
	Reserve(ctx context.Context, c *CNASettings, year int) (string, error)
	// Publish publishes the CNA container of CVE id, written from a
	// published advisory, and says whether it replaced a record published
	// before.
	Publish(ctx context.Context, c *CNASettings, id string, a *Advisory) (updated bool, err error)
	// Check writes the CNA container of CVE id without sending it: what
	// Publish would refuse before calling the service.
	Check(c *CNASettings, id string, a *Advisory) error
}

// KindCVEPublish is an outbox item holding a CVEPublishRequest: the CVE
// record of a published advisory, for the worker to publish through CVE
// Services.
const KindCVEPublish = "cve-publish"

// CVEPublishRequest names the record to publish: the advisory, the CVE and
// the revision it was asked for (a later revision is a new item).
type CVEPublishRequest struct {
	AdvisoryID int64  `json:"advisory_record_id"`
	CVE        string `json:"cve"`
	Revision   int    `json:"revision"`
}

// CVEPublication says what was queued: the item the worker delivers.
type CVEPublication struct {
	AdvisoryID string    `json:"advisory_id"`
	CVE        string    `json:"cve"`
	Revision   int       `json:"revision"`
	OutboxKey  string    `json:"outbox_key"`
	QueuedAt   time.Time `json:"queued_at"`
}
