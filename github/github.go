// Package github keeps a project's GitHub repository in step with vmt: it
// implements vmt.Forge over GitHub's REST API with google/go-github,
// authenticated as a GitHub App installation (bradleyfalzon/ghinstallation)
// or with a fine-grained token. The credentials are read from the
// references of the project's settings at each call, so that a rotated
// key or token takes effect without a restart.
package github

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	gh "github.com/google/go-github/v88/github"

	"github.com/vmtproject/vmt"
)

// Forge is the GitHub implementation of vmt.Forge.
type Forge struct {
	// Getenv reads env: references; nil is os.Getenv.
	Getenv func(string) string
	// Transport carries the calls; nil is http.DefaultTransport.
	Transport http.RoundTripper
	// Timeout bounds one call; 0 is 30s.
	Timeout time.Duration

	mu   sync.Mutex
	apps map[appKey]*ghinstallation.Transport // installation tokens, kept while they last
}

var _ vmt.Forge = (*Forge)(nil)

// appKey names one installation's transport: a new key or endpoint is a
// new transport, so its token is asked for again.
type appKey struct {
	endpoint     string
	repo         string
	app, install int64
	key          [sha256.Size]byte
}

// maxSecretBytes bounds a secret read from a file.
const maxSecretBytes = 64 << 10

// secret reads a reference: env:NAME or file:/path.
func (g *Forge) secret(ref string) ([]byte, error) {
	switch {
	case strings.HasPrefix(ref, "env:"):
		get := g.Getenv
		if get == nil {
			get = os.Getenv
		}
		if v := get(strings.TrimPrefix(ref, "env:")); v != "" {
			return []byte(v), nil
		}
		return nil, vmt.Errorf(vmt.EINVALID, "the environment variable %s is empty or unset", strings.TrimPrefix(ref, "env:"))
	case strings.HasPrefix(ref, "file:"):
		f, err := os.Open(strings.TrimPrefix(ref, "file:"))
		if err != nil {
			return nil, vmt.Errorf(vmt.EINVALID, "read the forge credential: %v", err)
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, maxSecretBytes+1))
		if err != nil || len(b) > maxSecretBytes {
			return nil, vmt.Errorf(vmt.EINVALID, "read %s: too large or unreadable", ref)
		}
		return []byte(strings.TrimSpace(string(b))), nil
	}
	return nil, vmt.Errorf(vmt.EINVALID, "%q is not env:NAME or file:/path", ref)
}

// endpoint returns f's base URL, ending in "/".
func endpoint(f *vmt.ForgeSettings) string {
	e := f.Endpoint
	if e == "" {
		e = "https://api.github.com/"
	}
	if !strings.HasSuffix(e, "/") {
		e += "/"
	}
	return e
}

func (g *Forge) base() http.RoundTripper {
	if g.Transport != nil {
		return g.Transport
	}
	return http.DefaultTransport
}

// client returns a client for f's repository, authenticated as f says.
func (g *Forge) client(f *vmt.ForgeSettings) (*gh.Client, error) {
	if !f.Enabled {
		return nil, vmt.Errorf(vmt.EINVALID, "the forge of project %d is not enabled", f.ProjectID)
	}
	base := endpoint(f)
	timeout := g.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	opts := []gh.ClientOptionsFunc{gh.WithURLs(&base, nil), gh.WithTimeout(timeout), gh.WithUserAgent("vmt")}
	if f.TokenRef != "" {
		tok, err := g.secret(f.TokenRef)
		if err != nil {
			return nil, err
		}
		opts = append(opts, gh.WithTransport(g.base()), gh.WithAuthToken(string(tok)))
	} else {
		tr, err := g.installation(f, base)
		if err != nil {
			return nil, err
		}
		opts = append(opts, gh.WithTransport(tr))
	}
	c, err := gh.NewClient(opts...)
	if err != nil {
		return nil, vmt.Errorf(vmt.EINVALID, "github client: %v", err)
	}
	return c, nil
}

