package vmt

import (
	"context"
	"strings"
	"time"
)

// The repository's security advisories on the forge (issue 16, items 3
// and 4). A private vulnerability report filed on GitHub is a repository
// advisory in triage: a periodic round brings each in once as a private
// report. Accepting or closing the report in vmt moves the advisory to
// draft or closed; at disclosure vmt's published advisory fills the
// repository advisory, which is then published. Drafts, triage and closed
// advisories are private to the repository's maintainers and the
// advisory's collaborators, so vmt may write them for an embargoed
// report; publishing waits for the disclosure.

// The states of a repository advisory.
const (
	GHSATriage    = "triage"
	GHSADraft     = "draft"
	GHSAPublished = "published"
	GHSAClosed    = "closed"
	GHSAWithdrawn = "withdrawn"
)

// GitHubCNA is the short name of GitHub's CNA: a project whose CNA
// settings name it asks GitHub for its CVE ids, through the repository
// advisory (ForgeAdvisories.RequestCVE).
const GitHubCNA = "GitHub_M"

// ForgePackage is one package a repository advisory names.
type ForgePackage struct {
	// Ecosystem is GitHub's name of it (go, npm, pip, other …).
	Ecosystem       string `json:"ecosystem"`
	Name            string `json:"name,omitempty"`
	VulnerableRange string `json:"vulnerable_version_range,omitempty"`
	Patched         string `json:"patched_versions,omitempty"`
}

// ForgeCredit is someone a repository advisory credits, by GitHub login,
// with their part in GitHub's words (finder, reporter, analyst …).
type ForgeCredit struct {
	Login string `json:"login"`
	Type  string `json:"type"`
}

// ForgeAdvisory is a repository advisory as vmt reads and writes it.
type ForgeAdvisory struct {
	GHSA        string         `json:"ghsa_id,omitempty"`
	State       string         `json:"state,omitempty"`
	URL         string         `json:"html_url,omitempty"`
	Summary     string         `json:"summary"`
	Description string         `json:"description"`
	Severity    string         `json:"severity,omitempty"` // critical, high, medium, low
	CVSS        string         `json:"cvss,omitempty"`     // the vector
	CVE         string         `json:"cve_id,omitempty"`
	CWEs        []string       `json:"cwes,omitempty"`
	Packages    []ForgePackage `json:"packages,omitempty"`
	Credits     []ForgeCredit  `json:"credits,omitempty"`
	// Reporter is the login of the advisory's author (who filed a
	// private report), with the id and the public address GitHub gives.
	Reporter      string `json:"reporter,omitempty"`
	ReporterID    int64  `json:"reporter_id,omitempty"`
	ReporterEmail string `json:"reporter_email,omitempty"`
}

// ForgeAdvisoryLink records the repository advisory a report is followed
// in: the one it was brought in from (Login is then its reporter), or the
// one vmt created for it.
type ForgeAdvisoryLink struct {
	ReportID  int64     `json:"report_id"`
	ProjectID int64     `json:"project_id"`
	GHSA      string    `json:"ghsa_id"`
	Login     string    `json:"login,omitempty"`
	URL       string    `json:"url"`
	LinkedAt  time.Time `json:"linked_at"`
}

// ForgeAdvisories is what vmt asks of a repository's security advisories.
// Package github's Forge implements it beside Forge. As there, each
// method that changes something looks first, so that a retried outbox
// item changes nothing more, and a refusal no retry cures is EINVALID.
type ForgeAdvisories interface {
	// TriageAdvisories returns the repository's advisories in triage:
	// the private vulnerability reports not yet accepted or closed.
	TriageAdvisories(ctx context.Context, f *ForgeSettings) ([]ForgeAdvisory, error)
	// Advisories returns all the repository's advisories, in any state.
	Advisories(ctx context.Context, f *ForgeSettings) ([]ForgeAdvisory, error)
	// Advisory returns one advisory.
	Advisory(ctx context.Context, f *ForgeSettings, ghsa string) (*ForgeAdvisory, error)
	// SetAdvisoryState moves an advisory to state unless it is there; it
	// reports whether it moved it.
	SetAdvisoryState(ctx context.Context, f *ForgeSettings, ghsa, state string) (bool, error)
	// FindAdvisory returns the id of the advisory whose description
	// carries marker (written by WriteAdvisory), or "".
	FindAdvisory(ctx context.Context, f *ForgeSettings, marker string) (string, error)
	// WriteAdvisory makes advisory ghsa say what a says (summary,
	// description, packages, CVE, CWEs, CVSS, credits), leaving its
	// state; ghsa "" creates a draft. The description carries marker,
	// by which FindAdvisory finds it again (none for "": the text as
	// published, once the advisory's id is stored). It returns the
	// advisory's id and link.
	WriteAdvisory(ctx context.Context, f *ForgeSettings, ghsa, marker string, a *ForgeAdvisory) (id, url string, err error)
	// RequestCVE asks GitHub's CNA for a CVE id for advisory ghsa unless
	// it has one; it reports whether it asked.
	RequestCVE(ctx context.Context, f *ForgeSettings, ghsa string) (bool, error)
}

// The operations of a ForgeRequest on advisories.
const (
	// ForgeAdvisoryState moves the report's repository advisory to
	// ForgeRequest.State (draft when accepted, closed when closed).
	ForgeAdvisoryState = "advisory-state"
	// ForgePublishAdvisory fills the report's repository advisory from
	// vmt's published advisory ForgeRequest.AdvisoryID (creating it if
	// the report has none) and publishes it.
	ForgePublishAdvisory = "advisory-publish"
	// ForgeRequestCVE asks GitHub's CNA for the report's CVE through its
	// repository advisory (a draft is created if it has none).
	ForgeRequestCVE = "advisory-cve"
)

// GHSAStateOf returns the state the repository advisory of a report takes
// when the report enters st, and false when it takes none: accepted
// (Confirmed) is draft, Won't Fix and Invalid are closed.
func GHSAStateOf(st Status) (string, bool) {
	switch st {
	case StatusConfirmed:
		return GHSADraft, true
	case StatusWontFix, StatusInvalid:
		return GHSAClosed, true
	}
	return "", false
}

// ghsaEcosystems maps GitHub's ecosystems to OSV's.
var ghsaEcosystems = map[string]string{
	"go": "Go", "npm": "npm", "pip": "PyPI", "maven": "Maven", "nuget": "NuGet", "composer": "Packagist",
	"rust": "crates.io", "erlang": "Hex", "pub": "Pub", "rubygems": "RubyGems", "actions": "GitHub Actions",
	"swift": "SwiftURL",
}

// OSVEcosystem returns the OSV name of one of GitHub's ecosystems, "" for
// other or one it does not know.
func OSVEcosystem(gh string) string { return ghsaEcosystems[strings.ToLower(gh)] }

// GHSAEcosystem returns GitHub's name of an OSV ecosystem, "other" for
// one GitHub does not know.
func GHSAEcosystem(osv string) string {
	for k, v := range ghsaEcosystems {
		if strings.EqualFold(v, osv) {
			return k
		}
	}
	return "other"
}

// GHSACreditType returns GitHub's name of a credit type.
func GHSACreditType(t CreditType) string {
	if t == "" {
		return "other"
	}
	return strings.ToLower(string(t))
}
