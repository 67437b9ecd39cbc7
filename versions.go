package vmt

import (
	"regexp"
	"strings"
)

// Affected versions are written in the VMT syntax the OpenStack and Kata
// advisories use: clauses separated by "," or "and", each one of
//
//	<3.2.1           every version before 3.2.1 (fixed in 3.2.1)
//	<=3.2.0          every version up to 3.2.0 (the last affected)
//	>=3.0.0 <3.2.1   from 3.0.0 (introduced) to before 3.2.1
//	>=3.0.0 <=3.2.0  from 3.0.0 to 3.2.0
//	>=3.3.0          from 3.3.0, not fixed yet
//	==3.3.0-dev      that version alone (a bare 3.3.0-dev means the same)
//	all              every version, not fixed yet
//
// so ">=8.0.0 <8.1.1 and ==9.0.0" and "<3.2.1, >=3.3.0 <3.3.2" both
// read. ParseVersions is the one reader and VersionSet.String the one
// writer: every text, form and export shows a set as String writes it.

// VersionSet is a parsed affected-versions text: runs of versions and
// versions named one by one, in the order written.
type VersionSet struct {
	Ranges []VersionRange
	Exact  []string
}

// versionRE is one version: it starts with a digit (or v and a digit) and
// holds no space nor operator, so that it can be written back unchanged.
var versionRE = regexp.MustCompile(`^[vV]?[0-9][0-9A-Za-z.+~_-]*$`)

// opSpaceRE joins an operator to its version: "<= 1.2.3" is "<=1.2.3".
var opSpaceRE = regexp.MustCompile(`(>=|<=|==|<|>|=)\s+`)

// clauseSepRE splits clauses: a comma, or the word "and".
var clauseSepRE = regexp.MustCompile(`\s*,\s*|\s+and\s+`)

// ParseVersions reads s in the VMT syntax. An error is EINVALID naming
// field and the clause at fault, with what is accepted.
func ParseVersions(field, s string) (VersionSet, error) {
	var v VersionSet
	// The text rule first: an invisible character is named as such, not
	// as a version that does not parse.
	if err := CheckLine(field, s, MaxVersionsLen, false); err != nil {
		return v, err
	}
	s = strings.TrimSpace(opSpaceRE.ReplaceAllString(s, "$1"))
	if s == "" {
		return v, Invalid(field, "is empty: write the affected versions (<3.2.1, >=3.0.0 <3.2.1, ==3.3.0, all)")
	}
	for _, clause := range clauseSepRE.Split(s, -1) {
		r, exact, err := parseClause(clause)
		if err != nil {
			return VersionSet{}, Invalid(field, "%q: %v (write <3.2.1, <=3.2.0, >=3.0.0 <3.2.1, >=3.3.0, ==3.3.0 or all, clauses separated by commas)", clause, err)
		}
		if exact != "" {
			v.Exact = append(v.Exact, exact)
		} else {
			v.Ranges = append(v.Ranges, r)
		}
	}
	return v, nil
}

type versionErr string

func (e versionErr) Error() string { return string(e) }

func parseClause(clause string) (VersionRange, string, error) {
	var r VersionRange
	parts := strings.Fields(clause)
	switch {
	case len(parts) == 0:
		return r, "", versionErr("an empty clause")
	case len(parts) == 1 && (strings.EqualFold(parts[0], "all") || parts[0] == "*"):
		return VersionRange{Introduced: "0"}, "", nil
	case len(parts) == 2 && strings.EqualFold(clause, "all versions"):
		return VersionRange{Introduced: "0"}, "", nil
	case len(parts) > 2:
		return r, "", versionErr("more than a lower and an upper bound")
	}
	var ops []string
	for _, p := range parts {
		op, ver := splitOp(p)
		if !versionRE.MatchString(ver) {
			return r, "", versionErr("not a version: " + quote(ver))
		}
		switch op {
		case ">=":
			r.Introduced = ver
		case "<":
			r.Fixed = ver
		case "<=":
			r.LastAffected = ver
		case "==", "=", "":
			if len(parts) > 1 {
				return r, "", versionErr("a single version cannot be part of a range")
			}
			return VersionRange{}, ver, nil
		default:
			return r, "", versionErr(op + " is not an operator here (use >=, <, <= or ==)")
		}
		ops = append(ops, op)
	}
	switch strings.Join(ops, " ") {
	case "<", "<=":
		r.Introduced = "0"
	case ">=", ">= <", ">= <=":
	case "< >=", "<= >=":
		return r, "", versionErr("write the lower bound first")
	default:
		return r, "", versionErr("a range is >=A followed by <B or <=B")
	}
	return r, "", nil
}

// splitOp splits ">=1.2" into ">=" and "1.2"; a bare version has no op.
func splitOp(s string) (string, string) {
	for _, op := range []string{">=", "<=", "==", "<", ">", "="} {
		if strings.HasPrefix(s, op) {
			return op, s[len(op):]
		}
	}
	return "", s
}

func quote(s string) string { return `"` + s + `"` }

