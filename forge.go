package vmt

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
)

// The forge is where the project's code lives (GitHub): vmt keeps it in
// step with the process (issue 16). Item 1 is here: the status labels on
// the repository and on a report's issue, and a maintainer's label change
// coming back by webhook; item 2, the issue and pull requests opened at
// the disclosure hour, is in forge_hour.go (a token needs the Issues and
// Pull requests permissions, write). Every call that changes something on the forge
// is an outbox item (KindForge), and no call at all is made for a report
// that is not public: an embargoed report has no issue on the forge.

// ForgeSettings say which repository on GitHub is a project's and how vmt
// reaches it. The credentials are never stored: the references say where
// the server reads them (env:NAME or file:/path), as for the CNA's key.
// vmt authenticates as a GitHub App installation (AppID, InstallationID,
// PrivateKeyRef) or, the simple alternative, with a fine-grained token
// (TokenRef); exactly one of the two is set.
type ForgeSettings struct {
	ProjectID      int64  `json:"project_id"`
	Enabled        bool   `json:"enabled"`
	Owner          string `json:"owner"`
	Repo           string `json:"repo"`
	AppID          int64  `json:"app_id,omitempty"`
	InstallationID int64  `json:"installation_id,omitempty"`
	PrivateKeyRef  string `json:"private_key_ref,omitempty"`
	TokenRef       string `json:"token_ref,omitempty"`
	// WebhookSecretRef is where the secret of the repository's webhook
	// is read; "" refuses every delivery.
	WebhookSecretRef string `json:"webhook_secret_ref,omitempty"`
	// Endpoint is the REST API's base URL: https://api.github.com/, or
	// a GitHub Enterprise Server's (https://host/api/v3/).
	Endpoint string `json:"endpoint"`
}

var ghNameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}$`)

// Validate checks the settings. Fields given while disabled are checked
// all the same; Enabled needs the repository, one way to authenticate
// and the endpoint.
func (f *ForgeSettings) Validate() error {
	checks := []struct {
		field, value string
		ok           func(string) bool
		msg          string
	}{
		{"owner", f.Owner, ghNameRE.MatchString, "is not a GitHub user or organisation name"},
		{"repo", f.Repo, func(s string) bool { return ghNameRE.MatchString(s) && s != "." && s != ".." }, "is not a repository name"},
		{"private_key_ref", f.PrivateKeyRef, validSecretRef, "must be env:NAME or file:/absolute/path, never the key itself"},
		{"token_ref", f.TokenRef, validSecretRef, "must be env:NAME or file:/absolute/path, never the token itself"},
		{"webhook_secret_ref", f.WebhookSecretRef, validSecretRef, "must be env:NAME or file:/absolute/path, never the secret itself"},
	}
	for _, c := range checks {
		if (c.value != "" || f.Enabled && (c.field == "owner" || c.field == "repo")) && !c.ok(c.value) {
			return Invalid(c.field, "%q %s", c.value, c.msg)
		}
	}
	if err := f.validAuth(); err != nil {
		return err
	}
	if f.Endpoint != "" || f.Enabled {
		return validEndpoint(f.Endpoint)
	}
	return nil
}

func (f *ForgeSettings) validAuth() error {
	app := f.AppID != 0 || f.InstallationID != 0 || f.PrivateKeyRef != ""
	switch {
	case f.AppID < 0 || f.InstallationID < 0:
		return Invalid("app_id", "the app and installation ids are positive numbers")
	case app && f.TokenRef != "":
		return Invalid("token_ref", "authenticate as a GitHub App installation or with a token, not both")
	case app && (f.AppID == 0 || f.InstallationID == 0 || f.PrivateKeyRef == ""):
		return Invalid("app_id", "a GitHub App needs its app id, the installation id and the private key's reference")
	case f.Enabled && !app && f.TokenRef == "":
		return Invalid("token_ref", "say how vmt authenticates: a GitHub App installation or a token")
	}
	return nil
}

func validSecretRef(ref string) bool { return keyEnvRE.MatchString(ref) || validKeyFile(ref) }

// Repository is owner/repo.
func (f *ForgeSettings) Repository() string { return f.Owner + "/" + f.Repo }

// ForgeLabel is a label of the repository.
type ForgeLabel struct {
	Name        string `json:"name"`
	Color       string `json:"color"` // six hex digits, no '#'
	Description string `json:"description"`
}

// statusColors are the colours of the status labels, in the order of
// Statuses: blue while open questions remain, green as the fix advances,
// grey for the closed without a document.
var statusColors = []string{"ededed", "fbca04", "d93f0b", "e99695", "1d76db", "0e8a16", "5319e7", "c5def5", "bfbfbf", "000000"}

// StatusLabels are the labels the process sets, one per status, named as
// VMT.md names the statuses ("Fix committed", "Won't Fix").
func StatusLabels() []ForgeLabel {
	out := make([]ForgeLabel, len(Statuses))
	for i, s := range Statuses {
		out[i] = ForgeLabel{Name: s.Label, Color: statusColors[i], Description: "vmt: " + s.Meaning}
	}
	return out
}

// StatusOfLabel returns the status a label names. Names are compared as
// GitHub compares them, without regard to case.
func StatusOfLabel(name string) (Status, bool) {
	for _, s := range Statuses {
		if strings.EqualFold(s.Label, name) {
			return s.Status, true
		}
	}
	return "", false
}

// WithStatusLabel returns labels with st's label as the only status
// label: the labels that name no status are kept, in their order.
func WithStatusLabel(labels []string, st Status) []string {
	out := []string{}
	for _, l := range labels {
		if _, ok := StatusOfLabel(l); !ok {
			out = append(out, l)
		}
	}
	return append(out, st.Label())
}

// SameLabels reports whether a and b hold the same labels, in any order
// and case.
func SameLabels(a, b []string) bool {
	norm := func(xs []string) []string {
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = strings.ToLower(x)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(norm(a), norm(b))
}

// ForgeIssue is the public issue on the forge that a report is followed
// in. Only a public report has one.
type ForgeIssue struct {
	ReportID  int64     `json:"report_id"`
	ProjectID int64     `json:"project_id"`
	Number    int       `json:"number"`
	URL       string    `json:"url"`
	LinkedAt  time.Time `json:"linked_at"`
}

// Forge is what vmt asks of a project's repository on the forge. Package
// github implements it; it reads the credentials the settings reference at
// each call. Each method that changes something looks first, so that a
// retried outbox item changes nothing more. A refusal by the forge that
// no retry cures (a repository or issue not found, a request refused) is
// EINVALID; any other error is worth a retry.
type Forge interface {
	// EnsureLabels looks up each label on the repository and creates,
	// with its colour and description, those missing; it returns the
	// names it created.
	EnsureLabels(ctx context.Context, f *ForgeSettings, labels []ForgeLabel) ([]string, error)
	// IssueLabels returns the names of the labels issue number carries.
	IssueLabels(ctx context.Context, f *ForgeSettings, number int) ([]string, error)
	// SetIssueLabels replaces the labels of issue number with labels.
	SetIssueLabels(ctx context.Context, f *ForgeSettings, number int, labels []string) error
	// Comment posts body on issue number unless a comment carrying
	// marker is there already; it reports whether it posted.
	Comment(ctx context.Context, f *ForgeSettings, number int, marker, body string) (bool, error)
	// IssueURL returns the web link of issue number, without a call.
	IssueURL(f *ForgeSettings, number int) string
	// VerifyWebhook checks a delivery's X-Hub-Signature-256 against the
	// webhook secret of f: EUNAUTHENTICATED if it does not match or f has
	// no secret.
	VerifyWebhook(f *ForgeSettings, signature string, body []byte) error

	// The disclosure hour (forge_hour.go).
	ForgeHour
}

// KindForge is an outbox item holding a ForgeRequest: a call that
// changes something on the project's repository.
const KindForge = "forge"

// The operations of a ForgeRequest.
const (
	// ForgeEnsureLabels creates the status labels missing on the
	// repository.
	ForgeEnsureLabels = "ensure-labels"
	// ForgeSyncLabel makes the report's issue carry the report's status
	// label as it is at delivery (not when the item was written), and no
	// other status label: items delivered out of order still end on the
	// report's status.
	ForgeSyncLabel = "sync-label"
	// ForgeComment posts Body on the report's issue once.
	ForgeComment = "comment"
	// ForgeOpenIssue opens the public issue of a disclosed report, and
	// ForgeOpenPullRequest the pull request of its fixes pushed for
	// Branch (forge_hour.go).
	ForgeOpenIssue       = "open-issue"
	ForgeOpenPullRequest = "open-pull-request"
)

// ForgeRequest is the payload of a forge item.
type ForgeRequest struct {
	Op        string `json:"op"`
	ProjectID int64  `json:"project_id"`
	ReportID  int64  `json:"report_id,omitempty"`
	Body      string `json:"body,omitempty"`
	// Branch and Head are the base and head branches of a pull request.
	Branch string `json:"branch,omitempty"`
	Head   string `json:"head,omitempty"`
	// State is the state ForgeAdvisoryState moves the advisory to;
	// AdvisoryID the record id of the advisory ForgePublishAdvisory
	// publishes (forge_advisory.go).
	State      string `json:"state,omitempty"`
	AdvisoryID int64  `json:"advisory_record_id,omitempty"`
	// Gone are logins ForgeAdvisoryCollaborators takes off unless a
	// subscriber has them: an account's logins before it changed them.
	Gone []string `json:"gone,omitempty"`
}

// ForgeDelivery is a webhook delivery from the forge, as its handler reads
// it: the headers that matter and the body, unparsed.
type ForgeDelivery struct {
	ID        string // X-GitHub-Delivery
	Event     string // X-GitHub-Event
	Signature string // X-Hub-Signature-256
	Body      []byte
}

// ForgeWebhookResult says what a delivery did.
type ForgeWebhookResult struct {
	// Outcome is "ignored" (not an event vmt follows, or for no report's
	// issue), "duplicate" (delivered before), "applied" (the report moved
	// to the label's status) or "refused" (put back, with a comment).
	Outcome  string `json:"outcome"`
	ReportID int64  `json:"report_id,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// MaxForgeDeliveryBytes bounds a webhook delivery's body.
const MaxForgeDeliveryBytes = 1 << 20
