package http

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestFingerprintLeavesOutSecrets: a password never reaches the fast hash
// kept beside an idempotency key, and everything else still tells two
// requests apart.
func TestFingerprintLeavesOutSecrets(t *testing.T) {
	req := httptest.NewRequest("POST", "/api/v1/users", nil)
	req.Pattern = "POST /api/v1/users"
	fp := func(body string) string { return fingerprint(req, []byte(body)) }
	a := fp(`{"email":"a@example.org","password":"hunter2"}`)
	if b := fp(`{"password":"correct horse","email":"a@example.org"}`); a != b {
		t.Errorf("the password changed the fingerprint: %s != %s", a, b)
	}
	if c := fp(`{"email":"b@example.org","password":"hunter2"}`); a == c {
		t.Error("two addresses have one fingerprint")
	}
	if fp("From 1\n") == fp("From 2\n") || strings.Contains(a, "hunter2") {
		t.Error("a patch body is not fingerprinted whole")
	}
}
