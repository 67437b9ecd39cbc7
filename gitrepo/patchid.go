package gitrepo

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"hash"
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
	Stable ID
	// Lines is the sum of the files' Lines: it ignores context lines too, so
	// a fix rebased onto code that changed around it is still found.
	Lines ID
	Files []FileID
}

// FileID identifies the change to one file of a diff.
type FileID struct {
	Path  string // the name after the change (before it, for a deletion)
	Lines ID     // SHA-1 of the name and the changed lines, whitespace removed
	Hunks []ID   // one per hunk that changes text, computed the same way
}

// Identify computes the identity of a git diff: a patch's diff, or the
// output of `git log -p` for one commit. Text before the first "diff " line
// is ignored, as git patch-id ignores a commit message.
func Identify(diff []byte) Identity {
	s := newIDState()
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

// idState replays git's get_one_patchid (builtin/patch-id.c) line by line
// in its stable mode, and beside it keeps the changed lines of each file and
// hunk. Its quirks are git's and kept on purpose, so Stable equals git's.
type idState struct {
	stable          hash.Hash
	result          ID
	patchlen        int
	before, after   int
	binary          bool
	preOID, postOID []byte

	files  []FileID
	file   hash.Hash // changed lines of the current file
	hunk   hash.Hash // changed lines of the current hunk
	hunkOK bool      // the current hunk changes some text
	inHunk bool
}

func newIDState() *idState {
	return &idState{stable: sha1.New(), before: -1, after: -1}
}

// line takes one line, with its newline; it returns true where git stops.
func (s *idState) line(line []byte) bool {
	if bytes.HasPrefix(line, []byte(`\ `)) && len(line) > 12 {
		return false
	}
	if s.patchlen == 0 && !bytes.HasPrefix(line, []byte("diff ")) {
		return false
	}
	if s.before == -1 {
		stop, done := s.header(line)
		if stop || done {
			return stop
		}
	}
	if s.binary {
		if bytes.HasPrefix(line, []byte("diff ")) {
			s.binary, s.before = false, -1
			s.startFile(line)
		}
		return false
	}
	if s.before == 0 && s.after == 0 {
		if bytes.HasPrefix(line, []byte("@@ -")) {
			s.before, s.after = scanHunkHeader(line)
			s.startHunk()
			return false
		}
		if !bytes.HasPrefix(line, []byte("diff ")) {
			return true
		}
		s.flush()
		s.before, s.after = -1, -1
		s.startFile(line)
	}
	s.body(line)
	return false
}

// header handles a line while git reads a file's header. done means the
// line was consumed; stop means git would stop reading here.
func (s *idState) header(line []byte) (stop, done bool) {
	switch {
	case bytes.HasPrefix(line, []byte("GIT binary patch")) || bytes.HasPrefix(line, []byte("Binary files")):
		s.binary, s.before = true, 0
		s.stable.Write(s.preOID)
		s.stable.Write(s.postOID)
		s.fileWrite([]byte("binary"), s.preOID, s.postOID)
		s.flush()
		return false, true
	case bytes.HasPrefix(line, []byte("index ")):
		s.indexLine(line)
		return false, true
	case bytes.HasPrefix(line, []byte("--- ")):
		s.before, s.after = 1, 1
		s.notePath(line, "--- ", "a/")
	case bytes.HasPrefix(line, []byte("diff ")):
		s.startFile(line)
	case !isAlpha(line[0]):
		return true, false
	default:
		s.fileWrite(removeSpace(line)) // mode, rename and copy lines are content
	}
	return false, false
}

// body hashes a line inside a file, as git does, and notes changed lines.
func (s *idState) body(line []byte) {
	if line[0] == '-' || line[0] == ' ' {
		s.before--
	}
	if line[0] == '+' || line[0] == ' ' {
		s.after--
	}
	if bytes.HasPrefix(line, []byte("+++ ")) && !s.inHunk {
		s.notePath(line, "+++ ", "b/")
	}
	stripped := removeSpace(line)
	s.patchlen += len(stripped)
	s.stable.Write(stripped)
	if s.inHunk && (line[0] == '+' || line[0] == '-') {
		s.fileWrite(stripped)
		s.hunk.Write(stripped)
		s.hunkOK = s.hunkOK || len(stripped) > 1
	}
}

// indexLine keeps the blob names of "index <pre>..<post>[ mode]", which git
// hashes for a binary file.
func (s *idState) indexLine(line []byte) {
	p := line[len("index "):]
	dots := bytes.Index(line, []byte(".."))
	if dots < 0 {
		return
	}
	end := bytes.IndexByte(line[dots:], ' ')
	if end < 0 {
		end = len(line) - 1
	} else {
		end += dots
	}
	if start := len(line) - len(p); dots >= start {
		s.preOID = append([]byte(nil), line[start:dots]...)
	}
	if dots+2 <= end {
		s.postOID = append([]byte(nil), line[dots+2:end]...)
	}
}

// flush adds the hash of the file just read to the sum, as git's
// flush_one_hunk does: a 20-byte addition with carry.
func (s *idState) flush() {
	addID(&s.result, s.stable.Sum(nil))
	s.stable.Reset()
}

func addID(sum *ID, h []byte) {
	carry := 0
	for i := range sum {
		carry += int(sum[i]) + int(h[i])
		sum[i] = byte(carry)
		carry >>= 8
	}
}

func (s *idState) finish() Identity {
	s.flush()
	s.endFile()
	id := Identity{Stable: s.result, Files: s.files}
	if s.patchlen == 0 {
		id.Stable = ID{} // git prints no patch-id for an empty diff
	}
	for _, f := range s.files {
		addID(&id.Lines, f.Lines[:])
	}
	return id
}

// startFile begins a new file at its "diff --git" line.
func (s *idState) startFile(line []byte) {
	s.endFile()
	name := strings.TrimSuffix(strings.TrimPrefix(string(line), "diff --git "), "\n")
	if a, b, err := gitLinePaths(name); err == nil {
		name = b
		if b == "" {
			name = a
		}
	}
	s.files = append(s.files, FileID{Path: name})
	s.file, s.inHunk = sha1.New(), false
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

func (s *idState) startHunk() {
	s.endHunk()
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

// scanHunkHeader reads the line counts of "@@ -a,b +c,d", as git's
// scan_hunk_header does (a missing count is 1).
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
		return before, 0 // git leaves the count it had, which is 0 here
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
