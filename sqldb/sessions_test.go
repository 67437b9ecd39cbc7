package sqldb_test

import (
	"bytes"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestSessionWrittenBack checks that "log out everywhere" holds against a
// request that was under way: the session it writes back when it ends is
// never found, while a sign-in after the end is.
func TestSessionWrittenBack(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := sqldbtest.Open(t, engine)
			ctx := t.Context()
			u := &vmt.User{Email: "u@example.org", Role: vmt.RoleReporter, CreatedAt: time.Now()}
			if err := db.Update(ctx, func(tx vmt.Tx) error { return tx.CreateUser(u) }); err != nil {
				t.Fatal(err)
			}
			later := time.Now().Add(time.Hour)
			signedIn := time.Now().Add(-time.Minute)
			if err := db.CommitSession(ctx, "tok", u.ID, signedIn, []byte("a"), later); err != nil {
				t.Fatal(err)
			}
			if n, err := db.DeleteUserSessions(ctx, u.ID); err != nil || n != 1 {
				t.Fatalf("DeleteUserSessions = %d, %v; want 1", n, err)
			}
			// The request under way ends and writes its session back.
			if err := db.CommitSession(ctx, "tok", u.ID, signedIn, []byte("b"), later); err != nil {
				t.Fatal(err)
			}
			if _, found, err := db.FindSession(ctx, "tok"); err != nil || found {
				t.Errorf("a session written back after the end is found (%v)", err)
			}
			// So is one whose sign-in time is unknown.
			if err := db.CommitSession(ctx, "tok-unknown", u.ID, time.Time{}, []byte("c"), later); err != nil {
				t.Fatal(err)
			}
			if _, found, _ := db.FindSession(ctx, "tok-unknown"); found {
				t.Error("a signed-in session without its sign-in time is found after the end")
			}
			time.Sleep(time.Millisecond) // the next sign-in is strictly after the end
			if err := db.CommitSession(ctx, "tok-new", u.ID, time.Now(), []byte("d"), later); err != nil {
				t.Fatal(err)
			}
			if b, found, err := db.FindSession(ctx, "tok-new"); err != nil || !found || string(b) != "d" {
				t.Errorf("a sign-in after the end: %q %v %v", b, found, err)
			}
		})
	}
}

// TestSessions runs the session store through its life on both engines:
// create, replace, find, expire, end one, end a user's, clean up.
func TestSessions(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := sqldbtest.Open(t, engine)
			ctx := t.Context()
			later := time.Now().Add(time.Hour)
			commits := []struct {
				token string
				user  int64
				data  string
				exp   time.Time
			}{
				{"tok-a", 7, "first", later},
				{"tok-a", 7, "second", later}, // replaces the first
				{"tok-b", 7, "other device", later},
				{"tok-c", 8, "someone else", later},
				{"tok-d", 0, "visitor", later},
				{"tok-old", 9, "expired", time.Now().Add(-time.Minute)},
			}
			for _, c := range commits {
				if err := db.CommitSession(ctx, c.token, c.user, time.Time{}, []byte(c.data), c.exp); err != nil {
					t.Fatal(err)
				}
			}
			find := func(token string) string {
				t.Helper()
				b, found, err := db.FindSession(ctx, token)
				if err != nil {
					t.Fatal(err)
				}
				if !found {
					return "<none>"
				}
				return string(b)
			}
			for tok, want := range map[string]string{"tok-a": "second", "tok-b": "other device", "tok-old": "<none>", "nope": "<none>"} {
				if got := find(tok); got != want {
					t.Errorf("FindSession(%s) = %q, want %q", tok, got, want)
				}
			}
			if n, err := db.DeleteUserSessions(ctx, 7); err != nil || n != 2 {
				t.Errorf("DeleteUserSessions(7) = %d, %v; want 2", n, err)
			}
			if find("tok-a") != "<none>" || find("tok-b") != "<none>" || find("tok-c") != "someone else" {
				t.Error("ending user 7's sessions touched the wrong ones")
			}
			if _, err := db.DeleteUserSessions(ctx, 0); err == nil {
				t.Error("DeleteUserSessions(0) ended the visitors' sessions")
			}
			if err := db.DeleteSession(ctx, "tok-c"); err != nil || find("tok-c") != "<none>" {
				t.Errorf("DeleteSession: %v, still %q", err, find("tok-c"))
			}
			if n, err := db.DeleteExpiredSessions(ctx, time.Now()); err != nil || n != 1 {
				t.Errorf("DeleteExpiredSessions = %d, %v; want 1 (tok-old)", n, err)
			}
			if find("tok-d") != "visitor" {
				t.Error("cleanup removed a live session")
			}
			b, _, _ := db.FindSession(ctx, "tok-d")
			if !bytes.Equal(b, []byte("visitor")) {
				t.Errorf("data = %q", b)
			}
		})
	}
}

