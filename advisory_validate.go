package vmt

import (
	"encoding/json"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
)

// Limits on advisory fields.
const (
	MaxSummaryLen     = 300
	MaxAffected       = 100
	MaxCredits        = 100
	MaxReferences     = 200
	MaxShortFieldLen  = 200 // components, packages, branches, names, versions of a range
	MaxAdvisoryBytes  = 64 << 10
	MaxURLLen         = 2000
	MaxListItems      = 100 // CWEs, CVSS vectors, notes, aliases, revisions, URLs of a patch
	MaxAffectedVerLen = MaxVersionsLen
)

var (
	cweRE   = regexp.MustCompile(`^CWE-[1-9][0-9]{0,5}$`)
	cvssRE  = regexp.MustCompile(`^(CVSS:(3\.0|3\.1|4\.0)/[A-Za-z]+:[A-Za-z]+(/[A-Za-z]+:[A-Za-z]+)*|AV:[A-Z]+(/[A-Za-z]+:[A-Z]+)*)$`)
	aliasRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$`)
)

// Validate checks every field of the document and returns the first fault
// as EINVALID (or ETOOLARGE) naming the field, such as "credits[1].type".
// CVSS vectors are checked for their form only; the cvss package parses
// and scores them.
func (a *Advisory) Validate() error {
	checks := []func() error{a.validateHead, a.validateText, a.validateAffected,
		a.validateCredits, a.validateIDs, a.validateLinks, a.validateHistory}
	for _, c := range checks {
		if err := c(); err != nil {
			return err
		}
	}
	return nil
}

func (a *Advisory) validateHead() error {
	if a.Kind != KindAdvisory && a.Kind != KindNote {
		return Invalid("kind", "%q is not a kind of document (want advisory or note)", a.Kind)
	}
	switch a.State {
	case AdvisoryDraft:
	case AdvisoryEmbargoed:
		// Numbered now or at publication, as the project chooses
		// (AdvisoryNumbering).
	case AdvisoryPublished, AdvisoryWithdrawn:
		if a.ID.IsZero() {
			return Invalid("id", "is required once the document is %s", a.State)
		}
	default:
		return Invalid("state", "%q is not a state (want draft, embargoed, published or withdrawn)", a.State)
	}
	if !a.ID.IsZero() {
		if err := a.ID.Validate(); err != nil {
			return err
		}
	}
	return nil
}

func (a *Advisory) validateText() error {
	if err := CheckLine("title", a.Title, MaxTitleLen, true); err != nil {
		return err
	}
	if err := CheckLine("summary", a.Summary, MaxSummaryLen, false); err != nil {
		return err
	}
	if err := CheckBytes("description", a.Description, MaxAdvisoryBytes, true); err != nil {
		return err
	}
	if err := CheckBytes("mitigation", a.Mitigation, MaxAdvisoryBytes, false); err != nil {
		return err
	}
	if err := CheckBytes("errata", a.Errata, MaxAdvisoryBytes, false); err != nil {
		return err
	}
	if err := CheckLine("vendor", a.Vendor, MaxShortFieldLen, false); err != nil {
		return err
	}
	if len(a.Notes) > MaxListItems {
		return Invalid("notes", "more than %d notes", MaxListItems)
	}
	for i, n := range a.Notes {
		if err := CheckBytes(index("notes", i), n, MaxAdvisoryBytes, true); err != nil {
			return err
		}
	}
	return nil
}

func (a *Advisory) validateAffected() error {
	if len(a.Affected) == 0 && (a.State == AdvisoryEmbargoed || a.State == AdvisoryPublished) {
		return Invalid("affected", "at least one affected component is required")
	}
	if len(a.Affected) > MaxAffected {
		return Invalid("affected", "more than %d affected components", MaxAffected)
	}
	for i, af := range a.Affected {
		if err := af.validate(index("affected", i)); err != nil {
			return err
		}
	}
	return nil
}

func (af *Affected) validate(f string) error {
	if err := CheckLine(f+".component", af.Component, MaxShortFieldLen, true); err != nil {
		return err
	}
	for name, v := range map[string]string{".ecosystem": af.Ecosystem, ".package": af.Package, ".purl": af.PURL} {
		if err := CheckLine(f+name, v, MaxShortFieldLen, false); err != nil {
			return err
		}
	}
	if af.PURL != "" && !strings.HasPrefix(af.PURL, "pkg:") {
		return Invalid(f+".purl", "%q is not a package URL (pkg:type/name)", af.PURL)
	}
	if err := CheckLine(f+".versions", af.Versions, MaxAffectedVerLen, true); err != nil {
		return err
	}
	if len(af.Ranges) > MaxListItems || len(af.Enumerated) > 10*MaxListItems {
		return Invalid(f+".ranges", "too many ranges or versions")
	}
	for j, r := range af.Ranges {
		if err := r.validate(index(f+".ranges", j)); err != nil {
			return err
		}
	}
	if err := checkKept(f+".database_specific", af.DatabaseSpecific); err != nil {
		return err
	}
	if err := checkKept(f+".ecosystem_specific", af.EcosystemSpecific); err != nil {
		return err
	}
	for j, v := range af.Enumerated {
		if err := CheckLine(index(f+".enumerated", j), v, MaxShortFieldLen, true); err != nil {
			return err
		}
	}
	return nil
}

// MaxKeptBytes bounds what an imported record's database_specific or
// ecosystem_specific may hold, as JSON.
const MaxKeptBytes = 16 << 10

// checkKept checks a kept database_specific or ecosystem_specific: JSON
// of at most MaxKeptBytes.
func checkKept(field string, m map[string]any) error {
	if len(m) == 0 {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return Invalid(field, "is not JSON: %v", err)
	}
	if len(b) > MaxKeptBytes {
		return Invalid(field, "is %d bytes as JSON, more than %d", len(b), MaxKeptBytes)
	}
	return nil
}

func (r *VersionRange) validate(f string) error {
	for name, v := range map[string]string{".branch": r.Branch, ".introduced": r.Introduced, ".fixed": r.Fixed, ".last_affected": r.LastAffected} {
		if err := CheckLine(f+name, v, MaxShortFieldLen, false); err != nil {
			return err
		}
	}
	if r.Fixed != "" && r.LastAffected != "" {
		return Invalid(f, "has both fixed and last_affected; give one")
	}
	if r.Type != "" && r.Type != RangeSemVer && r.Type != RangeEcosystem {
		return Invalid(f+".type", "%q is not a range type (want %s or %s)", r.Type, RangeSemVer, RangeEcosystem)
	}
	return nil
}

func (a *Advisory) validateCredits() error {
	if len(a.Credits) > MaxCredits {
		return Invalid("credits", "more than %d credits", MaxCredits)
	}
	for i, c := range a.Credits {
		f := index("credits", i)
		if err := CheckLine(f+".name", c.Name, MaxShortFieldLen, true); err != nil {
			return err
		}
		if err := CheckLine(f+".affiliation", c.Affiliation, MaxShortFieldLen, false); err != nil {
			return err
		}
		if !contains(CreditTypes, c.Type) {
			return Invalid(f+".type", "unknown credit type %q (want one of %s)", c.Type, joinTypes(CreditTypes))
		}
		for j, ct := range c.Contact {
			if err := checkContact(index(f+".contact", j), ct); err != nil {
				return err
			}
		}
	}
	return nil
}

func (a *Advisory) validateIDs() error {
	if err := checkKept("database_specific", a.DatabaseSpecific); err != nil {
		return err
	}
	if err := CheckCVEs(a.CVEs); err != nil {
		return err
	}
	checks := []struct {
		field string
		xs    []string
		re    *regexp.Regexp
		want  string
	}{
		{"cwes", a.CWEs, cweRE, "a CWE id (CWE-79)"},
		{"cvss", a.CVSS, cvssRE, "a CVSS vector (CVSS:3.1/AV:N/… or CVSS:4.0/AV:N/…)"},
		{"aliases", a.Aliases, aliasRE, "an advisory id (letters, digits, '.', '_', ':' and '-')"},
	}
	for _, c := range checks {
		if len(c.xs) > MaxListItems {
			return Invalid(c.field, "more than %d entries", MaxListItems)
		}
		for i, x := range c.xs {
			if !c.re.MatchString(x) {
				return Invalid(index(c.field, i), "%q is not %s", x, c.want)
			}
			if contains(c.xs[:i], x) {
				return Invalid(index(c.field, i), "%s is listed twice", x)
			}
		}
	}
	return nil
}

func (a *Advisory) validateLinks() error {
	if len(a.References) > MaxReferences {
		return Invalid("references", "more than %d references", MaxReferences)
	}
	for i, r := range a.References {
		f := index("references", i)
		if !contains(ReferenceTypes, r.Type) {
			return Invalid(f+".type", "unknown reference type %q (want one of %s)", r.Type, joinTypes(ReferenceTypes))
		}
		if err := CheckURL(f+".url", r.URL); err != nil {
			return err
		}
	}
	if len(a.Patches) > MaxListItems {
		return Invalid("patches", "more than %d branches", MaxListItems)
	}
	for i, p := range a.Patches {
		f := index("patches", i)
		if err := CheckLine(f+".branch", p.Branch, MaxShortFieldLen, true); err != nil {
			return err
		}
		if len(p.URLs) == 0 || len(p.URLs) > MaxListItems {
			return Invalid(f+".urls", "give from 1 to %d URLs", MaxListItems)
		}
		for j, u := range p.URLs {
			if err := CheckURL(index(f+".urls", j), u); err != nil {
				return err
			}
		}
	}
	return nil
}

func (a *Advisory) validateHistory() error {
	if len(a.Revisions) > MaxListItems {
		return Invalid("revisions", "more than %d revisions", MaxListItems)
	}
	for i, r := range a.Revisions {
		f := index("revisions", i)
		if r.Number != i+1 {
			return Invalid(f+".number", "is %d, want %d: revisions are numbered from 1 in order", r.Number, i+1)
		}
		if r.Date.IsZero() {
			return Invalid(f+".date", "is required")
		}
		if i > 0 && r.Date.Before(a.Revisions[i-1].Date) {
			return Invalid(f+".date", "is before the previous revision's")
		}
		if err := CheckLine(f+".summary", r.Summary, MaxShortFieldLen, true); err != nil {
			return err
		}
	}
	public := a.Public()
	switch {
	case public && a.Published == nil:
		return Invalid("published", "is required once the document is %s", a.State)
	case a.State == AdvisoryWithdrawn && a.Withdrawn == nil:
		return Invalid("withdrawn", "is required for a withdrawn document")
	case a.State != AdvisoryWithdrawn && a.Withdrawn != nil:
		return Invalid("withdrawn", "is set but the document is %s", a.State)
	case a.Modified != nil && a.Published != nil && a.Modified.Before(*a.Published):
		return Invalid("modified", "is before published")
	}
	return nil
}

// CheckURL accepts an absolute http or https URL with a host, and nothing
// a reader could be tricked by: no spaces, no control characters, no
// user:password part.
func CheckURL(field, s string) error {
	if len(s) > MaxURLLen {
		return Invalid(field, "is longer than %d bytes", MaxURLLen)
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f || isBidiControl(r) }) {
		return Invalid(field, "%q contains spaces or control characters", s)
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Invalid(field, "%q is not an http or https URL", s)
	}
	if u.User != nil {
		return Invalid(field, "%q carries a user name", s)
	}
	return nil
}

func checkContact(field, s string) error {
	if rest, ok := strings.CutPrefix(s, "mailto:"); ok {
		s = rest
	} else if strings.Contains(s, "://") {
		return CheckURL(field, s)
	}
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
		return Invalid(field, "%q is neither an http(s) URL nor a mail address", s)
	}
	return nil
}

// CheckLine is checkText for one-line fields: names and titles, which
// checkText already keeps free of bidirectional controls and invisible
// characters (text.go).
func CheckLine(field, s string, max int, required bool) error {
	if err := CheckText(field, s, max, required); err != nil {
		return err
	}
	if strings.ContainsAny(s, "\r\n") {
		return Invalid(field, "must be one line")
	}
	return nil
}

func index(field string, i int) string { return fmt.Sprintf("%s[%d]", field, i) }

func joinTypes[T ~string](ts []T) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}
