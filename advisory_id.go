package vmt

import (
	"fmt"
	"regexp"
	"strconv"
)

// AdvisoryID names a published document: a prefix, the year and a number
// within that year, written PREFIX-YYYY-NNN (KCSA-2026-001, OSSA-2014-039,
// GO-2026-4517). The zero value means "not numbered yet".
type AdvisoryID struct {
	Prefix string
	Year   int
	Number int
	// Digits is how many digits the number is written with. Imported ids
	// keep their own width (GO-2020-0001) so that they read back the same;
	// our own are written with at least three.
	Digits int
}

var advisoryIDRE = regexp.MustCompile(`^([A-Z][A-Z0-9]{1,9})-([0-9]{4})-([0-9]{1,9})$`)

// ParseAdvisoryID parses PREFIX-YYYY-NNN. The prefix is 2 to 10 capital
// letters or digits starting with a letter, as a project's prefixes are; the
// year is from 1990 to 9999 and the number at least 1. An id that does not
// match is EINVALID on the field "id".
func ParseAdvisoryID(s string) (AdvisoryID, error) {
	m := advisoryIDRE.FindStringSubmatch(s)
	if m == nil {
		return AdvisoryID{}, Invalid("id", "%q is not an advisory id (PREFIX-YYYY-NNN, e.g. KCSA-2026-001)", s)
	}
	year, _ := strconv.Atoi(m[2])
	num, _ := strconv.Atoi(m[3])
	id := AdvisoryID{Prefix: m[1], Year: year, Number: num, Digits: len(m[3])}
	if err := id.Validate(); err != nil {
		return AdvisoryID{}, err
	}
	return id, nil
}

// NewAdvisoryID returns our own numbering: prefix, year and number written
// with at least three digits.
func NewAdvisoryID(prefix string, year, number int) AdvisoryID {
	return AdvisoryID{Prefix: prefix, Year: year, Number: number, Digits: 3}
}

// IsZero reports whether the id is unset.
func (id AdvisoryID) IsZero() bool { return id == AdvisoryID{} }

// String formats the id; the zero id is "".
func (id AdvisoryID) String() string {
	if id.IsZero() {
		return ""
	}
	d := max(id.Digits, 3)
	return fmt.Sprintf("%s-%04d-%0*d", id.Prefix, id.Year, d, id.Number)
}

// Validate checks the parts of a set id.
func (id AdvisoryID) Validate() error {
	switch {
	case !prefixRE.MatchString(id.Prefix):
		return Invalid("id", "prefix %q is not 2 to 10 capital letters or digits starting with a letter", id.Prefix)
	case id.Year < 1990 || id.Year > 9999:
		return Invalid("id", "year %d is out of range", id.Year)
	case id.Number < 1:
		return Invalid("id", "number %d must be at least 1", id.Number)
	case id.Digits > 9:
		return Invalid("id", "number has more than 9 digits")
	}
	return nil
}

// MarshalText writes the id as PREFIX-YYYY-NNN ("" when unset).
func (id AdvisoryID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText parses PREFIX-YYYY-NNN; "" is the zero id.
func (id *AdvisoryID) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*id = AdvisoryID{}
		return nil
	}
	p, err := ParseAdvisoryID(string(b))
	if err != nil {
		return err
	}
	*id = p
	return nil
}
