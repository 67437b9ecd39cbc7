package app

import (
	"reflect"
	"regexp"
	"testing"

	"github.com/vmtproject/vmt"
)

// TestCredTxNotesEveryCredentialWrite: every Tx method that writes an
// account or a token is one credTx notes, so that a write method added
// to the store later cannot change who a cached token stands for
// unnoticed. The Tx under credTx is nil: a method credTx does not note
// panics before it could set touched.
func TestCredTxNotesEveryCredentialWrite(t *testing.T) {
	writes := regexp.MustCompile(`^(Create|Update|Delete|Set|Remove|Disable|Revoke|Rename)(User|Token)`)
	tt := reflect.TypeOf((*vmt.Tx)(nil)).Elem()
	n := 0
	for i := range tt.NumMethod() {
		m := tt.Method(i)
		if !writes.MatchString(m.Name) {
			continue
		}
		n++
		var touched bool
		ct := &credTx{touched: &touched}
		fn := reflect.ValueOf(ct).MethodByName(m.Name)
		args := make([]reflect.Value, fn.Type().NumIn())
		for j := range args {
			args[j] = reflect.Zero(fn.Type().In(j))
		}
		func() {
			defer func() { _ = recover() }()
			fn.Call(args)
		}()
		if !touched {
			t.Errorf("Tx.%s writes accounts or tokens but credTx does not note it", m.Name)
		}
	}
	if n < 4 {
		t.Fatalf("found %d credential writes in vmt.Tx, want at least CreateUser, UpdateUser, CreateToken, DeleteToken", n)
	}
}

// TestCredCachePutAfterInvalidate: a lookup that began before a change
// cannot put what it read back after the change emptied the cache.
func TestCredCachePutAfterInvalidate(t *testing.T) {
	c := newGenCache[string](credMaxKept, copyUser)
	u := &vmt.User{ID: 7, Role: vmt.RoleAdmin}
	got, gen := c.get("h")
	if got != nil {
		t.Fatal("empty cache answered")
	}
	c.invalidate() // the change commits while the lookup reads
	c.put("h", u, gen)
	if got, _ := c.get("h"); got != nil {
		t.Fatalf("a lookup older than the change was kept: %+v", got)
	}
	_, gen = c.get("h")
	c.put("h", u, gen)
	got, _ = c.get("h")
	if got == nil || got.ID != 7 {
		t.Fatalf("fresh lookup not kept: %+v", got)
	}
	got.Role = vmt.RoleReporter
	if again, _ := c.get("h"); again.Role != vmt.RoleAdmin {
		t.Fatal("a caller changed the cached user")
	}
}
