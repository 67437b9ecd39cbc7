package vmt

import (
	"unicode"
	"unicode/utf8"
)

// MaxQueryLength is the longest search query, in characters.
const MaxQueryLength = 200

// checkQuery refuses a search query that is too long or holds a control
// character (a newline included: a query is one line), as field "q".
func checkQuery(q string) error {
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
