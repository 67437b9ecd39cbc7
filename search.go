package vmt

import (
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
