package http

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name, body  string
		code, field string
		msg         string // a part of the message
	}{
		{"empty", ``, vmt.EINVALID, "body", "empty"},
		{"malformed", `{"title": "x",}`, vmt.EINVALID, "body", "malformed JSON at byte"},
		{"truncated", `{"title": "x"`, vmt.EINVALID, "body", "ends too early"},
		{"unknown field", `{"title":"x","severity":"high"}`, vmt.EINVALID, "severity", `unknown field "severity"`},
		{"wrong type", `{"title": 12}`, vmt.EINVALID, "title", "must be a string, not number"},
		{"wrong type in array", `{"components": "agent"}`, vmt.EINVALID, "components", "must be an array of strings"},
		{"not an object", `["title"]`, vmt.EINVALID, "body", "must be a JSON object"},
		{"trailing data", `{"title":"x"} {"title":"y"}`, vmt.EINVALID, "body", "after the JSON object"},
		{"too large", `{"title":"` + strings.Repeat("a", MaxBodyBytes) + `"}`, vmt.ETOOLARGE, "body", "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var in vmt.ReportInput
			err := decodeJSON(limitReader(tc.body), &in)
			if vmt.ErrorCode(err) != tc.code || vmt.ErrorField(err) != tc.field || !strings.Contains(vmt.ErrorMessage(err), tc.msg) {
				t.Errorf("decode(%.40q) = %v; want code %s field %s message containing %q", tc.body, err, tc.code, tc.field, tc.msg)
			}
		})
	}
}

// FuzzDecode feeds arbitrary bytes to the request decoder: it must never
// panic, must answer a domain error for what it refuses, and what it accepts
// must survive a round trip unchanged.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"title":"Guest escape","description":"x","components":["agent"]}`,
		`{"title":1}`, `{`, `[]`, `null`, `{"never_disclose":["credit"]}`, "{\"title\":\"\xff\"}",
		`{"title":"a"}{}`, `{"components":[null]}`, `{"project":"kata-containers","title":"\u0000"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var in vmt.ReportInput
		err := decodeJSON(limitReader(string(b)), &in)
		if err != nil {
			if vmt.ErrorCode(err) == vmt.EINTERNAL {
				t.Fatalf("decode(%q): not a domain error: %v", b, err)
			}
			return
		}
		again, _ := json.Marshal(in)
		var out vmt.ReportInput
		if err := decodeJSON(limitReader(string(again)), &out); err != nil {
			t.Fatalf("re-decoding %s: %v", again, err)
		}
		if !reflect.DeepEqual(in, out) {
			t.Fatalf("round trip changed %+v into %+v", in, out)
		}
	})
}

// limitReader bounds a body read outside a request, as decode does within one.
func limitReader(s string) io.Reader {
	return http.MaxBytesReader(nil, io.NopCloser(strings.NewReader(s)), MaxBodyBytes)
}
