package http_test

import (
	"encoding/json"
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
			path   string                                              // what the user asks before and after
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
