package http_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// TestTokenCacheEndsAtOnce: an authenticated token is kept for a moment
// (app/credcache.go), yet the request right after a change to the account
// or its tokens sees the change: a revoked token, a disabled account and
// a demoted administrator are refused on the very next request, on both
// engines. Each case first authenticates twice, so that the token is
// cached when the change is made.
func TestTokenCacheEndsAtOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		for _, tc := range []struct {
			name   string
			role   vmt.Role
			change func(e *env, u vmt.Actor) (string, string, string) // method, path, body
			path   string                                             // what the user asks before and after
			after  int
		}{
			{"revoked", vmt.RoleReporter, func(e *env, u vmt.Actor) (string, string, string) {
				return "DELETE", "/api/v1/users/" + itoa(u.ID()) + "/tokens/" + itoa(tokenID(e, u)), ""
			}, "/api/v1/me", 401},
			{"disabled", vmt.RoleReporter, func(e *env, u vmt.Actor) (string, string, string) {
				return "PATCH", "/api/v1/users/" + itoa(u.ID()), `{"disabled":true}`
			}, "/api/v1/me", 401},
			{"demoted", vmt.RoleAdmin, func(e *env, u vmt.Actor) (string, string, string) {
				return "PATCH", "/api/v1/users/" + itoa(u.ID()), `{"role":"reporter"}`
			}, "/api/v1/users", 403},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := newEnv(t, engine)
				u, tok := e.user("cached@example.org", tc.role)
				for range 2 {
					if code, body := e.do("GET", tc.path, tok, ""); code != 200 {
						t.Fatalf("before: GET %s: %d %s", tc.path, code, body)
					}
				}
				m, p, b := tc.change(e, u)
				if code, body := e.do(m, p, e.token, b); code/100 != 2 {
					t.Fatalf("%s %s: %d %s", m, p, code, body)
				}
				if code, body := e.do("GET", tc.path, tok, ""); code != tc.after {
					t.Errorf("after: GET %s: %d %s, want %d", tc.path, code, body, tc.after)
				}
			})
		}
	})
}

// tokenID is the id of u's one token, as the administrator lists it.
func tokenID(e *env, u vmt.Actor) int64 {
	e.t.Helper()
	code, body := e.do("GET", "/api/v1/users/"+itoa(u.ID())+"/tokens", e.token, "")
	var l struct {
		Items []vmt.Token `json:"items"`
	}
	if code != 200 || json.Unmarshal([]byte(body), &l) != nil || len(l.Items) != 1 {
		e.t.Fatalf("tokens of %d: %d %s", u.ID(), code, body)
	}
	return l.Items[0].ID
}

// TestReportReadCacheEndsAtOnce: the report read of GET
// /api/v1/reports/{id} is kept for a moment too, yet a member removed from
// the project is refused the report on the very next request, and an
// edit shows at once, on both engines.
func TestReportReadCacheEndsAtOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		u, tok := e.user("vmt@example.org", vmt.RoleVMT)
		member := "/api/v1/projects/kata-containers/members/" + itoa(u.ID())
		if code, body := e.do("PUT", member, e.token, `{"role":"vmt"}`); code != 200 {
			t.Fatalf("PUT member: %d %s", code, body)
		}
		code, body := e.do("POST", "/api/v1/reports", e.token, `{"title":"Guest escape","description":"Steps."}`)
		var r vmt.Report
		if code != 201 || json.Unmarshal([]byte(body), &r) != nil {
			t.Fatalf("create: %d %s", code, body)
		}
		path := "/api/v1/reports/" + itoa(r.ID)
		for range 2 {
			if code, body := e.do("GET", path, tok, ""); code != 200 {
				t.Fatalf("member GET: %d %s", code, body)
			}
		}
		if code, body := e.do("PATCH", path, e.token, `{"title":"Guest escape through virtio-fs"}`); code != 200 {
			t.Fatalf("PATCH: %d %s", code, body)
		}
		if code, body := e.do("GET", path, tok, ""); code != 200 || !strings.Contains(body, "through virtio-fs") {
			t.Errorf("after the edit: %d %s", code, body)
		}
		if code, body := e.do("DELETE", member, e.token, ""); code/100 != 2 {
			t.Fatalf("DELETE member: %d %s", code, body)
		}
		if code, body := e.do("GET", path, tok, ""); code != 404 {
			t.Errorf("after the removal: %d %s, want 404", code, body)
		}
	})
}
