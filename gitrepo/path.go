package gitrepo

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// checkPath refuses a file name from a patch that could write anywhere but
// an ordinary file inside the repository: absolute names, empty, "." or ".."
// components, any component git treats as its own directory (".git" with any
// case, trailing dots or spaces, or its 8.3 short name), control characters,
// backslashes and names that are not UTF-8.
func checkPath(p string) error {
	switch {
	case p == "" || len(p) > 4096:
		return errors.New("empty or overlong file name")
	case !utf8.ValidString(p):
		return fmt.Errorf("file name %q is not UTF-8", p)
	case strings.HasPrefix(p, "/"):
		return fmt.Errorf("file name %q is absolute", p)
	case strings.ContainsRune(p, '\\'):
		return fmt.Errorf("file name %q has a backslash", p)
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f {
			return fmt.Errorf("file name %q has a control character", p)
		}
	}
	for _, part := range strings.Split(p, "/") {
		if err := checkComponent(part); err != nil {
			return fmt.Errorf("file name %q: %w", p, err)
		}
	}
	return nil
}

func checkComponent(part string) error {
	switch part {
	case "":
		return errors.New("empty component")
	case ".", "..":
		return fmt.Errorf("component %q leaves the repository", part)
	}
	bare := strings.ToLower(strings.TrimRight(part, ". "))
	if bare == ".git" || bare == "git~1" {
		return fmt.Errorf("component %q is git's own directory", part)
	}
	return nil
}

// unquotePath undoes git's C-style quoting of a file name ("a/\303\251.go"),
// which git uses for names with special or non-ASCII characters.
func unquotePath(s string) (string, error) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return s, nil
	}
	s = s[1 : len(s)-1]
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return "", fmt.Errorf("quoted file name has a bare '\"'")
		case c != '\\':
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(s) {
			return "", errors.New("quoted file name ends in '\\'")
		}
		if n, ok := octal(s[i:]); ok {
			b.WriteByte(n)
			i += 2
			continue
		}
		e := strings.IndexByte(`abtnvfr"\`, s[i])
		if e < 0 {
			return "", fmt.Errorf("quoted file name has an unknown escape \\%c", s[i])
		}
		b.WriteByte("\a\b\t\n\v\f\r\"\\"[e])
	}
	return b.String(), nil
}

// octal reads a three-digit octal escape of one byte.
func octal(s string) (byte, bool) {
	if len(s) < 3 || s[0] < '0' || s[0] > '3' {
		return 0, false
	}
	n := 0
	for _, c := range []byte(s[:3]) {
		if c < '0' || c > '7' {
			return 0, false
		}
		n = n*8 + int(c-'0')
	}
	return byte(n), true
}
