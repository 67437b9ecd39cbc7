package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
)

func TestUserAndTokenCommands(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)

	r := admin.vmt("a long enough password\n", "user", "add", "--email", "Vera@Example.org", "--role", "VMT", "--name", "Vera", "--password-stdin")
	if r.code != 0 || r.stdout != "Created user 2: Vera <vera@example.org>, vmt.\n" {
		t.Errorf("user add: exit %d, %q, %q", r.code, r.stdout, r.stderr)
	}
	r = admin.vmt("short\n", "user", "add", "--email", "s@example.org", "--role", "reporter", "--password-stdin")
	if r.code != exitUsage || !strings.Contains(r.stderr, "vmt user: password: must have at least") {
		t.Errorf("short password: exit %d, %q", r.code, r.stderr)
	}
	admin.fails(exitConflict, "vmt user:", "user", "add", "--email", "vera@example.org", "--role", "vmt")
	list := admin.ok("user", "list")
	if len(lines(list, "2", "vera@example.org", "Vera", "vmt", "active")) != 1 || !strings.HasPrefix(list, "ID  EMAIL") {
		t.Errorf("user list:\n%s", list)
	}
	users := decodeJSON[vmthttp.List[*vmt.User]](t, admin.ok("user", "list", "--json"))
	if users.Total != 2 || users.Items[1].Email != "vera@example.org" {
		t.Errorf("user list --json: %+v", users)
	}

	// token new prints the secret alone on stdout, and it works.
	r = admin.vmt("", "token", "new", "--user", "2", "--name", "ci")
	secret := strings.TrimSpace(r.stdout)
	if r.code != 0 || !strings.HasPrefix(secret, vmt.TokenPrefix) || strings.Contains(secret, "\n") || !strings.Contains(r.stderr, "only time its secret is shown") {
		t.Fatalf("token new: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	vera := newCLIUser(t)
	out := vera.ok("login", "--server", s.url, "--token", secret)
	if !strings.Contains(out, "as Vera <vera@example.org> (user 2, vmt)") {
		t.Errorf("login with the new token: %q", out)
	}
	vera.fails(exitAuth, "vmt user: only an administrator may do this", "user", "list")

	own := decodeJSON[vmt.NewToken](t, vera.ok("token", "new", "--name", "laptop", "--json"))
	if own.UserID != 2 || own.Name != "laptop" || !strings.HasPrefix(own.Secret, vmt.TokenPrefix) {
		t.Errorf("token new --json: %+v", own)
	}
	tl := vera.ok("token", "list")
	if len(lines(tl, "ci", "2")) != 1 || len(lines(tl, "laptop", "2")) != 1 || strings.Contains(tl, own.Secret) {
		t.Errorf("token list:\n%s", tl)
	}
	id := strconv.FormatInt(own.ID, 10)
	if out := vera.ok("token", "revoke", id); out != "Revoked token "+id+" of user 2.\n" {
		t.Errorf("token revoke printed %q", out)
	}
	vera.fails(exitNotFound, "vmt token:", "token", "revoke", id)
	vera.fails(exitAuth, "vmt token: invalid token", "token", "list", "--token", own.Secret)
	vera.fails(exitNotFound, "vmt token: user not found", "token", "list", "--user", "1")

	// Revoking the token a terminal signed in with signs it out, in effect.
	ci := decodeJSON[vmthttp.List[*vmt.Token]](t, admin.ok("token", "list", "--user", "2", "--json"))
	if ci.Total != 1 || ci.Items[0].Name != "ci" {
		t.Fatalf("tokens of user 2: %+v", ci)
	}
	admin.ok("token", "revoke", strconv.FormatInt(ci.Items[0].ID, 10), "--user", "2")
	vera.fails(exitAuth, "vmt token: invalid token", "token", "list")
}
