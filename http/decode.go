package http

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/vmtproject/vmt"
)

// MaxBodyBytes bounds every request body.
const MaxBodyBytes = 1 << 20

// decode reads one JSON object from the request body into v. It refuses a
// body that is not JSON, too large, has unknown fields, values of the wrong
// type, or anything after the object, and says what and where.
func decode(r *http.Request, v any) error { return decodeLimit(r, v, MaxBodyBytes) }

// decodeLimit is decode with a limit of its own, for the one route whose
// body is larger (the import of a project's history).
func decodeLimit(r *http.Request, v any, limit int64) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return &vmt.Error{Code: codeUnsupportedMedia, Message: "the body must be application/json"}
		}
	}
	return decodeJSON(http.MaxBytesReader(nil, r.Body, limit), v)
}

// decodeOptional is decode for a body that may be left out: a request
// with no body leaves v as it is.
func decodeOptional(r *http.Request, v any) error {
	if r.ContentLength == 0 {
		return nil
	}
	return decode(r, v)
}

// decodeJSON is decode without the request: the part the fuzz test drives.
func decodeJSON(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return decodeError(err)
		}
		return vmt.Invalid("body", "unexpected data after the JSON object")
	}
	return nil
}

func decodeError(err error) error {
	var (
		syn    *json.SyntaxError
		typ    *json.UnmarshalTypeError
		maxErr *http.MaxBytesError
	)
	switch {
	case errors.As(err, &maxErr):
		return &vmt.Error{Code: vmt.ETOOLARGE, Field: "body", Message: fmt.Sprintf("the body is larger than %d bytes", maxErr.Limit)}
	case errors.As(err, &syn):
		return vmt.Invalid("body", "malformed JSON at byte %d: %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return vmt.Invalid("body", "the body must be a JSON object, not %s", typ.Value)
		}
		return vmt.Invalid(field, "must be %s, not %s", jsonType(typ.Type.String()), typ.Value)
	case errors.Is(err, io.EOF):
		return vmt.Invalid("body", "the body is empty; a JSON object is required")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return vmt.Invalid("body", "the JSON body ends too early")
	}
	var unknown string
	if _, scanErr := fmt.Sscanf(err.Error(), "json: unknown field %q", &unknown); scanErr == nil {
		return vmt.Invalid(unknown, "unknown field %q", unknown)
	}
	return vmt.Invalid("body", "cannot read the JSON body: %v", err)
}

func jsonType(goType string) string {
	switch goType {
	case "string", "*string", "vmt.Status", "vmt.Class", "vmt.Role", "*vmt.Role", "vmt.MemberRole":
		return "a string"
	case "bool", "*bool":
		return "true or false"
	case "int64", "int", "*int64":
		return "an integer"
	case "[]string", "*[]string":
		return "an array of strings"
	}
	return "of type " + goType
}

// pathID parses the id path parameter name, the one parser of every {id},
// {user}, {fix}, {doc} and {token} of the routes. Only the canonical
// decimal form is an id (see canonicalID); anything else answers as an
// object that does not exist (ENOTFOUND, 404), never 400, so that
// /reports/073 or /reports/+73 neither reaches report 73 nor reads
// differently from a report that is not there.
func pathID(r *http.Request, name string) (int64, error) {
	id, ok := canonicalID(r.PathValue(name))
	if !ok {
		return 0, vmt.NotFound(pathKind(r.Pattern, name))
	}
	return id, nil
}

// pathKinds names the object behind the segment before a wildcard, so that
// a malformed id reads as the service's own "report not found".
var pathKinds = map[string]string{
	"reports": "report", "fixes": "fix", "advisories": "advisory", "advisory": "advisory",
	"users": "user", "tokens": "token", "stakeholders": "stakeholder",
	"stakeholder-requests": "stakeholder request", "subscriptions": "subscription",
	"grants": "grant", "access-requests": "access request", "attachments": "attachment",
}

// pathKind returns what the wildcard name of pattern names ("report" for
// {id} in /api/v1/reports/{id}), or name itself.
func pathKind(pattern, name string) string {
	before, _, ok := strings.Cut(pattern, "/{"+name+"}")
	if !ok {
		return name
	}
	if kind, ok := pathKinds[before[strings.LastIndexByte(before, '/')+1:]]; ok {
		return kind
	}
	return name
}

// canonicalID parses s as the one way an id is written: decimal digits
// without sign, spaces or leading zeros, from 1 to the int64 maximum.
// strconv.ParseInt alone would take "+73" and "073" for 73, giving one
// object many URLs (and caches, logs and links that disagree about it).
func canonicalID(s string) (int64, bool) {
	if s == "" || len(s) > 19 || s[0] == '0' {
		return 0, false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, false // out of range
	}
	return id, true
}

// queryInt parses an optional integer query parameter.
func queryInt(r *http.Request, name string) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, vmt.Invalid(name, "%q is not an integer", s)
	}
	return n, nil
}
