package vmt

import (
	"context"
	"slices"
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
//
// Item 5, private collaboration: the subscribers of a report whose
// account has a GitHub login (set by its owner, or linked by the intake)
// are the advisory's collaborators, added when let in and removed when
// their access ends; the coordinator can have GitHub make the advisory's
// temporary private fork, and a branch pushed there is taken in as a
// patch series, checked as an upload (app/forge_collab.go).

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
	// Collaborators are the logins of the users the advisory is shared
	// with (its collaborating users): they see the draft and its
	// temporary private fork.
	Collaborators []string `json:"collaborating_users,omitempty"`
	// Fork is the advisory's temporary private fork, nil before one is
	// made.
	Fork *ForgeFork `json:"private_fork,omitempty"`
}

// ForgeFork is the temporary private fork of a repository advisory:
// private to the advisory's collaborators and the repository's
// maintainers, where a fix is worked on under embargo. A branch pushed
// there can be taken in as a patch series.
type ForgeFork struct {
	Owner    string `json:"owner"`
	Repo     string `json:"repo"`
	URL      string `json:"html_url"`
	CloneURL string `json:"clone_url"`
}

// ForgeForkState answers the coordinator who asks for the fork: whether
// this ask queued its creation (the first does), and the fork once GitHub
// has made it.
type ForgeForkState struct {
	ReportID int64      `json:"report_id"`
	GHSA     string     `json:"ghsa_id,omitempty"`
	Queued   bool       `json:"queued"`
	Fork     *ForgeFork `json:"fork"`
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
	// SetAdvisoryCollaborators makes logins the advisory's collaborating
	// users, unless they are (in any order and case); it reports whether
	// it changed them.
	SetAdvisoryCollaborators(ctx context.Context, f *ForgeSettings, ghsa string, logins []string) (bool, error)
	// CreateFork makes the advisory's temporary private fork unless it
	// has one; it returns the fork and whether it made it.
	CreateFork(ctx context.Context, f *ForgeSettings, ghsa string) (*ForgeFork, bool, error)
	// ForkPatches returns the commits of fork from base to head as a
	// patch series (git format-patch's mbox), at most max bytes (more is
	// ETOOLARGE). A read: nothing changes on the forge.
	ForkPatches(ctx context.Context, f *ForgeSettings, fork *ForgeFork, base, head string, max int) ([]byte, error)
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
	// ForgeAdvisoryCollaborators makes the subscribers of the report
	// with a GitHub login, as they are at delivery, the collaborators of
	// its repository advisory (item 5): one let in is added, one whose
	// access ended removed; logins vmt does not know are left.
	ForgeAdvisoryCollaborators = "advisory-collaborators"
	// ForgeCreateFork makes the temporary private fork of the report's
	// repository advisory (a draft is made for it if it has none).
	ForgeCreateFork = "advisory-fork"
)

// CollaboratorsOf returns the collaborating users an advisory that has
// have takes: have without the logins of removed (vmt's accounts that
// may no longer see the report), with those of want (its subscribers'),
// in have's order then want's, compared without regard to case.
func CollaboratorsOf(have, want, removed []string) []string {
	out := []string{}
	has := func(xs []string, x string) bool {
		return slices.ContainsFunc(xs, func(y string) bool { return strings.EqualFold(x, y) })
	}
	for _, l := range have {
		if has(want, l) || !has(removed, l) {
			if !has(out, l) {
				out = append(out, l)
			}
		}
	}
	for _, l := range want {
		if !has(out, l) {
			out = append(out, l)
		}
	}
	return out
}

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
