package gitrepo

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// File is one file a patch changes.
type File struct {
	OldPath string // "" for a created file
	NewPath string // "" for a deleted file
	OldMode string // "" unless the mode changes or the file is deleted
	NewMode string // "" unless the mode changes or the file is created
	Hunks   int
	Added   int // lines
	Removed int
}

// Path returns the name the file has after the patch, or had before it if
// the patch deletes it.
func (f File) Path() string {
	if f.NewPath != "" {
		return f.NewPath
	}
	return f.OldPath
}

// diffParser reads the diff of one patch, strictly: every line has to be
// part of git's diff format, hunks are read by their counts, and whatever
// could write outside the repository is refused.
type diffParser struct {
	lines []string // each with its "\n", except perhaps the last
	i     int
	first int // line number of lines[0] in the whole input
	lim   Limits
	files *int // files seen so far in the series
	out   []File
}

func (p *diffParser) errf(format string, args ...any) error {
	return invalidf("line %d: "+format, append([]any{p.first + p.i}, args...)...)
}

// parse reads files until the signature ("-- ") or the end, and returns the
// number of lines that belong to the diff.
func (p *diffParser) parse() (int, error) {
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		switch {
		case strings.HasPrefix(l, "diff --git "):
			if err := p.file(); err != nil {
				return 0, err
			}
		case strings.TrimRight(l, "\n") == "-- ":
			return p.i, nil
		case strings.TrimSpace(strings.Join(p.lines[p.i:], "")) == "":
			return p.i, nil
		default:
			return 0, p.errf("unexpected text %q after a file's diff", clip(l))
		}
	}
	return p.i, nil
}

func (p *diffParser) file() error {
	if *p.files++; *p.files > p.lim.MaxFiles {
		return tooLargef("the series changes more than %d files", p.lim.MaxFiles)
	}
	a, b, err := gitLinePaths(strings.TrimPrefix(p.line(), "diff --git "))
	if err != nil {
		return p.errf("%v", err)
	}
	for _, name := range []string{a, b} {
		if err := checkPath(name); err != nil {
			return p.errf("%v", err)
		}
	}
	f := File{OldPath: a, NewPath: b}
	p.i++
	if err := p.header(&f); err != nil {
		return err
	}
	if strings.HasPrefix(p.line(), "--- ") {
		if err := p.names(&f); err != nil {
			return err
		}
		if f.OldPath != "" && f.OldPath != a || f.NewPath != "" && f.NewPath != b {
			return p.errf("the file names of the ---/+++ lines differ from those of the diff --git line")
		}
		for strings.HasPrefix(p.line(), "@@ ") {
			if err := p.hunk(&f); err != nil {
				return err
			}
		}
		if f.Hunks == 0 {
			return p.errf("file %s has no hunk", f.Path())
		}
	}
	if err := checkFile(f); err != nil {
		return p.errf("%v", err)
	}
	p.out = append(p.out, f)
	return nil
}

// line returns the current line without its newline, or "" at the end.
func (p *diffParser) line() string {
	if p.i >= len(p.lines) {
		return ""
	}
	return strings.TrimSuffix(p.lines[p.i], "\n")
}

// header reads git's extended header lines (modes, renames, index).
func (p *diffParser) header(f *File) error {
	for ; p.i < len(p.lines); p.i++ {
		l := p.line()
		key, val := headerKey(l)
		var err error
		switch key {
		case "old mode ", "deleted file mode ":
			f.OldMode = val
			if key == "deleted file mode " {
				f.NewPath = ""
			}
		case "new mode ", "new file mode ":
			f.NewMode = val
			if key == "new file mode " {
				f.OldPath = ""
			}
		case "rename from ", "copy from ":
			f.OldPath, err = headerPath(val)
		case "rename to ", "copy to ":
			f.NewPath, err = headerPath(val)
		case "index ", "similarity index ", "dissimilarity index ":
		case "Binary files ", "GIT binary patch":
			return p.errf("binary changes are refused (%s)", f.Path())
		default:
			return nil
		}
		if err != nil {
			return p.errf("%v", err)
		}
	}
	return nil
}

// headerPath reads and checks the name of a rename or copy line.
func headerPath(val string) (string, error) {
	name, err := unquotePath(val)
	if err != nil {
		return "", err
	}
	return name, checkPath(name)
}

var headerKeys = []string{
	"old mode ", "new mode ", "deleted file mode ", "new file mode ",
	"rename from ", "rename to ", "copy from ", "copy to ",
	"index ", "similarity index ", "dissimilarity index ",
	"Binary files ", "GIT binary patch",
}

func headerKey(l string) (string, string) {
	for _, k := range headerKeys {
		if strings.HasPrefix(l, k) {
			return k, l[len(k):]
		}
	}
	return "", ""
}

// names reads the "--- a/x" and "+++ b/x" lines.
func (p *diffParser) names(f *File) error {
	old, err := labelPath(strings.TrimPrefix(p.line(), "--- "), "a/")
	if err != nil {
		return p.errf("%v", err)
	}
	p.i++
	if !strings.HasPrefix(p.line(), "+++ ") {
		return p.errf(`"---" line without "+++" line`)
	}
	new, err := labelPath(strings.TrimPrefix(p.line(), "+++ "), "b/")
	if err != nil {
		return p.errf("%v", err)
	}
	p.i++
	f.OldPath, f.NewPath = old, new
	return nil
}

