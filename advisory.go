package vmt

import (
	"time"
)

// AdvisoryKind says whether a document is a security advisory (KCSA, for a
// class A report) or a security note (KCSN, for class B1 to B3).
type AdvisoryKind string

// The two kinds of documents.
const (
	KindAdvisory AdvisoryKind = "advisory"
	KindNote     AdvisoryKind = "note"
)

// AdvisoryState is where a document stands. Only a published or withdrawn
// document may leave the system (pages, feeds, exports).
type AdvisoryState string

// The states of a document.
const (
	AdvisoryDraft     AdvisoryState = "draft"     // being written; seen by those working on the report
	AdvisoryEmbargoed AdvisoryState = "embargoed" // final text, waiting for the disclosure hour
	AdvisoryPublished AdvisoryState = "published" // public
	AdvisoryWithdrawn AdvisoryState = "withdrawn" // was published, then withdrawn; stays public as such
)

// CreditType is the part someone had, in the OSV/GHSA vocabulary.
type CreditType string

// The credit types of the OSV schema.
const (
	CreditFinder               CreditType = "FINDER"
	CreditReporter             CreditType = "REPORTER"
	CreditAnalyst              CreditType = "ANALYST"
	CreditCoordinator          CreditType = "COORDINATOR"
	CreditRemediationDeveloper CreditType = "REMEDIATION_DEVELOPER"
	CreditRemediationReviewer  CreditType = "REMEDIATION_REVIEWER"
	CreditRemediationVerifier  CreditType = "REMEDIATION_VERIFIER"
	CreditTool                 CreditType = "TOOL"
	CreditSponsor              CreditType = "SPONSOR"
	CreditOther                CreditType = "OTHER"
)

// CreditTypes lists every credit type.
var CreditTypes = []CreditType{CreditFinder, CreditReporter, CreditAnalyst, CreditCoordinator,
	CreditRemediationDeveloper, CreditRemediationReviewer, CreditRemediationVerifier,
	CreditTool, CreditSponsor, CreditOther}

// ReferenceType is the kind of a reference, in the OSV vocabulary.
type ReferenceType string

// ReferenceTypes lists the reference types of the OSV schema.
var ReferenceTypes = []ReferenceType{"ADVISORY", "ARTICLE", "DETECTION", "DISCUSSION", "REPORT",
	"FIX", "INTRODUCED", "GIT", "PACKAGE", "EVIDENCE", "WEB"}

// Advisory is a security advisory or note: the document published about a
// vulnerability, and the source of every export (OSV, CVE JSON 5, CSAF).
type Advisory struct {
	ID          AdvisoryID    `json:"id"`
	RecordID    int64         `json:"record_id,omitempty"`  // the store's key, set before the document is numbered
	ProjectID   int64         `json:"project_id,omitempty"` // the project whose prefix numbers it
	Kind        AdvisoryKind  `json:"kind"`
	State       AdvisoryState `json:"state"`
	ReportID    int64         `json:"report_id,omitempty"`
	Vendor      string        `json:"vendor,omitempty"`  // who makes the software, e.g. "Kata Containers"
	Aliases     []string      `json:"aliases,omitempty"` // other ids of this document (GHSA-…, an imported OSV id)
	Title       string        `json:"title"`
	Summary     string        `json:"summary,omitempty"` // one line
	Description string        `json:"description"`
	Mitigation  string        `json:"mitigation,omitempty"`
	Affected    []Affected    `json:"affected"`
	Credits     []Credit      `json:"credits,omitempty"`
	CVEs        []string      `json:"cves,omitempty"`
	CWEs        []string      `json:"cwes,omitempty"` // CWE-79
	// CVSS holds vectors, each with its version prefix (CVSS:3.1/…,
	// CVSS:4.0/…; CVSS:3.0/… and bare v2 vectors come from imports). The
	// cvss package parses and scores them.
	CVSS       []string    `json:"cvss,omitempty"`
	References []Reference `json:"references,omitempty"`
	Patches    []Patch     `json:"patches,omitempty"`
	// Repository and FixCommits are where the fixes of the document's
	// report landed, as merge tracking found them: the project's git
	// repository and, per branch, the commit its fix was merged as. They
	// are never stored (json "-"): the application fills them on the
	// copy it hands out of a public document whose report is public, so
	// that no commit of an embargoed fix reaches an export.
	Repository string      `json:"-"`
	FixCommits []FixCommit `json:"-"`
	Notes      []string    `json:"notes,omitempty"`
	Errata     string      `json:"errata,omitempty"` // what the latest revision corrected
	Revisions  []Revision  `json:"revisions,omitempty"`
	Published  *time.Time  `json:"published,omitempty"`
	Modified   *time.Time  `json:"modified,omitempty"`
	Withdrawn  *time.Time  `json:"withdrawn,omitempty"`
	// DatabaseSpecific keeps what an imported OSV record (a GHSA) said
	// in its database_specific that no field here holds (github_reviewed,
	// severity …); the OSV export writes it back beside its own keys.
	DatabaseSpecific map[string]any `json:"database_specific,omitempty"`
}

