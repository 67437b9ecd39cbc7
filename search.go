package vmt

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxQueryLength is the longest search query, in characters.
const MaxQueryLength = 200

// MaxSearchMatches bounds the work of one search. A search considers the
// newest MaxSearchMatches reports that match it and that the viewer may
// see, ranks those best match first, and counts at most one more than
// that: a count above MaxSearchMatches means "more than MaxSearchMatches".
// A query so broad that it matches more is refined, not paged through;
// the cost of a search is then bounded whatever the store holds.
const MaxSearchMatches = 1000

// CheckQuery refuses a search query that is too long or holds a control
// character (a newline included: a query is one line), as field "q".
func CheckQuery(q string) error {
	if !utf8.ValidString(q) {
		return Invalid("q", "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(q); n > MaxQueryLength {
		return Invalid("q", "has %d characters, more than the limit of %d", n, MaxQueryLength)
	}
	for _, c := range q {
		if unicode.IsControl(c) {
			return Invalid("q", "contains the control character %U", c)
		}
	}
	return nil
}

// SearchIDKind names a kind of identifier a query may hold.
type SearchIDKind string

const (
	SearchCVE      SearchIDKind = "cve"      // CVE-2026-10700
	SearchGHSA     SearchIDKind = "ghsa"     // GHSA-xxxx-xxxx-xxxx
	SearchAdvisory SearchIDKind = "advisory" // KCSA-2026-001, KCSN-2026-002, OSSA-2014-039
	SearchReport   SearchIDKind = "report"   // #123, a report's number
)

// SearchID is an identifier named by a word of a query. An id is matched
// whole and exactly: CVE-2026-10700 is not a prefix of CVE-2026-107000,
// which is another vulnerability, so the last word of a query, searched as
// a prefix while it is being typed, is not when it is an id. A report that
// carries the id itself (the CVE among its CVE ids, the report of that
// number) ranks before those that only mention it.
type SearchID struct {
	Kind SearchIDKind
	ID   string // in its canonical case: CVE-2026-10700, GHSA-jfh8-c2jp-5v3q, KCSA-2026-001
	// Report is the report's number, for SearchReport.
	Report int64
}

var (
	searchCVERE      = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,19}$`)
	searchGHSARE     = regexp.MustCompile(`^GHSA(-[23456789CFGHJMPQRVWX]{4}){3}$`)
	searchAdvisoryRE = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,9}-[0-9]{4}-[0-9]{1,9}$`)
	searchReportRE   = regexp.MustCompile(`^#[0-9]{1,18}$`)
)

// ParseSearchID tells whether word, one run of non-space characters of a
// query, is an identifier, in any case and with the punctuation of a
// sentence around it ("(CVE-2026-10700),"). A CVE number too short to be
// one (CVE-2026-107) is not an id: it is the start of one, a prefix.
func ParseSearchID(word string) (SearchID, bool) {
	w := strings.TrimFunc(word, func(c rune) bool {
		return c != '#' && !unicode.IsLetter(c) && !unicode.IsDigit(c)
	})
	if searchReportRE.MatchString(w) {
		n, err := strconv.ParseInt(w[1:], 10, 64)
		if err != nil || n < 1 {
			return SearchID{}, false
		}
		return SearchID{Kind: SearchReport, ID: w, Report: n}, true
	}
	u := strings.ToUpper(w)
	switch {
	case searchCVERE.MatchString(u):
		return SearchID{Kind: SearchCVE, ID: u}, true
	case searchGHSARE.MatchString(u):
		// GHSA ids are written with lower-case letters after the prefix.
		return SearchID{Kind: SearchGHSA, ID: "GHSA" + strings.ToLower(u[4:])}, true
	case searchAdvisoryRE.MatchString(u) && !strings.HasPrefix(u, "CVE-"):
		return SearchID{Kind: SearchAdvisory, ID: u}, true
	}
	return SearchID{}, false
}
