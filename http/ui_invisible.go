package http

import (
	"bytes"
	"fmt"
	"html"
	"unicode/utf8"

	"github.com/vmtproject/vmt"
)

// showInvisible returns a rendered page with every character a reader
// cannot see (vmt.Invisible: bidirectional controls, zero-width and other
// format characters) made visible, so that a description, a comment or
// any other text shows what it holds, as GitHub does. It is applied to the
// whole page in render, so no template can forget it:
//
//   - in text, the character becomes a marked <U+202E> whose title says
//     what it is;
//   - inside a tag (an attribute value), the escape alone, &lt;U+202E&gt;,
//     which is safe there: html/template and the Markdown sanitizer escape
//     every '<' and '>' of user text, so a raw '<' or '>' in the page is
//     always our own markup;
//   - inside a <textarea>, the text is left as written, so that editing a
//     body and saving it does not replace its characters by their escapes
//     (the same text is shown escaped where the page displays it).
func showInvisible(page []byte) []byte {
	if !hasInvisible(page) {
		return page
	}
	var out bytes.Buffer
	out.Grow(len(page) + 256)
	inTag, inTextarea := false, false
	prev := utf8.RuneError
	for i := 0; i < len(page); {
		c, n := utf8.DecodeRune(page[i:])
		next, _ := utf8.DecodeRune(page[i+n:])
		switch {
		case c == '<':
			inTag = true
			switch {
			case hasPrefixFold(page[i:], "<textarea"):
				inTextarea = true
			case hasPrefixFold(page[i:], "</textarea"):
				inTextarea = false
			}
		case c == '>':
			inTag = false
		}
		switch {
		case inTextarea && !inTag, !vmt.Invisible(prev, c, next):
			out.Write(page[i : i+n])
		case inTag:
			out.WriteString(html.EscapeString(vmt.VisibleEscape(c)))
		default:
			fmt.Fprintf(&out, `<span class="invisible-char" title="An invisible or direction-changing character, U+%04X, is here">%s</span>`,
				c, html.EscapeString(vmt.VisibleEscape(c)))
		}
		prev, i = c, i+n
	}
	return out.Bytes()
}

// hasInvisible is a fast test for the common page, which has none.
func hasInvisible(page []byte) bool {
	prev := utf8.RuneError
	for i := 0; i < len(page); {
		if page[i] < utf8.RuneSelf {
			prev, i = rune(page[i]), i+1
			continue
		}
		c, n := utf8.DecodeRune(page[i:])
		next, _ := utf8.DecodeRune(page[i+n:])
		if vmt.Invisible(prev, c, next) {
			return true
		}
		prev, i = c, i+n
	}
	return false
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && bytes.EqualFold(b[:len(prefix)], []byte(prefix))
}