// String writes the set in the VMT syntax, the form ParseVersions reads
// back to the same set: ranges first, then the versions one by one.
func (v VersionSet) String() string {
	var parts []string
	for _, r := range v.Ranges {
		parts = append(parts, RangeText(r))
	}
	for _, e := range v.Exact {
		parts = append(parts, "=="+e)
	}
	return strings.Join(parts, ", ")
}

// RangeText writes one range in the VMT syntax: ">=3.0.0 <3.2.1", "all".
func RangeText(r VersionRange) string {
	var p []string
	if r.Introduced != "" && r.Introduced != "0" {
		p = append(p, ">="+r.Introduced)
	}
	switch {
	case r.Fixed != "":
		p = append(p, "<"+r.Fixed)
	case r.LastAffected != "":
		p = append(p, "<="+r.LastAffected)
	}
	if len(p) == 0 {
		return "all"
	}
	return strings.Join(p, " ")
}

// NormalVersions returns s as String writes it when it parses, and s
// trimmed otherwise (prose from an import: "Grizzly and later").
func NormalVersions(s string) string {
	v, err := ParseVersions("versions", s)
	if err != nil {
		return strings.TrimSpace(s)
	}
	return v.String()
}

// semverRE is a SemVer 2.0.0 version (semver.org's own expression): no
// "v", three numbers, then a pre-release and build metadata if any.
var semverRE = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// IsSemVer reports whether v is a SemVer 2.0.0 version.
func IsSemVer(v string) bool { return semverRE.MatchString(v) }

// AllSemVer reports whether every bound of rs and every version of exact
// is SemVer ("0", from the start, counts as one): only then may an export
// say that the set compares as SemVer ("19.03.0" and "v3.2.1" are not).
func AllSemVer(rs []VersionRange, exact []string) bool {
	for _, r := range rs {
		for _, v := range []string{r.Introduced, r.Fixed, r.LastAffected} {
			if v != "" && v != "0" && !IsSemVer(v) {
				return false
			}
		}
	}
	for _, v := range exact {
		if !IsSemVer(v) {
			return false
		}
	}
	return true
}

// Contains reports whether v is in r: from Introduced ("" or "0": from
// the start) on, before Fixed or up to LastAffected (neither: on and on).
// Versions compare as CompareVersions orders them, the order of the
// versions the VMT syntax takes; an ecosystem with its own order (PyPI's
// 1.0rc1, Debian's epochs) is ordered by the consumer of the export, not
// here.
func (r VersionRange) Contains(v string) bool {
	if r.Introduced != "" && r.Introduced != "0" && CompareVersions(v, r.Introduced) < 0 {
		return false
	}
	switch {
	case r.Fixed != "":
		return CompareVersions(v, r.Fixed) < 0
	case r.LastAffected != "":
		return CompareVersions(v, r.LastAffected) <= 0
	}
	return true
}

// CompareVersions orders two versions (-1, 0, +1) as SemVer 2.0.0 orders
// them, widened to the versions projects write: a leading "v" and build
// metadata ("+…") are ignored; the release is any number of dot-separated
// parts, numbers compared as numbers, a missing part as 0 (3.2 is 3.2.0),
// a part that is not a number after every number and by its text; a
// release with a pre-release ("-rc1") comes before the release itself,
// pre-releases compared identifier by identifier as SemVer does.
func CompareVersions(a, b string) int {
	ra, pa := splitVersion(a)
	rb, pb := splitVersion(b)
	n := max(len(ra), len(rb))
	for i := 0; i < n; i++ {
		x, y := "0", "0"
		if i < len(ra) {
			x = ra[i]
		}
		if i < len(rb) {
			y = rb[i]
		}
		if c := compareIdent(x, y); c != 0 {
			return c
		}
	}
	switch {
	case pa == nil && pb == nil:
		return 0
	case pa == nil:
		return 1
	case pb == nil:
		return -1
	}
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if c := compareIdent(pa[i], pb[i]); c != 0 {
			return c
		}
	}
	return cmpInt(len(pa), len(pb))
}

// splitVersion returns the release parts and the pre-release identifiers
// (nil when there is none) of v.
func splitVersion(v string) (release, pre []string) {
	v = strings.TrimPrefix(strings.TrimPrefix(v, "v"), "V")
	v, _, _ = strings.Cut(v, "+")
	rel, p, hasPre := strings.Cut(v, "-")
	release = strings.Split(rel, ".")
	if hasPre {
		pre = strings.Split(p, ".")
	}
	return release, pre
}

// compareIdent compares two parts: numbers as numbers (of any length,
// without leading zeros), before any text; texts as strings.
func compareIdent(x, y string) int {
	nx, ny := isDigits(x), isDigits(y)
	switch {
	case nx && ny:
		x, y = strings.TrimLeft(x, "0"), strings.TrimLeft(y, "0")
		if c := cmpInt(len(x), len(y)); c != 0 {
			return c
		}
		return strings.Compare(x, y)
	case nx:
		return -1
	case ny:
		return 1
	}
	return strings.Compare(x, y)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