// installation returns the transport of f's App installation, which asks
// for an installation token with a JWT signed by the App's key and keeps
// it until it nears its end.
func (g *Forge) installation(f *vmt.ForgeSettings, base string) (http.RoundTripper, error) {
	pem, err := g.secret(f.PrivateKeyRef)
	if err != nil {
		return nil, err
	}
	k := appKey{endpoint: base, repo: f.Repo, app: f.AppID, install: f.InstallationID, key: sha256.Sum256(pem)}
	g.mu.Lock()
	defer g.mu.Unlock()
	if tr, ok := g.apps[k]; ok {
		return tr, nil
	}
	tr, err := ghinstallation.New(g.base(), f.AppID, f.InstallationID, pem)
	if err != nil {
		return nil, vmt.Errorf(vmt.EINVALID, "the GitHub App's private key: %v", err)
	}
	tr.BaseURL = strings.TrimSuffix(base, "/")
	// The token is for this repository's issues, pull requests and
	// security advisories only. Options must be set: without them
	// ghinstallation sends a JSON null, which GitHub's description of the
	// call does not allow.
	tr.InstallationTokenOptions = &gh.InstallationTokenOptions{Repositories: []string{f.Repo},
		Permissions: &gh.InstallationPermissions{Issues: gh.Ptr("write"), PullRequests: gh.Ptr("write"),
			RepositoryAdvisories: gh.Ptr("write")}}
	if g.apps == nil {
		g.apps = map[appKey]*ghinstallation.Transport{}
	}
	g.apps[k] = tr
	return tr, nil
}

// classify maps a GitHub error: a refusal no retry cures (4xx but for the
// rate limits) is EINVALID; anything else stays as it is, to be retried.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	var rl *gh.RateLimitError
	var abuse *gh.AbuseRateLimitError
	var er *gh.ErrorResponse
	switch {
	case errors.As(err, &rl), errors.As(err, &abuse):
		return fmt.Errorf("github: %s: %w", op, err)
	case errors.As(err, &er) && er.Response != nil && er.Response.StatusCode >= 400 && er.Response.StatusCode < 500 &&
		er.Response.StatusCode != http.StatusTooManyRequests:
		return vmt.Errorf(vmt.EINVALID, "github: %s: %d %s", op, er.Response.StatusCode, er.Message)
	}
	var ve *vmt.Error
	if errors.As(err, &ve) {
		return err
	}
	return fmt.Errorf("github: %s: %w", op, err)
}

func notFound(err error) bool {
	var er *gh.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound
}

// EnsureLabels looks each label up and creates those missing. A label
// created meanwhile by someone else (422 on create) counts as there.
func (g *Forge) EnsureLabels(ctx context.Context, f *vmt.ForgeSettings, labels []vmt.ForgeLabel) ([]string, error) {
	c, err := g.client(f)
	if err != nil {
		return nil, err
	}
	var created []string
	for _, l := range labels {
		_, _, err := c.Issues.GetLabel(ctx, f.Owner, f.Repo, l.Name)
		if err == nil {
			continue
		}
		if !notFound(err) {
			return created, classify("look up label "+l.Name, err)
		}
		_, resp, err := c.Issues.CreateLabel(ctx, f.Owner, f.Repo, &gh.Label{Name: &l.Name, Color: &l.Color, Description: &l.Description})
		if err != nil && (resp == nil || resp.StatusCode != http.StatusUnprocessableEntity) {
			return created, classify("create label "+l.Name, err)
		}
		if err == nil {
			created = append(created, l.Name)
		}
	}
	return created, nil
}