// Affected is one affected component and the versions it is affected in.
type Affected struct {
	Component string `json:"component"`           // as the project names it: "runtime", "nova"
	Ecosystem string `json:"ecosystem,omitempty"` // OSV ecosystem when the component is a package: "Go", "PyPI"
	Package   string `json:"package,omitempty"`   // its name there; Component when empty
	PURL      string `json:"purl,omitempty"`
	// Versions is the affected versions as people write them ("<3.2.1,
	// >=3.3.0 <3.3.2", "All versions"); it fills $AFFECTED_VERSIONS.
	Versions string `json:"versions"`
	// Ranges are the same, machine-readable, one per branch where known.
	Ranges []VersionRange `json:"ranges,omitempty"`
	// Enumerated lists affected versions one by one, as some OSV records do.
	Enumerated []string `json:"enumerated,omitempty"`
	// DatabaseSpecific and EcosystemSpecific keep an imported OSV
	// entry's fields of those names that no field here holds, for the
	// export to write back.
	DatabaseSpecific  map[string]any `json:"database_specific,omitempty"`
	EcosystemSpecific map[string]any `json:"ecosystem_specific,omitempty"`
}

// VersionRange is one run of affected versions: from Introduced ("" or "0":
// from the start) to Fixed (excluded) or LastAffected (included); neither
// means not fixed yet.
type VersionRange struct {
	Branch       string `json:"branch,omitempty"`
	Introduced   string `json:"introduced,omitempty"`
	Fixed        string `json:"fixed,omitempty"`
	LastAffected string `json:"last_affected,omitempty"`
	// Type is how the versions compare when a record said so (OSV's
	// SEMVER or ECOSYSTEM, kept from an imported record); empty, the
	// exports choose from the ecosystem and the versions.
	Type string `json:"type,omitempty"`
}

// The range types an imported record may give (OSV's; GIT ranges are
// commits, not versions, and are not kept as version ranges).
const (
	RangeSemVer    = "SEMVER"
	RangeEcosystem = "ECOSYSTEM"
)

// Credit is someone thanked by the document.
type Credit struct {
	Name        string     `json:"name"`
	Affiliation string     `json:"affiliation,omitempty"`
	Contact     []string   `json:"contact,omitempty"` // URLs, mailto: or mail addresses
	Type        CreditType `json:"type"`
}

// Reference is a link with its kind.
type Reference struct {
	Type ReferenceType `json:"type"`
	URL  string        `json:"url"`
}

// Patch lists the fixes of one branch (commit or pull request URLs).
type Patch struct {
	Branch string   `json:"branch"`
	URLs   []string `json:"urls"`
}

// FixCommit is the commit a report's fix was merged as on a branch of
// the project's repository (Fix.MergeCommit of a merged fix).
type FixCommit struct {
	Branch string
	Commit string
}

// Revision is one version of the document: 1 is the original, later ones
// are errata.
type Revision struct {
	Number  int       `json:"number"`
	Date    time.Time `json:"date"`
	Summary string    `json:"summary"`
}

// Public reports whether the document may leave the system: a draft or an
// embargoed document never appears in a page, a feed or an export.
func (a *Advisory) Public() bool {
	return a.State == AdvisoryPublished || a.State == AdvisoryWithdrawn
}

// Prefix returns the project's prefix for the document's kind.
func (p *Project) Prefix(k AdvisoryKind) string {
	if k == KindNote {
		return p.NotePrefix
	}
	return p.AdvisoryPrefix
}

// KindFor returns the kind of document a class leads to, and false when
// it leads to none.
func KindFor(c Class) (AdvisoryKind, bool) {
	switch c.Outcome() {
	case OutcomeAdvisory:
		return KindAdvisory, true
	case OutcomeNote:
		return KindNote, true
	}
	return "", false
}

// ComponentNames returns the affected components in order, for
// $COMPONENTS.
func (a *Advisory) ComponentNames() []string {
	names := make([]string, len(a.Affected))
	for i, af := range a.Affected {
		names[i] = af.Component
	}
	return names
}

// CheckExportable returns ECONFLICT unless the document is public: the
// exports and publication refuse drafts and embargoed documents.
func (a *Advisory) CheckExportable() error {
	if !a.Public() {
		return Errorf(ECONFLICT, "%s is %s: only a published or withdrawn document can be exported", a.label(), a.State)
	}
	if a.ID.IsZero() {
		return Errorf(ECONFLICT, "the document has no id yet: only a numbered document can be exported")
	}
	return a.Validate()
}

func (a *Advisory) label() string {
	if a.ID.IsZero() {
		return "the document"
	}
	return a.ID.String()
}

func orDash(s string) string {
	if s == "" {
		return "unclassified"
	}
	return s
}
