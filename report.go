package vmt

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Visibility says who may see a report beyond those let in.
type Visibility string

// The two visibilities.
const (
	Private Visibility = "private" // only the VMT, the reporter and those subscribed
	Public  Visibility = "public"  // anyone
)

// Report is one security bug.
type Report struct {
	ID            int64      `json:"id"`
	ProjectID     int64      `json:"project_id"`
	Title         string     `json:"title"`
	Description   string     `json:"description"` // Markdown, with the embargo reminder first while private
	ReporterID    int64      `json:"reporter_id"`
	CoordinatorID int64      `json:"coordinator_id,omitempty"` // 0: unassigned
	Visibility    Visibility `json:"visibility"`
	Status        Status     `json:"status"`
	Class         Class      `json:"class,omitempty"`
	// Affected is the record of what is affected, a component and its
	// versions per entry (report_affected.go).
	Affected          []AffectedEntry `json:"affected"`
	Credit            string          `json:"credit,omitempty"`
	CVEs              []string        `json:"cves"`
	Hardening         bool            `json:"hardening"`
	ImpactDescription string          `json:"impact_description,omitempty"`
	ReporterTerms     string          `json:"reporter_terms,omitempty"`
	NeverDisclose     []string        `json:"never_disclose"` // fields the reporter wants kept out of every publication
	DisclosureAt      *time.Time      `json:"disclosure_at,omitempty"`
	CVERequestedAt    *time.Time      `json:"cve_requested_at,omitempty"`
	NoticeSentAt      *time.Time      `json:"notice_sent_at,omitempty"`
	Reminder          string          `json:"embargo_reminder,omitempty"` // the embargo reminder as prefixed, so that it can be removed exactly
	// RequestedDisclosureAt is the disclosure date the reporter asks for,
	// part of their terms; TermsOverride records a coordinator's decision
	// not to follow it (see app/terms.go).
	RequestedDisclosureAt *time.Time     `json:"requested_disclosure_at,omitempty"`
	TermsOverride         *TermsOverride `json:"terms_override,omitempty"`
	// StatusSince is when the report entered its status: the store sets it
	// on every status change, and clears StageRemindedAt and
	// StageEscalatedAt then, so the stage timers restart (timers.go).
	StatusSince      time.Time  `json:"status_since"`
	StageRemindedAt  *time.Time `json:"stage_reminded_at,omitempty"`
	StageEscalatedAt *time.Time `json:"stage_escalated_at,omitempty"`
	EmbargoRaisedAt  *time.Time `json:"embargo_raised_at,omitempty"` // raised for going public (embargo past the project's limit)
	// PossibleLeak is what merge tracking first saw of a fix merged on
	// the project's repository while the report was private (merge.go);
	// nil: nothing seen. It stays once the report is public, as history.
	PossibleLeak *PossibleLeak `json:"possible_leak,omitempty"`
	// DuplicateOf is the report of the same project this one restates,
	// as its VMT decided (duplicate.go); 0: none.
	DuplicateOf int64     `json:"duplicate_of,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Limits on report fields. Lengths are in characters for text people read
// and in bytes for the Markdown body.
const (
	MaxTitleLen         = 200
	MaxDescriptionBytes = 64 << 10
	MaxComponents       = 50
	MaxComponentLen     = 100
	MaxVersionsLen      = 1000
	MaxCreditLen        = 1000
	MaxTermsLen         = 4000
	MaxCVEs             = 50
	MaxImpactBytes      = 64 << 10
	MaxCommentBytes     = 64 << 10
	MaxReasonLen        = 1000
)

// NeverDisclosable lists the fields a reporter may keep out of publications.
var NeverDisclosable = []string{"reporter_identity", "credit", "reporter_terms"}

var (
	cveRE       = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,19}$`)
	componentRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/+-]*$`)
)

// ValidCVE reports whether s is a well-formed CVE id.
func ValidCVE(s string) bool { return cveRE.MatchString(s) }

// Validate checks every field a caller can set and returns the first fault.
func (r *Report) Validate() error {
	// A title is shown in lists, mails and subjects, where an invisible
	// character would make it read as something else (text.go).
	if err := CheckLine("title", r.Title, MaxTitleLen, true); err != nil {
		return err
	}
	if err := CheckBytes("description", r.Description, MaxDescriptionBytes+len(r.Reminder), true); err != nil {
		return err
	}
	// The reminder alone is no description: once it is removed at
	// disclosure the report would no longer validate, and every later
	// change to it would be refused.
	if strings.TrimSpace(r.BodyWithoutReminder()) == "" {
		return Invalid("description", "is required")
	}
	if len(r.Affected) > MaxComponents {
		return Invalid("affected", "more than %d entries", MaxComponents)
	}
	for i, e := range r.Affected {
		if err := checkEntry(fmt.Sprintf("affected[%d]", i), e); err != nil {
			return err
		}
	}
	if err := CheckText("credit", r.Credit, MaxCreditLen, false); err != nil {
		return err
	}
	if err := CheckText("reporter_terms", r.ReporterTerms, MaxTermsLen, false); err != nil {
		return err
	}
	if err := CheckBytes("impact_description", r.ImpactDescription, MaxImpactBytes, false); err != nil {
		return err
	}
	if err := CheckCVEs(r.CVEs); err != nil {
		return err
	}
	if _, err := ParseClass("class", string(r.Class)); err != nil {
		return err
	}
	for i, f := range r.NeverDisclose {
		if !contains(NeverDisclosable, f) {
			return Invalid("never_disclose", "%q cannot be marked (want any of %s)", f, strings.Join(NeverDisclosable, ", "))
		}
		if contains(r.NeverDisclose[:i], f) {
			return Invalid("never_disclose", "%q is listed twice", f)
		}
	}
	return nil
}

// CheckCVEs checks a list of CVE ids: each well formed, none twice, at
// most MaxCVEs; the error names the field "cves".
func CheckCVEs(ids []string) error {
	if len(ids) > MaxCVEs {
		return Invalid("cves", "more than %d CVE ids", MaxCVEs)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if !ValidCVE(id) {
			return Invalid("cves", "%q is not a CVE id (CVE-YYYY-NNNN)", id)
		}
		if seen[id] {
			return Invalid("cves", "%s is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}

// CheckText checks a plain text field: valid UTF-8, no control characters
// but newlines, carriage returns and tabs, no invisible character (text.go)
// and at most max characters.
func CheckText(field, s string, max int, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return Invalid(field, "is required")
	}
	if !utf8.ValidString(s) {
		return Invalid(field, "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return Invalid(field, "has %d characters, more than the limit of %d", n, max)
	}
	if err := checkControl(field, s); err != nil {
		return err
	}
	return checkVisible(field, s)
}

// CheckBytes is checkText for long Markdown bodies, whose limit is in bytes.
// A body keeps its invisible characters, which every page and document
// shows as visible escapes (text.go says why).
func CheckBytes(field, s string, max int, required bool) error {
	if required && strings.TrimSpace(s) == "" {
		return Invalid(field, "is required")
	}
	if len(s) > max {
		return &Error{Code: ETOOLARGE, Field: field, Message: "is larger than the limit of " + kib(max)}
	}
	if !utf8.ValidString(s) {
		return Invalid(field, "is not valid UTF-8")
	}
	return checkControl(field, s)
}

// checkControl refuses the C0 and C1 control characters and DEL: C1 codes
// such as U+009B (CSI) drive terminals as ESC sequences do.
func checkControl(field, s string) error {
	for _, c := range s {
		if unicode.IsControl(c) && c != '\n' && c != '\t' && c != '\r' {
			return Invalid(field, "contains the control character %U", c)
		}
	}
	return nil
}

func kib(n int) string {
	if n%1024 == 0 {
		return itoa(n/1024) + " KiB"
	}
	return itoa(n) + " bytes"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for ; n > 0; n /= 10 {
		i--
		b[i] = byte('0' + n%10)
	}
	return string(b[i:])
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// isBidiControl reports whether c is a Unicode bidirectional embedding,
// override or isolate control.
func isBidiControl(c rune) bool {
	return c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069 || c == 0x200E || c == 0x200F
}

// ReportInput is what a reporter sends.
type ReportInput struct {
	Project     string `json:"project"` // name; empty means the only project
	Title       string `json:"title"`
	Description string `json:"description"`
	// Affected is the record of what is affected; Components and
	// AffectedVersions are its simple form (each component with the same
	// versions), used when Affected is empty.
	Affected         []AffectedEntry `json:"affected"`
	Components       []string        `json:"components"`
	AffectedVersions string          `json:"affected_versions"`
	Credit           string          `json:"credit"`
	ReporterTerms    string          `json:"reporter_terms"`
	NeverDisclose    []string        `json:"never_disclose"`
}
