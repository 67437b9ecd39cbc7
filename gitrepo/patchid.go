package gitrepo

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"strings"
)

// ID is a 20-byte identity, printed in hex like git patch-id prints it.
type ID [20]byte

func (id ID) String() string { return hex.EncodeToString(id[:]) }

// IsZero reports whether id is unset (the identity of an empty diff).
func (id ID) IsZero() bool { return id == ID{} }

// Identity identifies a diff whatever commit it is in.
type Identity struct {
	// Stable is what `git patch-id --stable` prints: it ignores line numbers
	// and whitespace, and the order of files, but not the context lines.
	// git computes it (see patchIDs); Identify leaves it zero.
	Stable ID
	// Lines is the sum of the files' Lines: it ignores context lines too, so
	// a fix rebased onto code that changed around it is still found. This,
	// and the files' hunks, are what git does not compute for us.
	Lines ID
	Files []FileID
}

// FileID identifies the change to one file of a diff.
type FileID struct {
	Path  string // the name after the change (before it, for a deletion)
	Lines ID     // SHA-1 of the name and the changed lines, whitespace removed
	Hunks []ID   // one per hunk that changes text, computed the same way
}

// Identify computes the changed-lines identity of a git diff: a patch's
// diff, or the output of `git log -p` for one commit. Text before the first
// "diff " line is ignored, as is anything after the diff (a format-patch
// signature). Stable is left to git: see patchIDs.
func Identify(diff []byte) Identity {
	s := &idState{}
	for len(diff) > 0 {
		i := bytes.IndexByte(diff, '\n')
		line := diff
		if i >= 0 {
			line, diff = diff[:i+1], diff[i+1:]
		} else {
			diff = nil
		}
		if s.line(line) {
			break
		}
	}
	return s.finish()
}

// idState reads a diff line by line and keeps the changed lines of each
// file and hunk. A hunk's counts ("@@ -a,b +c,d @@") tell where it ends, so
// that a removed line that reads "-- x" or "++ x" is not taken for a
// header.
type idState struct {
	started       bool
	inHunk        bool
	afterHunk     bool // the file has had a hunk, which has ended
	binary        bool // the file is binary: its lines are skipped
	before, after int  // lines of the current hunk still to come
	preOID        []byte
	postOID       []byte

	files  []FileID
	file   hash.Hash // changed lines of the current file
	hunk   hash.Hash // changed lines of the current hunk
	hunkOK bool      // the current hunk changes some text
}

// line takes one line, with its newline; it returns true where the diff
// ends.
func (s *idState) line(line []byte) bool {
	if bytes.HasPrefix(line, []byte("diff ")) {
		s.startFile(line)
		return false
	}
	if !s.started || s.binary {
		return false
	}
	if s.inHunk {
		if s.before > 0 || s.after > 0 {
			s.body(line)
			return false
		}
		s.inHunk, s.afterHunk = false, true
	}
	switch {
	case bytes.HasPrefix(line, []byte("@@ -")):
		s.startHunk(line)
	case s.afterHunk:
		// After a hunk only a hunk or a file may follow: this is the end
		// of the diff (a format-patch signature, say).
		return true
	case bytes.HasPrefix(line, []byte("--- ")):
		s.notePath(line, "--- ", "a/")
	case bytes.HasPrefix(line, []byte("+++ ")):
		s.notePath(line, "+++ ", "b/")
	case bytes.HasPrefix(line, []byte("index ")):
		s.indexLine(line)
	case bytes.HasPrefix(line, []byte("GIT binary patch")) || bytes.HasPrefix(line, []byte("Binary files")):
		// A binary change is known by its blobs; its data, if any, is
		// skipped up to the next file.
		s.fileWrite([]byte("binary"), s.preOID, s.postOID)
		s.binary = true
	case len(line) > 0 && isAlpha(line[0]):
		s.fileWrite(removeSpace(line)) // mode, rename and copy lines are content
	}
	return false
}

// body takes a line of a hunk.
func (s *idState) body(line []byte) {
	switch line[0] {
	case ' ':
		s.before--
		s.after--
	case '-':
		s.before--
	case '+':
		s.after--
	case '\\': // "\ No newline at end of file"
		return
	default: // an empty context line, as some tools write it
		s.before--
		s.after--
		return
	}
	if line[0] == ' ' {
		return
	}
	stripped := removeSpace(line)
	s.fileWrite(stripped)
	s.hunk.Write(stripped)
	s.hunkOK = s.hunkOK || len(stripped) > 1
}

// indexLine keeps the blob names of "index <pre>..<post>[ mode]", the
// identity of a binary change.
func (s *idState) indexLine(line []byte) {
	p := strings.TrimSpace(string(line[len("index "):]))
	p, _, _ = strings.Cut(p, " ")
	pre, post, ok := strings.Cut(p, "..")
	if ok {
		s.preOID, s.postOID = []byte(pre), []byte(post)
	}
}

func (s *idState) finish() Identity {
	s.endFile()
	id := Identity{Files: s.files}
	for _, f := range s.files {
		addID(&id.Lines, f.Lines[:])
	}
	return id
}

// addID adds h to sum, a 20-byte addition with carry, so that the sum of
// files does not depend on their order.
func addID(sum *ID, h []byte) {
	carry := 0
	for i := range sum {
		carry += int(sum[i]) + int(h[i])
		sum[i] = byte(carry)
		carry >>= 8
	}
}

