package vmt

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The one rule for characters a reader cannot see.
//
// Bidirectional controls (U+202E RIGHT-TO-LEFT OVERRIDE and friends) make
// text read as something other than what it is ("Trojan Source"), and
// zero-width and other format characters (Unicode category Cf: U+200B,
// U+2060, U+FEFF, U+00AD, tags...) and blank fillers make two different
// strings look the same. The rule depends on the kind of field:
//
//   - A one-line name (a report or advisory title, a display name, an
//     organisation, a component, a branch, a token name) and a short plain
//     text (credit, terms, reasons, notes) refuses them: these are shown
//     in lists, mail subjects and exports, where nothing can flag them,
//     and a name never needs them. checkLine and checkText apply it.
//   - A Markdown body (a description, a comment, an impact text, an
//     advisory's text) keeps them as written and every page and text
//     document shows them as visible escapes (<U+202E>), as GitHub does
//     (ShowInvisible, applied to every rendered page and document). A body
//     holds the evidence: a proof of concept of a Trojan Source flaw, a log
//     or a patch may need the very characters, and refusing them would
//     make the reporter alter what they report. The stored text stays the
//     reporter's; only its display changes.
//
// The zero-width joiner and non-joiner (U+200D, U+200C) are needed between
// two characters of a script or an emoji sequence (👩‍💻, Persian and Indic
// words), so there they are visible text and allowed everywhere; next to
// ASCII, a space, another invisible character or an end of the text, where
// they only split or disguise a word, they are invisible. The tag
// characters U+E0020..U+E007F likewise belong to a subdivision flag after
// U+1F3F4.

// Invisible reports whether c, between prev and next (utf8.RuneError at an
// end of the text), is a character a reader cannot see: a bidirectional
// control, a format character (Cf) out of the places above, a line or
// paragraph separator, or a blank filler.
func Invisible(prev, c, next rune) bool {
	switch {
	case c == 0x200C || c == 0x200D:
		return !joinable(prev) || !joinable(next)
	case c >= 0xE0020 && c <= 0xE007F:
		return prev != 0x1F3F4 && !(prev >= 0xE0020 && prev <= 0xE007F)
	case isBidiControl(c), unicode.Is(unicode.Cf, c):
		return true
	case c == 0x2028 || c == 0x2029:
		return true
	case c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x2800:
		return true // Hangul fillers and the blank Braille pattern
	}
	return false
}

// joinable is a character a joiner may stand beside: visible and outside
// ASCII (letters, marks, symbols of a script or an emoji).
func joinable(c rune) bool {
	return c > 0x7F && c != utf8.RuneError && !unicode.IsSpace(c) && !unicode.Is(unicode.Cf, c) &&
		(unicode.IsLetter(c) || unicode.IsMark(c) || unicode.IsSymbol(c))
}

// firstInvisible returns the first invisible character of s, or false.
func firstInvisible(s string) (rune, bool) {
	prev := utf8.RuneError
	for i := 0; i < len(s); {
		c, n := utf8.DecodeRuneInString(s[i:])
		next, _ := utf8.DecodeRuneInString(s[i+n:])
		if Invisible(prev, c, next) {
			return c, true
		}
		prev, i = c, i+n
	}
	return 0, false
}

// checkVisible refuses a text with a character a reader cannot see.
func checkVisible(field, s string) error {
	c, ok := firstInvisible(s)
	if !ok {
		return nil
	}
	if isBidiControl(c) {
		return Invalid(field, "contains the bidirectional control character %U", c)
	}
	return Invalid(field, "contains the invisible character %U", c)
}

// ShowInvisible returns s with every invisible character written as a
// visible escape, <U+202E>, for a text document (a mail, an advisory's
// text). Text without one is returned as it is.
func ShowInvisible(s string) string {
	return MapInvisible(s, func(c rune) string { return VisibleEscape(c) })
}

// VisibleEscape is how an invisible character is shown: <U+202E>.
func VisibleEscape(c rune) string { return fmt.Sprintf("<U+%04X>", c) }

// MapInvisible returns s with every invisible character replaced by
// repl(c); the other characters, joiners in their places included, are
// kept.
func MapInvisible(s string, repl func(c rune) string) string {
	if _, ok := firstInvisible(s); !ok {
		return s
	}
	var b strings.Builder
	prev := utf8.RuneError
	for i := 0; i < len(s); {
		c, n := utf8.DecodeRuneInString(s[i:])
		next, _ := utf8.DecodeRuneInString(s[i+n:])
		if Invisible(prev, c, next) {
			b.WriteString(repl(c))
		} else {
			b.WriteString(s[i : i+n]) // as written, invalid bytes included
		}
		prev, i = c, i+n
	}
	return b.String()
}