// IssueLabels returns the names of the labels of issue number.
func (g *Forge) IssueLabels(ctx context.Context, f *vmt.ForgeSettings, number int) ([]string, error) {
	c, err := g.client(f)
	if err != nil {
		return nil, err
	}
	out := []string{}
	opt := &gh.ListOptions{PerPage: 100}
	for {
		ls, resp, err := c.Issues.ListLabelsByIssue(ctx, f.Owner, f.Repo, number, opt)
		if err != nil {
			return nil, classify("list the labels of issue "+strconv.Itoa(number), err)
		}
		for _, l := range ls {
			out = append(out, l.GetName())
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// SetIssueLabels replaces the labels of issue number.
func (g *Forge) SetIssueLabels(ctx context.Context, f *vmt.ForgeSettings, number int, labels []string) error {
	c, err := g.client(f)
	if err != nil {
		return err
	}
	// Not Issues.ReplaceLabelsForIssue: it sends a bare array, which
	// GitHub's description no longer allows; the object form is the one
	// it recommends.
	u := "repos/" + url.PathEscape(f.Owner) + "/" + url.PathEscape(f.Repo) + "/issues/" + strconv.Itoa(number) + "/labels"
	req, err := c.NewRequest(ctx, http.MethodPut, u, struct {
		Labels []string `json:"labels"`
	}{labels})
	if err != nil {
		return classify("set the labels of issue "+strconv.Itoa(number), err)
	}
	_, err = c.Do(req, nil)
	return classify("set the labels of issue "+strconv.Itoa(number), err)
}

// commentMarker is the hidden line by which a comment is found again.
func commentMarker(marker string) string { return "<!-- vmt:" + marker + " -->" }

// Comment posts body on issue number unless a comment carries marker.
func (g *Forge) Comment(ctx context.Context, f *vmt.ForgeSettings, number int, marker, body string) (bool, error) {
	c, err := g.client(f)
	if err != nil {
		return false, err
	}
	m := commentMarker(marker)
	opt := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	for {
		cs, resp, err := c.Issues.ListComments(ctx, f.Owner, f.Repo, number, opt)
		if err != nil {
			return false, classify("list the comments of issue "+strconv.Itoa(number), err)
		}
		for _, x := range cs {
			if strings.Contains(x.GetBody(), m) {
				return false, nil
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	text := body + "\n\n" + m
	_, _, err = c.Issues.CreateComment(ctx, f.Owner, f.Repo, number, &gh.IssueComment{Body: &text})
	return err == nil, classify("comment on issue "+strconv.Itoa(number), err)
}

// PushCredential returns, for a remote that is f's repository on its
// GitHub (https://github.com/OWNER/REPO, .git or not, or the same on a
// GitHub Enterprise Server), what git sends to push there: the
// fine-grained token, or a token of the App's installation asked for now
// with Contents write on that repository alone (an hour's life).
func (g *Forge) PushCredential(ctx context.Context, f *vmt.ForgeSettings, remote string) (string, string, bool, error) {
	if !f.Enabled || !g.isRepository(f, remote) {
		return "", "", false, nil
	}
	if f.TokenRef != "" {
		tok, err := g.secret(f.TokenRef)
		if err != nil {
			return "", "", false, err
		}
		return "x-access-token", string(tok), true, nil
	}
	pem, err := g.secret(f.PrivateKeyRef)
	if err != nil {
		return "", "", false, err
	}
	tr, err := ghinstallation.New(g.base(), f.AppID, f.InstallationID, pem)
	if err != nil {
		return "", "", false, vmt.Errorf(vmt.EINVALID, "the GitHub App's private key: %v", err)
	}
	tr.BaseURL = strings.TrimSuffix(endpoint(f), "/")
	tr.InstallationTokenOptions = &gh.InstallationTokenOptions{Repositories: []string{f.Repo},
		Permissions: &gh.InstallationPermissions{Contents: gh.Ptr("write")}}
	tok, err := tr.Token(ctx)
	if err != nil {
		return "", "", false, classify("installation token for a push", err)
	}
	return "x-access-token", tok, true, nil
}

// isRepository says whether remote is the https URL of f's repository on
// its GitHub.
func (g *Forge) isRepository(f *vmt.ForgeSettings, remote string) bool {
	u, err := url.Parse(remote)
	if err != nil || u.Scheme != "https" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return false
	}
	web, err := url.Parse(g.webBase(f))
	if err != nil || !strings.EqualFold(u.Host, web.Host) {
		return false
	}
	path := strings.TrimSuffix(strings.TrimPrefix(u.Path, strings.TrimSuffix(web.Path, "/")), ".git")
	return strings.EqualFold(path, "/"+f.Owner+"/"+f.Repo)
}

// webBase is the web address of f's GitHub, with a final slash.
func (g *Forge) webBase(f *vmt.ForgeSettings) string {
	if e := endpoint(f); e != "https://api.github.com/" {
		return strings.TrimSuffix(e, "api/v3/")
	}
	return "https://github.com/"
}

// IssueURL returns the web link of issue number: on github.com, or on
// the GitHub Enterprise Server the endpoint names (https://host/api/v3/).
func (g *Forge) IssueURL(f *vmt.ForgeSettings, number int) string {
	return g.webBase(f) + f.Owner + "/" + f.Repo + "/issues/" + strconv.Itoa(number)
}

// VerifyWebhook checks X-Hub-Signature-256 (sha256=HMAC of the body with
// the webhook secret), in constant time.
func (g *Forge) VerifyWebhook(f *vmt.ForgeSettings, signature string, body []byte) error {
	if f.WebhookSecretRef == "" {
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "this project has no webhook secret: deliveries are refused")
	}
	secret, err := g.secret(f.WebhookSecretRef)
	if err != nil {
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "the webhook secret cannot be read")
	}
	if !strings.HasPrefix(signature, "sha256=") {
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "a delivery must be signed with X-Hub-Signature-256")
	}
	if gh.ValidateSignature(signature, body, secret) != nil {
		return vmt.Errorf(vmt.EUNAUTHENTICATED, "the delivery's signature does not match")
	}
	return nil
}
