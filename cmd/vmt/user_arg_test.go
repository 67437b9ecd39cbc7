package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// TestUsersNamedByEmail: every USER argument and --user flag takes the
// account's address as well as its id; an unknown address, or a word that
// is neither, is refused saying so; only the VMT and administrators look
// addresses up (to a reporter no account exists).
func TestUsersNamedByEmail(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	vmtUser, vmtID := addUser(t, s, admin, "victor@example.org", "vmt")
	rep, _ := addUser(t, s, admin, "rose@example.org", "reporter")
	rev, revID := addUser(t, s, admin, "rita@example.org", "reviewer")

	if out := admin.ok("project", "member", "kata-containers", "victor@example.org", "vmt"); !strings.Contains(out, "User "+strconv.FormatInt(vmtID, 10)) {
		t.Errorf("project member by address printed %q", out)
	}
	desc := filepath.Join(t.TempDir(), "d.md")
	if err := os.WriteFile(desc, []byte("It breaks.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rep.ok("report", "new", "--title", "A bug", "--description-file", desc)

	rev.fails(exitNotFound, "not found", "report", "show", "1")
	if out := vmtUser.ok("report", "subscribe", "1", "Rita@Example.org"); !strings.HasPrefix(out, "User "+strconv.FormatInt(revID, 10)+" (rita@example.org) is subscribed") {
		t.Errorf("subscribe by address printed %q", out)
	}
	rev.ok("report", "show", "1") // subscribed by address, she reads it
	vmtUser.ok("report", "assign", "1", "victor@example.org")
	var v struct {
		CoordinatorID int64 `json:"coordinator_id"`
	}
	loose(t, vmtUser.ok("report", "show", "1", "--json"), &v)
	if v.CoordinatorID != vmtID {
		t.Errorf("assigned by address: coordinator %d, want %d", v.CoordinatorID, vmtID)
	}
	var l struct {
		Items []vmt.ReportView `json:"items"`
	}
	loose(t, vmtUser.ok("report", "list", "--coordinator", "victor@example.org", "--json"), &l)
	if len(l.Items) != 1 {
		t.Errorf("report list --coordinator by address: %d reports", len(l.Items))
	}
	admin.ok("token", "list", "--user", "rita@example.org")

	vmtUser.fails(exitNotFound, "no account has the address nobody@example.org", "report", "subscribe", "1", "nobody@example.org")
	vmtUser.fails(exitUsage, "neither a user id nor an email address", "report", "subscribe", "1", "rita")
	rep.fails(exitNotFound, "no account has the address victor@example.org", "report", "list", "--coordinator", "victor@example.org")
}

// loose decodes the fields of out that v names.
func loose(t *testing.T, out string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("decoding %q: %v", out, err)
	}
}