// hunk reads one hunk by the counts of its header.
func (p *diffParser) hunk(f *File) error {
	before, after, ok := hunkCounts(p.line())
	if !ok {
		return p.errf("malformed hunk header %q", clip(p.line()))
	}
	if before+after > p.lim.MaxHunkLines {
		return tooLargef("line %d: a hunk of %d lines is over the limit of %d", p.first+p.i, before+after, p.lim.MaxHunkLines)
	}
	f.Hunks++
	for p.i++; before > 0 || after > 0; p.i++ {
		if p.i >= len(p.lines) {
			return p.errf("the hunk ends early")
		}
		switch l := p.lines[p.i]; {
		case l == "":
			return p.errf("the hunk ends early")
		case l[0] == ' ' || l == "\n":
			before--
			after--
		case l[0] == '-':
			before--
			f.Removed++
		case l[0] == '+':
			after--
			f.Added++
		case strings.HasPrefix(l, `\ `):
		default:
			return p.errf("unexpected line %q in a hunk", clip(l))
		}
		if before < 0 || after < 0 {
			return p.errf("the hunk has more lines than its header says")
		}
	}
	if strings.HasPrefix(p.line(), `\ `) {
		p.i++
	}
	return nil
}

// hunkCounts parses "@@ -a[,b] +c[,d] @@" into b and d.
func hunkCounts(l string) (int, int, bool) {
	rest, ok := strings.CutPrefix(l, "@@ -")
	if !ok {
		return 0, 0, false
	}
	ranges, _, ok := strings.Cut(rest, " @@")
	old, new, ok2 := strings.Cut(ranges, " +")
	if !ok || !ok2 {
		return 0, 0, false
	}
	b, ok := rangeCount(old)
	d, ok2 := rangeCount(new)
	return b, d, ok && ok2
}

func rangeCount(r string) (int, bool) {
	start, count, has := strings.Cut(r, ",")
	if _, err := strconv.ParseUint(start, 10, 31); err != nil {
		return 0, false
	}
	if !has {
		return 1, true
	}
	n, err := strconv.ParseUint(count, 10, 31)
	return int(n), err == nil
}

// labelPath reads the name of a "---" or "+++" line: /dev/null, or prefix
// followed by the name, perhaps quoted, perhaps followed by a tab.
func labelPath(s, prefix string) (string, error) {
	s = strings.TrimSuffix(s, "\t")
	if s == "/dev/null" {
		return "", nil
	}
	s, err := unquotePath(s)
	if err != nil {
		return "", err
	}
	name, ok := strings.CutPrefix(s, prefix)
	if !ok || name == "" {
		return "", fmt.Errorf("file name %q does not start with %q", clip(s), prefix)
	}
	return name, nil
}

// gitLinePaths splits the names of a "diff --git a/x b/x" line. An unquoted
// line is ambiguous when names have spaces; it is split where both halves
// name the same file, or at its only " b/".
func gitLinePaths(rest string) (string, string, error) {
	if strings.HasPrefix(rest, `"`) || strings.HasSuffix(rest, `"`) {
		return quotedPair(rest)
	}
	var a, b string
	if n := len(rest); n >= 7 && n%2 == 1 && rest[n/2] == ' ' && rest[2:n/2] == rest[n/2+3:] {
		a, b = rest[:n/2], rest[n/2+1:]
	} else if strings.Count(rest, " b/") == 1 {
		a, b, _ = strings.Cut(rest, " b/")
		b = "b/" + b
	} else {
		return "", "", fmt.Errorf("cannot tell the file names apart in %q", clip(rest))
	}
	return gitLineNames(a, b)
}

// quotedPair splits a "diff --git" line where one name or both are quoted.
func quotedPair(rest string) (string, string, error) {
	var a, b string
	if strings.HasPrefix(rest, `"`) {
		end := closingQuote(rest)
		if end < 0 || end+1 >= len(rest) || rest[end+1] != ' ' {
			return "", "", fmt.Errorf("malformed quoted name in %q", clip(rest))
		}
		a, b = rest[:end+1], rest[end+2:]
	} else {
		i := strings.Index(rest, ` "`)
		if i < 0 {
			return "", "", fmt.Errorf("malformed quoted name in %q", clip(rest))
		}
		a, b = rest[:i], rest[i+1:]
	}
	var err, err2 error
	a, err = unquotePath(a)
	b, err2 = unquotePath(b)
	if err != nil || err2 != nil {
		return "", "", fmt.Errorf("malformed quoted name in %q", clip(rest))
	}
	return gitLineNames(a, b)
}

func gitLineNames(a, b string) (string, string, error) {
	a, ok := strings.CutPrefix(a, "a/")
	b, ok2 := strings.CutPrefix(b, "b/")
	if !ok || !ok2 {
		return "", "", fmt.Errorf("file names %q and %q lack the a/ and b/ prefixes", clip(a), clip(b))
	}
	return a, b, nil
}

func closingQuote(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}

// checkFile refuses unsafe names and any mode but a regular file's: a
// symbolic link or a submodule could point a later write outside the tree.
func checkFile(f File) error {
	for _, name := range []string{f.OldPath, f.NewPath} {
		if name == "" {
			continue
		}
		if err := checkPath(name); err != nil {
			return err
		}
	}
	if f.OldPath == "" && f.NewPath == "" {
		return fmt.Errorf("a file diff names no file")
	}
	for _, m := range []string{f.OldMode, f.NewMode} {
		if m != "" && m != "100644" && m != "100755" {
			return fmt.Errorf("%s: mode %s is refused (only regular files may be patched)", f.Path(), clip(m))
		}
	}
	return nil
}

// clip shortens a piece of input quoted in an error message.
func clip(s string) string {
	s = strings.TrimSuffix(s, "\n")
	if len(s) <= 80 {
		return s
	}
	n := 80
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
