package github

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	gh "github.com/google/go-github/v88/github"

	"github.com/vmtproject/vmt"
)

// The repository's security advisories (vmt.ForgeAdvisories). go-github
// has no call that writes a repository advisory, so the requests are
// written here, each with exactly the fields GitHub's description allows.

var _ vmt.ForgeAdvisories = (*Forge)(nil)

// advisory is a repository advisory as GitHub answers it, the parts vmt
// reads.
type advisory struct {
	GHSA        string  `json:"ghsa_id"`
	CVE         *string `json:"cve_id"`
	HTMLURL     string  `json:"html_url"`
	Summary     string  `json:"summary"`
	Description *string `json:"description"`
	Severity    *string `json:"severity"`
	State       string  `json:"state"`
	Author      *struct {
		Login string  `json:"login"`
		ID    int64   `json:"id"`
		Email *string `json:"email"`
	} `json:"author"`
	Vulnerabilities []vulnerability `json:"vulnerabilities"`
	CVSS            *struct {
		Vector *string `json:"vector_string"`
	} `json:"cvss"`
	CWEIDs        []string          `json:"cwe_ids"`
	Credits       []vmt.ForgeCredit `json:"credits"`
	Collaborators []struct {
		Login string `json:"login"`
	} `json:"collaborating_users"`
	Fork *repository `json:"private_fork"`
}

// repository is a repository as GitHub answers it, the parts vmt reads.
type repository struct {
	Name    string `json:"name"`
	HTMLURL string `json:"html_url"`
	Owner   struct {
		Login string `json:"login"`
	} `json:"owner"`
}

func (r *repository) fork() *vmt.ForgeFork {
	if r == nil {
		return nil
	}
	return &vmt.ForgeFork{Owner: r.Owner.Login, Repo: r.Name, URL: r.HTMLURL, CloneURL: r.HTMLURL + ".git"}
}

type vulnPackage struct {
	Ecosystem string  `json:"ecosystem"`
	Name      *string `json:"name"`
}

type vulnerability struct {
	Package         *vulnPackage `json:"package"`
	VulnerableRange *string      `json:"vulnerable_version_range"`
	Patched         *string      `json:"patched_versions"`
}