// startFile begins a new file at its "diff --git" line.
func (s *idState) startFile(line []byte) {
	s.endFile()
	s.started, s.inHunk, s.afterHunk, s.binary, s.preOID, s.postOID = true, false, false, false, nil, nil
	name := strings.TrimSuffix(strings.TrimPrefix(string(line), "diff --git "), "\n")
	if a, b, err := gitLinePaths(name); err == nil {
		name = b
		if b == "" {
			name = a
		}
	}
	s.files = append(s.files, FileID{Path: name})
	s.file = sha1.New()
}

// notePath takes the file's name from its ---/+++ line, unless /dev/null.
func (s *idState) notePath(line []byte, label, prefix string) {
	if len(s.files) == 0 {
		return
	}
	name, err := labelPath(strings.TrimSuffix(strings.TrimPrefix(string(line), label), "\n"), prefix)
	if err == nil && name != "" {
		s.files[len(s.files)-1].Path = name
	}
}

func (s *idState) startHunk(line []byte) {
	s.endHunk()
	s.before, s.after = scanHunkHeader(line)
	s.hunk, s.hunkOK, s.inHunk = sha1.New(), false, true
}

func (s *idState) endHunk() {
	if s.hunk == nil || len(s.files) == 0 {
		return
	}
	if s.hunkOK {
		f := &s.files[len(s.files)-1]
		f.Hunks = append(f.Hunks, pathSum(f.Path, s.hunk))
	}
	s.hunk = nil
}

func (s *idState) endFile() {
	s.endHunk()
	if s.file == nil || len(s.files) == 0 {
		return
	}
	f := &s.files[len(s.files)-1]
	f.Lines = pathSum(f.Path, s.file)
	s.file = nil
}

func (s *idState) fileWrite(parts ...[]byte) {
	if s.file != nil {
		for _, p := range parts {
			s.file.Write(p)
		}
	}
}

// pathSum is the SHA-1 of a file's name followed by what h was given.
func pathSum(path string, h hash.Hash) ID {
	var id ID
	sum := sha1.New()
	sum.Write([]byte(path))
	sum.Write([]byte{0})
	sum.Write(h.Sum(nil))
	copy(id[:], sum.Sum(nil))
	return id
}

// scanHunkHeader reads the line counts of "@@ -a,b +c,d" (a missing count
// is 1).
func scanHunkHeader(line []byte) (before, after int) {
	q := line[4:]
	n := digits(q)
	before = 1
	if n < len(q) && q[n] == ',' {
		q = q[n+1:]
		n = digits(q)
		before = atoi(q[:n])
	}
	if n == 0 || n+1 >= len(q) || q[n] != ' ' || q[n+1] != '+' {
		return before, 0
	}
	r := q[n+2:]
	n = digits(r)
	after = 1
	if n < len(r) && r[n] == ',' {
		r = r[n+1:]
		n = digits(r)
		after = atoi(r[:n])
	}
	return before, after
}

func digits(b []byte) int {
	n := 0
	for n < len(b) && b[n] >= '0' && b[n] <= '9' {
		n++
	}
	return n
}

// atoi reads decimal digits, saturating instead of overflowing.
func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		n = min(n*10+int(c-'0'), 1<<30)
	}
	return n
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// removeSpace drops the bytes git's isspace matches: space, \t, \n, \r.
func removeSpace(line []byte) []byte {
	out := make([]byte, 0, len(line))
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			out = append(out, c)
		}
	}
	return out
}

// patchIDs runs one `git patch-id --stable` over in, a stream of diffs each
// after a "commit <40 hex digits>" line (what `git log -p --format="commit
// %H"` writes), and returns the patch id of each commit it names. A diff
// git finds empty has none.
func patchIDs(ctx context.Context, g runner, in io.Reader) (map[string]ID, error) {
	var out bytes.Buffer
	if err := g.stream(ctx, in, &out, "patch-id", "--stable"); err != nil {
		return nil, fmt.Errorf("patch ids: %w", err)
	}
	ids := map[string]ID{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		pid, commit, ok := strings.Cut(sc.Text(), " ")
		var id ID
		if n, err := hex.Decode(id[:], []byte(pid)); !ok || err != nil || n != len(id) || !validHash(commit) {
			return nil, fmt.Errorf("patch ids: unexpected git patch-id line %q", clip(sc.Text()))
		}
		ids[commit] = id
	}
	return ids, sc.Err()
}

// seriesPatchIDs sets the Stable identity of each patch of fixes that has
// its diff, with one git process for them all. Each diff is given under a
// made-up commit name, its place in the list.
func seriesPatchIDs(ctx context.Context, g runner, fixes []Fix) error {
	var in bytes.Buffer
	n := 0
	for _, f := range fixes {
		for _, d := range f.diffs {
			n++
			fmt.Fprintf(&in, "commit %040x\n\n%s", n, d)
			if !strings.HasSuffix(d, "\n") {
				in.WriteByte('\n')
			}
		}
	}
	if n == 0 {
		return nil
	}
	ids, err := patchIDs(ctx, g, &in)
	if err != nil {
		return err
	}
	n = 0
	for _, f := range fixes {
		for i := range f.diffs {
			n++
			f.Patches[i].Stable = ids[fmt.Sprintf("%040x", n)]
		}
	}
	return nil
}
