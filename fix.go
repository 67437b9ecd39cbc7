package vmt

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Fix is a patch for a report on one branch: for a private report, git
// format-patch output (one patch or a series), as private as the report;
// for a public one, a link to a pull request instead. Each upload for a
// report and branch is a new version; approval is per version, so a new
// version starts unreviewed. The merge fields are what the merge tracker
// last found on the branch.
type Fix struct {
	ID       int64  `json:"id"`
	ReportID int64  `json:"report_id"`
	Branch   string `json:"branch"`
	Version  int    `json:"version"` // 1, 2, … per report and branch; set by the store
	// Series is the patch series as uploaded. The store reads it only
	// through FixSeries: a fix read from the store has it empty, and
	// SeriesBytes says how large it is (0 for a link).
	Series      string `json:"series,omitempty"`
	SeriesBytes int    `json:"series_bytes,omitempty"`
	URL         string `json:"url,omitempty"`
	// Commit is, for a pull request link, the commit that carries the
	// change (the pull request's, or the one it was merged as): with it
	// the link is tracked by patch identity like a series; without it,
	// not at all.
	Commit string `json:"commit,omitempty"`
	// BaseCommit is, for a series, the commit it was checked against when
	// it was attached (its branch's tip then): it applied there, so the
	// merge tracker reads the branch's commits since then. Empty for a
	// link, and for a series attached before it was recorded.
	BaseCommit string    `json:"base_commit,omitempty"`
	Subjects   []string  `json:"subjects"` // of each patch of the series, in order
	UploadedBy int64     `json:"uploaded_by"`
	CreatedAt  time.Time `json:"created_at"`

	Review     FixReview  `json:"review"`
	ReviewedBy int64      `json:"reviewed_by,omitempty"`
	ReviewedAt *time.Time `json:"reviewed_at,omitempty"`
	ReviewNote string     `json:"review_note,omitempty"`

	Merge          MergeState `json:"merge"`
	MergeCommit    string     `json:"merge_commit,omitempty"`
	MergeError     string     `json:"merge_error,omitempty"` // e.g. the branch is gone upstream
	MergeCheckedAt *time.Time `json:"merge_checked_at,omitempty"`
}

// FixReview is the pre-approval of a fix version by core reviewers.
type FixReview string

const (
	ReviewPending          FixReview = "pending"
	ReviewApproved         FixReview = "approved"
	ReviewChangesRequested FixReview = "changes_requested"
)

// MergeState is how much of a fix its branch has, by patch identity.
type MergeState string

const (
	MergeUnknown   MergeState = "" // not looked at yet
	MergeNone      MergeState = "not_merged"
	MergePartial   MergeState = "partial"
	MergeCompleted MergeState = "merged"
)

// Limits on fixes.
const (
	MaxFixSeriesBytes = 4 << 20
	MaxFixURLLen      = 2000
)

// Validate checks the fields a caller gives: a branch name, and either a
// series or an https link, not both.
func (f *Fix) Validate() error {
	if len(f.Branch) > MaxBranchNameLen || !BranchPattern.MatchString(f.Branch) || ContainsDotDot(f.Branch) {
		return Invalid("branch", "%q is not a branch name", f.Branch)
	}
	switch {
	case (f.Series == "") == (f.URL == ""):
		return Invalid("series", "give either a patch series or a pull request link")
	case len(f.Series) > MaxFixSeriesBytes:
		return &Error{Code: ETOOLARGE, Field: "series", Message: "the series is over 4 MiB"}
	case f.Commit != "" && f.URL == "":
		return Invalid("commit", "a commit is recorded with a pull request link, not a series")
	case f.Commit != "" && !commitRE.MatchString(f.Commit):
		return Invalid("commit", "%q is not a full commit hash (40 lower-case hexadecimal digits)", f.Commit)
	case f.URL != "":
		return validPullRequestURL(f.URL)
	}
	return nil
}

var commitRE = regexp.MustCompile(`^[0-9a-f]{40}$`)

// Tracked reports whether the merge tracker can look for f: a series, or a
// pull request link with its commit.
func (f *Fix) Tracked() bool { return f.IsSeries() || f.Commit != "" }

// IsSeries reports whether f is a patch series rather than a link, with
// its bytes read or not.
func (f *Fix) IsSeries() bool { return f.Series != "" || f.SeriesBytes > 0 }

func validPullRequestURL(s string) error {
	if len(s) > MaxFixURLLen {
		return Invalid("url", "is longer than %d bytes", MaxFixURLLen)
	}
	u, err := url.Parse(s)
	// A link is shown on pages and in the API: no spaces or control
	// characters that could make it read as something else.
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil ||
		strings.ContainsFunc(s, func(c rune) bool { return c <= ' ' || c == 0x7f }) || checkControl("url", s) != nil {
		return Invalid("url", "%q is not an https link to a pull request", s)
	}
	return nil
}

// Valid reports whether r is one of the review states.
func (r FixReview) Valid() bool {
	return r == ReviewPending || r == ReviewApproved || r == ReviewChangesRequested
}

// FixChecker checks a patch series for a branch of a project before it is
// stored: well formed, within limits, naming no file outside the tree, and
// applying cleanly to the branch's tip. It returns the subject of each
// patch and the tip it applied to, or an EINVALID or ETOOLARGE *Error
// carrying the reason (git's, for a patch that does not apply). Package
// gitrepo implements it.
type FixChecker interface {
	CheckSeries(ctx context.Context, p *Project, branch string, series []byte) (SeriesCheck, error)
}

// SeriesCheck is what a FixChecker found of a series that applies.
type SeriesCheck struct {
	Subjects []string // of each patch, in order
	Base     string   // the commit the series applied to
}

// FixInput is a fix as a caller gives it: a series for a private report, a
// pull request link for a public one.
type FixInput struct {
	Branch string `json:"branch"`
	Series string `json:"series"`
	URL    string `json:"url"`
	// Commit, with a link, is the pull request's commit (or the one it was
	// merged as): the merge tracker looks for it by patch identity.
	Commit string `json:"commit"`
}

// ReviewInput is a reviewer's verdict on a fix version.
type ReviewInput struct {
	Review FixReview `json:"review"` // approved or changes_requested
	Note   string    `json:"note"`
}

// MaxReviewNoteBytes bounds a review note.
const MaxReviewNoteBytes = 10000
