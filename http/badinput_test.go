package http_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// TestBadInput sends wrong requests and checks that each gets a clear 4xx
// JSON error naming what is wrong and where, and that nothing is stored: the
// report and the audit log are unchanged.
func TestBadInput(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		r, err := e.svc.CreateReport(ctx, e.admin, vmt.ReportInput{Title: "Host file read", Description: "Steps."})
		if err != nil {
			t.Fatal(err)
		}
		id := itoa(r.ID)
		big := strings.Repeat("x", 1<<20)
		for _, tc := range []struct {
			name, method, path, body string
			status                   int
			code, field              string
		}{
			{"malformed JSON", "POST", "/api/v1/reports", `{"title": "x",`, 400, "invalid", "body"},
			{"unknown field", "POST", "/api/v1/reports", `{"title":"x","description":"y","cvss":"9.8"}`, 400, "invalid", "cvss"},
			{"wrong type", "POST", "/api/v1/reports", `{"title":["x"],"description":"y"}`, 400, "invalid", "title"},
			{"oversize body", "POST", "/api/v1/reports", `{"title":"x","description":"` + big + `"}`, 413, "too_large", "body"},
			{"title too long", "POST", "/api/v1/reports", `{"title":"` + strings.Repeat("t", 201) + `","description":"y"}`, 400, "invalid", "title"},
			{"description too large", "POST", "/api/v1/reports", `{"title":"x","description":"` + strings.Repeat("d", 64<<10+1) + `"}`, 413, "too_large", "description"},
			{"missing title", "POST", "/api/v1/reports", `{"description":"y"}`, 400, "invalid", "title"},
			{"unknown project", "POST", "/api/v1/reports", `{"project":"nope","title":"x","description":"y"}`, 400, "invalid", "project"},
			{"bad component", "POST", "/api/v1/reports", `{"title":"x","description":"y","components":["../etc"]}`, 400, "invalid", "components"},
			{"unknown status", "POST", "/api/v1/reports/" + id + "/transition", `{"to":"done"}`, 400, "invalid", "to"},
			{"wrong state", "POST", "/api/v1/reports/" + id + "/transition", `{"to":"fix_released"}`, 409, "conflict", "status"},
			{"guard refuses", "POST", "/api/v1/reports/" + id + "/transition", `{"to":"invalid"}`, 409, "conflict", "status"},
			{"unknown class", "POST", "/api/v1/reports/" + id + "/classify", `{"class":"F"}`, 400, "invalid", "class"},
			{"malformed CVE", "PATCH", "/api/v1/reports/" + id, `{"cves":["CVE-26-1"]}`, 400, "invalid", "cves"},
			{"bad id", "GET", "/api/v1/reports/abc", "", 404, "not_found", ""},
			{"unknown route", "GET", "/api/v1/nothing", "", 404, "not_found", ""},
			{"wrong method", "DELETE", "/api/v1/reports/" + id, "", 404, "not_found", ""},
			{"bad filter", "GET", "/api/v1/reports?status=open", "", 400, "invalid", "status"},
			{"bad limit", "GET", "/api/v1/reports?limit=100000", "", 400, "invalid", "limit"},
			{"bad email", "POST", "/api/v1/users", `{"email":"not an address","role":"reporter"}`, 400, "invalid", "email"},
			{"unknown role", "POST", "/api/v1/users", `{"email":"a@example.org","role":"root"}`, 400, "invalid", "role"},
			{"short password", "POST", "/api/v1/users", `{"email":"a@example.org","role":"reporter","password":"short"}`, 400, "invalid", "password"},
			{"bad project name", "POST", "/api/v1/projects", `{"name":"Bad Name","advisory_prefix":"XSA","note_prefix":"XSN","branches":["main"]}`, 400, "invalid", "name"},
			{"branch traversal", "PATCH", "/api/v1/projects/kata-containers", `{"branches":["main","../../x"]}`, 400, "invalid", "branches"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := e.snapshot(r.ID)
				status, body := e.do(tc.method, tc.path, e.token, tc.body)
				if status != tc.status {
					t.Fatalf("status %d, want %d; body %.300s", status, tc.status, body)
				}
				var eb struct {
					Error struct{ Code, Message, Field string } `json:"error"`
				}
				if err := json.Unmarshal([]byte(body), &eb); err != nil {
					t.Fatalf("error body is not JSON: %.300s", body)
				}
				if eb.Error.Code != tc.code || eb.Error.Field != tc.field || eb.Error.Message == "" {
					t.Errorf("error %+v, want code %s field %q and a message", eb.Error, tc.code, tc.field)
				}
				if after := e.snapshot(r.ID); after != before {
					t.Errorf("state changed by a refused request:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	})
}

// snapshot renders what a refused request must not change: the report, the
// number of reports, users and projects, and the audit log's length.
func (e *env) snapshot(id int64) string {
	e.t.Helper()
	ctx := context.Background()
	r, err := e.svc.Report(ctx, e.admin, id)
	if err != nil {
		e.t.Fatal(err)
	}
	_, n, err := e.svc.Reports(ctx, e.admin, vmt.ReportFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	us, _ := e.svc.Users(ctx, e.admin)
	ps, _ := e.svc.Projects(ctx, e.admin)
	evs, err := e.svc.AuditEvents(ctx, e.admin, 0, vmt.MaxPageSize)
	if err != nil {
		e.t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	return string(b) + " reports=" + itoa(int64(n)) + " users=" + itoa(int64(len(us))) +
		" projects=" + itoa(int64(len(ps))) + " audit=" + itoa(int64(len(evs)))
}