// write is the body of a create or an update: the fields vmt fills.
type write struct {
	Summary         string            `json:"summary"`
	Description     string            `json:"description"`
	CVE             *string           `json:"cve_id"`
	Vulnerabilities []vulnerability   `json:"vulnerabilities"`
	CWEIDs          []string          `json:"cwe_ids"`
	Credits         []vmt.ForgeCredit `json:"credits"`
	Severity        *string           `json:"severity,omitempty"`
	CVSS            *string           `json:"cvss_vector_string,omitempty"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (a *advisory) forge() *vmt.ForgeAdvisory {
	out := &vmt.ForgeAdvisory{GHSA: a.GHSA, State: a.State, URL: a.HTMLURL, Summary: a.Summary,
		Description: str(a.Description), Severity: str(a.Severity), CVE: str(a.CVE), CWEs: slices.Clone(a.CWEIDs),
		Credits: slices.Clone(a.Credits)}
	if a.CVSS != nil {
		out.CVSS = str(a.CVSS.Vector)
	}
	if a.Author != nil {
		out.Reporter, out.ReporterID, out.ReporterEmail = a.Author.Login, a.Author.ID, str(a.Author.Email)
	}
	out.Fork = a.Fork.fork()
	for _, u := range a.Collaborators {
		out.Collaborators = append(out.Collaborators, u.Login)
	}
	for _, v := range a.Vulnerabilities {
		p := vmt.ForgePackage{VulnerableRange: str(v.VulnerableRange), Patched: str(v.Patched)}
		if v.Package != nil {
			p.Ecosystem, p.Name = v.Package.Ecosystem, str(v.Package.Name)
		}
		out.Packages = append(out.Packages, p)
	}
	return out
}

func (g *Forge) advisoriesPath(f *vmt.ForgeSettings) string {
	return "repos/" + url.PathEscape(f.Owner) + "/" + url.PathEscape(f.Repo) + "/security-advisories"
}

// list returns the repository's advisories, of state if not "".
func (g *Forge) list(ctx context.Context, c *gh.Client, f *vmt.ForgeSettings, state string) ([]advisory, error) {
	var out []advisory
	q := url.Values{"per_page": {"100"}}
	if state != "" {
		q.Set("state", state)
	}
	for {
		req, err := c.NewRequest(ctx, http.MethodGet, g.advisoriesPath(f)+"?"+q.Encode(), nil)
		if err != nil {
			return nil, classify("list advisories", err)
		}
		var page []advisory
		resp, err := c.Do(req, &page)
		if err != nil {
			return nil, classify("list advisories", err)
		}
		out = append(out, page...)
		if resp.After == "" {
			return out, nil
		}
		q.Set("after", resp.After)
	}
}

func (g *Forge) get(ctx context.Context, c *gh.Client, f *vmt.ForgeSettings, ghsa string) (*advisory, error) {
	req, err := c.NewRequest(ctx, http.MethodGet, g.advisoriesPath(f)+"/"+url.PathEscape(ghsa), nil)
	if err != nil {
		return nil, classify("get advisory "+ghsa, err)
	}
	a := &advisory{}
	if _, err := c.Do(req, a); err != nil {
		return nil, classify("get advisory "+ghsa, err)
	}
	return a, nil
}

// TriageAdvisories returns the advisories in triage.
func (g *Forge) TriageAdvisories(ctx context.Context, f *vmt.ForgeSettings) ([]vmt.ForgeAdvisory, error) {
	c, err := g.client(f)
	if err != nil {
		return nil, err
	}
	as, err := g.list(ctx, c, f, vmt.GHSATriage)
	if err != nil {
		return nil, err
	}
	out := []vmt.ForgeAdvisory{}
	for _, a := range as {
		if a.State == vmt.GHSATriage {
			out = append(out, *a.forge())
		}
	}
	return out, nil
}

// Advisories returns every advisory of the repository.
func (g *Forge) Advisories(ctx context.Context, f *vmt.ForgeSettings) ([]vmt.ForgeAdvisory, error) {
	c, err := g.client(f)
	if err != nil {
		return nil, err
	}
	as, err := g.list(ctx, c, f, "")
	if err != nil {
		return nil, err
	}
	out := make([]vmt.ForgeAdvisory, len(as))
	for i := range as {
		out[i] = *as[i].forge()
	}
	return out, nil
}

// Advisory returns one advisory.
func (g *Forge) Advisory(ctx context.Context, f *vmt.ForgeSettings, ghsa string) (*vmt.ForgeAdvisory, error) {
	c, err := g.client(f)
	if err != nil {
		return nil, err
	}
	a, err := g.get(ctx, c, f, ghsa)
	if err != nil {
		return nil, err
	}
	return a.forge(), nil
}

// SetAdvisoryState moves an advisory to state unless it is there.
func (g *Forge) SetAdvisoryState(ctx context.Context, f *vmt.ForgeSettings, ghsa, state string) (bool, error) {
	c, err := g.client(f)
	if err != nil {
		return false, err
	}
	a, err := g.get(ctx, c, f, ghsa)
	if err != nil {
		return false, err
	}
	if a.State == state {
		return false, nil
	}
	req, err := c.NewRequest(ctx, http.MethodPatch, g.advisoriesPath(f)+"/"+url.PathEscape(ghsa), struct {
		State string `json:"state"`
	}{state})
	if err != nil {
		return false, classify("set the state of "+ghsa, err)
	}
	_, err = c.Do(req, nil)
	return err == nil, classify("set the state of "+ghsa+" to "+state, err)
}

// markerOf is the hidden line of an advisory's description by which vmt
// finds it again.
func markerOf(marker string) string { return commentMarker(marker) }

// FindAdvisory returns the id of the advisory whose description carries
// marker, in any state.
func (g *Forge) FindAdvisory(ctx context.Context, f *vmt.ForgeSettings, marker string) (string, error) {
	c, err := g.client(f)
	if err != nil {
		return "", err
	}
	as, err := g.list(ctx, c, f, "")
	if err != nil {
		return "", err
	}
	m := markerOf(marker)
	for _, a := range as {
		if strings.Contains(str(a.Description), m) {
			return a.GHSA, nil
		}
	}
	return "", nil
}

// body returns what a says as a request body, its description carrying
// the marker once (none for "").
func body(marker string, a *vmt.ForgeAdvisory) write {
	desc := strings.TrimSpace(a.Description)
	if marker != "" {
		m := markerOf(marker)
		desc = strings.TrimSpace(strings.ReplaceAll(desc, m, "")) + "\n\n" + m
	}
	w := write{Summary: a.Summary, Description: desc, CVE: opt(a.CVE),
		Vulnerabilities: []vulnerability{}, CWEIDs: slices.Clone(a.CWEs), Credits: slices.Clone(a.Credits)}
	if w.CWEIDs == nil {
		w.CWEIDs = []string{}
	}
	if w.Credits == nil {
		w.Credits = []vmt.ForgeCredit{}
	}
	for _, p := range a.Packages {
		w.Vulnerabilities = append(w.Vulnerabilities, vulnerability{Package: &vulnPackage{Ecosystem: p.Ecosystem, Name: opt(p.Name)},
			VulnerableRange: opt(p.VulnerableRange), Patched: opt(p.Patched)})
	}
	// GitHub takes the vector or the severity, not both.
	if a.CVSS != "" {
		w.CVSS = &a.CVSS
	} else if a.Severity != "" {
		w.Severity = &a.Severity
	}
	return w
}

// says reports whether advisory have says what w says already.
func says(have *advisory, w write) bool {
	vec := ""
	if have.CVSS != nil {
		vec = str(have.CVSS.Vector)
	}
	if w.CVSS != nil && vec != *w.CVSS || w.Severity != nil && str(have.Severity) != *w.Severity {
		return false
	}
	if have.Summary != w.Summary || str(have.Description) != w.Description || str(have.CVE) != str(w.CVE) ||
		!slices.Equal(have.CWEIDs, w.CWEIDs) && (len(have.CWEIDs) > 0 || len(w.CWEIDs) > 0) ||
		!slices.Equal(have.Credits, w.Credits) && (len(have.Credits) > 0 || len(w.Credits) > 0) ||
		len(have.Vulnerabilities) != len(w.Vulnerabilities) {
		return false
	}
	for i, v := range have.Vulnerabilities {
		x := w.Vulnerabilities[i]
		if v.Package == nil || v.Package.Ecosystem != x.Package.Ecosystem || str(v.Package.Name) != str(x.Package.Name) ||
			str(v.VulnerableRange) != str(x.VulnerableRange) || str(v.Patched) != str(x.Patched) {
			return false
		}
	}
	return true
}

// WriteAdvisory makes advisory ghsa say what a says, or creates a draft
// saying it when ghsa is "". An advisory saying it already is left alone.
func (g *Forge) WriteAdvisory(ctx context.Context, f *vmt.ForgeSettings, ghsa, marker string, a *vmt.ForgeAdvisory) (string, string, error) {
	c, err := g.client(f)
	if err != nil {
		return "", "", err
	}
	w := body(marker, a)
	out := &advisory{}
	if ghsa == "" {
		req, err := c.NewRequest(ctx, http.MethodPost, g.advisoriesPath(f), w)
		if err != nil {
			return "", "", classify("create an advisory", err)
		}
		if _, err := c.Do(req, out); err != nil {
			return "", "", classify("create an advisory", err)
		}
		return out.GHSA, out.HTMLURL, nil
	}
	have, err := g.get(ctx, c, f, ghsa)
	if err != nil {
		return "", "", err
	}
	if says(have, w) {
		return have.GHSA, have.HTMLURL, nil
	}
	req, err := c.NewRequest(ctx, http.MethodPatch, g.advisoriesPath(f)+"/"+url.PathEscape(ghsa), w)
	if err != nil {
		return "", "", classify("update "+ghsa, err)
	}
	if _, err := c.Do(req, out); err != nil {
		return "", "", classify("update "+ghsa, err)
	}
	return out.GHSA, out.HTMLURL, nil
}

// RequestCVE asks for a CVE id for ghsa unless it has one.
func (g *Forge) RequestCVE(ctx context.Context, f *vmt.ForgeSettings, ghsa string) (bool, error) {
	c, err := g.client(f)
	if err != nil {
		return false, err
	}
	a, err := g.get(ctx, c, f, ghsa)
	if err != nil {
		return false, err
	}
	if str(a.CVE) != "" {
		return false, nil
	}
	req, err := c.NewRequest(ctx, http.MethodPost, g.advisoriesPath(f)+"/"+url.PathEscape(ghsa)+"/cve", nil)
	if err != nil {
		return false, classify("request a CVE for "+ghsa, err)
	}
	_, err = c.Do(req, nil)
	var ae *gh.AcceptedError
	if err != nil && errors.As(err, &ae) {
		err = nil // 202: GitHub's CNA takes the request
	}
	return err == nil, classify("request a CVE for "+ghsa, err)
}

// SetAdvisoryCollaborators makes logins the collaborating users of ghsa
// unless they are.
func (g *Forge) SetAdvisoryCollaborators(ctx context.Context, f *vmt.ForgeSettings, ghsa string, logins []string) (bool, error) {
	c, err := g.client(f)
	if err != nil {
		return false, err
	}
	a, err := g.get(ctx, c, f, ghsa)
	if err != nil {
		return false, err
	}
	if vmt.SameLabels(a.forge().Collaborators, logins) {
		return false, nil
	}
	if logins == nil {
		logins = []string{}
	}
	req, err := c.NewRequest(ctx, http.MethodPatch, g.advisoriesPath(f)+"/"+url.PathEscape(ghsa), struct {
		Users []string `json:"collaborating_users"`
	}{logins})
	if err != nil {
		return false, classify("set the collaborators of "+ghsa, err)
	}
	_, err = c.Do(req, nil)
	return err == nil, classify("set the collaborators of "+ghsa, err)
}

// CreateFork makes the temporary private fork of ghsa unless it has one.
func (g *Forge) CreateFork(ctx context.Context, f *vmt.ForgeSettings, ghsa string) (*vmt.ForgeFork, bool, error) {
	c, err := g.client(f)
	if err != nil {
		return nil, false, err
	}
	a, err := g.get(ctx, c, f, ghsa)
	if err != nil {
		return nil, false, err
	}
	if a.Fork != nil {
		return a.Fork.fork(), false, nil
	}
	req, err := c.NewRequest(ctx, http.MethodPost, g.advisoriesPath(f)+"/"+url.PathEscape(ghsa)+"/forks", nil)
	if err != nil {
		return nil, false, classify("fork for "+ghsa, err)
	}
	out := &repository{}
	_, err = c.Do(req, out)
	var ae *gh.AcceptedError
	if err != nil && errors.As(err, &ae) {
		// 202: the fork is being made; the answer is the repository.
		err = json.Unmarshal(ae.Raw, out)
	}
	if err != nil {
		return nil, false, classify("fork for "+ghsa, err)
	}
	return out.fork(), true, nil
}

// ForkPatches reads the commits of fork from base to head with the
// comparison's patch media type: the series as git format-patch writes
// it.
func (g *Forge) ForkPatches(ctx context.Context, f *vmt.ForgeSettings, fork *vmt.ForgeFork, base, head string, max int) ([]byte, error) {
	c, err := g.client(f)
	if err != nil {
		return nil, err
	}
	u := "repos/" + url.PathEscape(fork.Owner) + "/" + url.PathEscape(fork.Repo) + "/compare/" +
		url.PathEscape(base+"..."+head)
	req, err := c.NewRequest(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, classify("compare "+base+"..."+head, err)
	}
	req.Header.Set("Accept", "application/vnd.github.patch")
	var buf limitedBuffer
	buf.max = max
	if _, err := c.Do(req, &buf); err != nil {
		if buf.over {
			return nil, &vmt.Error{Code: vmt.ETOOLARGE, Field: "ref", Message: "the branch's commits are over the size of a series"}
		}
		return nil, classify("compare "+base+"..."+head+" on the fork", err)
	}
	return buf.b, nil
}

// limitedBuffer keeps at most max bytes, and refuses more.
type limitedBuffer struct {
	b    []byte
	max  int
	over bool
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if len(l.b)+len(p) > l.max {
		l.over = true
		return 0, errors.New("github: the answer is over its bound")
	}
	l.b = append(l.b, p...)
	return len(p), nil
}