// TestSessionCommitSlack checks that a session committed again unchanged
// keeps its row (and expiry) when the expiry moves by less than a minute,
// and is rewritten when it moves more or the data changes.
func TestSessionCommitSlack(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := sqldbtest.Open(t, engine)
			ctx := t.Context()
			base := time.Now().Add(time.Hour).Truncate(time.Second)
			commit := func(data string, exp time.Time) {
				t.Helper()
				if err := db.CommitSession(ctx, "tok", 1, time.Time{}, []byte(data), exp); err != nil {
					t.Fatal(err)
				}
			}
			// expired reports whether the row is gone by at.
			expiredBy := func(at time.Time) bool {
				t.Helper()
				n, err := db.DeleteExpiredSessions(ctx, at)
				if err != nil {
					t.Fatal(err)
				}
				return n == 1
			}
			commit("same", base)
			commit("same", base.Add(30*time.Second)) // within the slack: the row keeps base
			if !expiredBy(base.Add(time.Second)) {
				t.Error("an unchanged session within the slack was rewritten")
			}
			commit("same", base)
			commit("same", base.Add(2*time.Minute)) // beyond the slack: rewritten
			if expiredBy(base.Add(time.Minute)) {
				t.Error("an expiry moved by two minutes was not stored")
			}
			commit("other", base.Add(2*time.Minute+10*time.Second)) // new data: rewritten
			if b, _, _ := db.FindSession(ctx, "tok"); string(b) != "other" {
				t.Errorf("changed data not stored: %q", b)
			}
			if expiredBy(base.Add(2*time.Minute + 5*time.Second)) {
				t.Error("the expiry of changed data was not stored")
			}
		})
	}
}

// TestSessionTokensHashed checks that the database never holds a token, by
// reading the SQLite file directly.
func TestSessionTokensHashed(t *testing.T) {
	dsn := sqldbtest.DSN(t, sqldb.SQLite)
	db, err := sqldb.Open(t.Context(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CommitSession(t.Context(), "secret-token-value", 1, time.Time{}, []byte("x"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var key string
	if err := raw.QueryRow(`SELECT token_hash FROM sessions`).Scan(&key); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(key, "secret") || len(key) != 64 {
		t.Errorf("stored key %q is not a SHA-256 of the token", key)
	}
}

// TestSecondFactor stores, reads and clears a second factor, and checks
// that a time step is accepted once on both engines.
func TestSecondFactor(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := sqldbtest.Open(t, engine)
			ctx := t.Context()
			u := &vmt.User{Email: "a@example.org", Role: vmt.RoleVMT, CreatedAt: time.Now()}
			if err := db.Update(ctx, func(tx vmt.Tx) error { return tx.CreateUser(u) }); err != nil {
				t.Fatal(err)
			}
			if f, err := db.SecondFactor(ctx, u.ID); err != nil || f != (vmt.SecondFactor{}) {
				t.Errorf("new user's second factor: %+v, %v", f, err)
			}
			want := vmt.SecondFactor{Secret: "JBSWY3DPEHPK3PXP", Enabled: true, LastStep: 10}
			if err := db.SetSecondFactor(ctx, u.ID, want); err != nil {
				t.Fatal(err)
			}
			if f, err := db.SecondFactor(ctx, u.ID); err != nil || f != want {
				t.Errorf("SecondFactor = %+v, %v; want %+v", f, err, want)
			}
			for _, c := range []struct {
				step int64
				ok   bool
			}{{10, false}, {9, false}, {11, true}, {11, false}, {13, true}} {
				if ok, err := db.UseSecondFactorStep(ctx, u.ID, c.step); err != nil || ok != c.ok {
					t.Errorf("UseSecondFactorStep(%d) = %v, %v; want %v", c.step, ok, err, c.ok)
				}
			}
			if _, err := db.SecondFactor(ctx, u.ID+100); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("unknown user: %v, want not found", err)
			}
			if err := db.SetSecondFactor(ctx, u.ID, vmt.SecondFactor{}); err != nil {
				t.Fatal(err)
			}
			if f, _ := db.SecondFactor(ctx, u.ID); f != (vmt.SecondFactor{}) {
				t.Errorf("after clearing: %+v", f)
			}
		})
	}
}
