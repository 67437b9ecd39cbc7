package gitrepo

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vmtproject/vmt"
)

// Limits bound what ParseSeries accepts.
type Limits struct {
	MaxBytes     int // the whole series
	MaxPatches   int
	MaxFiles     int // files changed, over the whole series
	MaxHunkLines int // lines of one hunk, context included
}

// DefaultLimits fit a security fix and its backports with room to spare.
var DefaultLimits = Limits{MaxBytes: 4 << 20, MaxPatches: 100, MaxFiles: 500, MaxHunkLines: 10000}

// Series is one fix: the patches of a git format-patch series, in order.
type Series struct {
	Patches []Patch
}

// Patch is one commit of a series.
type Patch struct {
	Subject string // without its "[PATCH n/m]" prefix
	Author  string // "Name <address>"
	Date    time.Time
	Message string // the commit message after the subject
	Files   []File
	Diff    string   // the diff alone, as given to git apply
	ID      Identity // its patch identity, to find it on a branch
}

// mboxFrom is the first line of each message git format-patch writes.
var mboxFrom = regexp.MustCompile(`^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001\n?$`)

// ParseSeries parses git format-patch output (one patch or a series in one
// mbox). It returns a *vmt.Error (EINVALID or ETOOLARGE, field "patch") that
// names the patch and line at fault for anything malformed, binary, over a
// limit, or that names a file outside the repository or inside .git.
func ParseSeries(data []byte, lim Limits) (*Series, error) {
	if err := checkBytes(data, lim); err != nil {
		return nil, err
	}
	lines := strings.SplitAfter(string(data), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1] // after the last newline
	}
	starts := messageStarts(lines)
	if len(starts) == 0 {
		return nil, invalidf("not git format-patch output: no line \"From <hash> Mon Sep 17 00:00:00 2001\"")
	}
	if strings.TrimSpace(strings.Join(lines[:starts[0]], "")) != "" {
		return nil, invalidf("line 1: text before the first patch")
	}
	if len(starts) > lim.MaxPatches {
		return nil, tooLargef("the series has %d patches, over the limit of %d", len(starts), lim.MaxPatches)
	}
	s := &Series{}
	files := 0
	for n, start := range starts {
		end := len(lines)
		if n+1 < len(starts) {
			end = starts[n+1]
		}
		p, err := parsePatch(lines[start+1:end], start+2, lim, &files)
		if err != nil {
			return nil, inPatch(err, n+1, len(starts))
		}
		s.Patches = append(s.Patches, p)
	}
	return s, nil
}

// checkBytes refuses what is too large or cannot be text.
func checkBytes(data []byte, lim Limits) error {
	switch {
	case len(data) > lim.MaxBytes:
		return tooLargef("the series is %d bytes, over the limit of %d", len(data), lim.MaxBytes)
	case bytes.IndexByte(data, 0) >= 0:
		return invalidf("line %d: a NUL byte; binary data is refused", bytes.Count(data[:bytes.IndexByte(data, 0)], []byte("\n"))+1)
	case !utf8.Valid(data):
		return invalidf("the series is not UTF-8 text")
	}
	return nil
}

func messageStarts(lines []string) []int {
	var starts []int
	for i, l := range lines {
		if strings.HasPrefix(l, "From ") && mboxFrom.MatchString(l) {
			starts = append(starts, i)
		}
	}
	return starts
}

// parsePatch parses one message; first is the number of its first line.
func parsePatch(lines []string, first int, lim Limits, files *int) (Patch, error) {
	sep := 0
	for sep < len(lines) && strings.TrimRight(lines[sep], "\r\n") != "" {
		sep++
	}
	if sep == len(lines) {
		return Patch{}, invalidf("line %d: the mail headers never end", first)
	}
	p, err := parseHeaders(strings.Join(lines[:sep], "") + "\n")
	if err != nil {
		return Patch{}, invalidf("line %d: %v", first, err)
	}
	body := lines[sep+1:]
	d := 0
	for d < len(body) && !strings.HasPrefix(body[d], "diff --git ") {
		d++
	}
	if d == len(body) {
		return Patch{}, invalidf("line %d: the patch %q has no diff", first, p.Subject)
	}
	p.Message = commitMessage(body[:d])
	dp := &diffParser{lines: body[d:], first: first + sep + 1 + d, lim: lim, files: files}
	n, err := dp.parse()
	if err != nil {
		return Patch{}, err
	}
	p.Files = dp.out
	p.Diff = strings.Join(body[d:d+n], "")
	p.ID = Identify([]byte(p.Diff))
	return p, nil
}

// parseHeaders reads From, Date and Subject; the body must be plain text.
func parseHeaders(header string) (Patch, error) {
	msg, err := mail.ReadMessage(strings.NewReader(header))
	if err != nil {
		return Patch{}, fmt.Errorf("malformed mail headers: %w", err)
	}
	h := msg.Header
	if cte := strings.ToLower(h.Get("Content-Transfer-Encoding")); cte != "" && cte != "8bit" && cte != "7bit" {
		return Patch{}, fmt.Errorf("content transfer encoding %q is not supported; use git format-patch's default", clip(cte))
	}
	if ct := strings.ToLower(h.Get("Content-Type")); ct != "" && !strings.HasPrefix(ct, "text/plain") {
		return Patch{}, fmt.Errorf("content type %q is not supported; attachments are refused", clip(ct))
	}
	from, err := mail.ParseAddress(h.Get("From"))
	if err != nil {
		return Patch{}, fmt.Errorf("the From header: %w", err)
	}
	date, err := mail.ParseDate(h.Get("Date"))
	if err != nil {
		return Patch{}, fmt.Errorf("the Date header: %w", err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || strings.TrimSpace(subject) == "" {
		return Patch{}, fmt.Errorf("the Subject header is missing or malformed")
	}
	return Patch{Subject: trimPatchPrefix(subject), Author: fmt.Sprintf("%s <%s>", from.Name, from.Address), Date: date.UTC()}, nil
}

var patchPrefix = regexp.MustCompile(`^\s*\[[^\]]*PATCH[^\]]*\]\s*`)

func trimPatchPrefix(s string) string {
	return strings.TrimSpace(patchPrefix.ReplaceAllString(s, ""))
}

// commitMessage is the body before the "---" line that starts the diffstat.
func commitMessage(body []string) string {
	for i, l := range body {
		if strings.TrimRight(l, "\n") == "---" {
			body = body[:i]
			break
		}
	}
	return strings.TrimSpace(strings.Join(body, ""))
}

func invalidf(format string, args ...any) error {
	return vmt.Invalid("patch", format, args...)
}

func tooLargef(format string, args ...any) error {
	return &vmt.Error{Code: vmt.ETOOLARGE, Field: "patch", Message: fmt.Sprintf(format, args...)}
}

// inPatch says which patch of the series an error is about.
func inPatch(err error, n, of int) error {
	var e *vmt.Error
	if !errors.As(err, &e) {
		return fmt.Errorf("patch %d of %d: %w", n, of, err)
	}
	return &vmt.Error{Code: e.Code, Field: e.Field, Message: fmt.Sprintf("patch %d of %d: %s", n, of, e.Message)}
}
