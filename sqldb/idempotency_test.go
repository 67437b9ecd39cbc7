package sqldb_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestIdempotencyClaimCommitsWithTheChange: the key's record commits in
// the transaction of the change and only with it; a second claim of the
// key fails and its change is rolled back.
func TestIdempotencyClaimCommitsWithTheChange(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			db := sqldbtest.Open(t, engine)
			ctx := context.Background()
			now := time.Now().UTC().Truncate(time.Microsecond)
			claim := func() *vmt.IdempotencyClaim {
				return &vmt.IdempotencyClaim{Request: vmt.IdempotentRequest{ActorID: 7, Key: "k1", Fingerprint: "fp", Route: "POST /x", CreatedAt: now}}
			}
			user := func(email string) func(vmt.Tx) error {
				return func(tx vmt.Tx) error {
					u := &vmt.User{Email: email, Name: email, Role: vmt.RoleReporter, CreatedAt: now}
					if err := tx.CreateUser(u); err != nil {
						return err
					}
					return tx.AppendAudit(&vmt.AuditEvent{At: now, Action: "user.create", Subject: fmt.Sprintf("user:%d", u.ID)})
				}
			}
			// A failed transaction leaves no key.
			c := claim()
			err := db.Update(vmt.WithIdempotencyClaim(ctx, c), func(vmt.Tx) error { return errors.New("boom") })
			if err == nil || c.Committed() {
				t.Fatal("a failed Update committed its claim")
			}
			if _, err := db.IdempotentRequest(ctx, 7, "k1", now.Add(-time.Hour)); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Fatalf("key after a rollback: %v, want ENOTFOUND", err)
			}
			c = claim()
			if err := db.Update(vmt.WithIdempotencyClaim(ctx, c), user("a@example.org")); err != nil {
				t.Fatal(err)
			}
			if !c.Committed() {
				t.Fatal("claim not marked committed")
			}
			rec, err := db.IdempotentRequest(ctx, 7, "k1", now.Add(-time.Hour))
			if err != nil || rec.Fingerprint != "fp" || rec.Status != 0 || rec.Subject == "" {
				t.Fatalf("record %+v, %v", rec, err)
			}
			// Another request with the key: refused, its user not made.
			err = db.Update(vmt.WithIdempotencyClaim(ctx, claim()), user("b@example.org"))
			if !errors.Is(err, vmt.ErrIdempotencyKeyTaken) {
				t.Fatalf("second claim: %v, want ErrIdempotencyKeyTaken", err)
			}
			err = db.View(ctx, func(tx vmt.Tx) error { _, err := tx.UserByEmail("b@example.org"); return err })
			if vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Fatalf("the refused request's user: %v, want ENOTFOUND", err)
			}
			rec.Status, rec.Body = 201, []byte(`{"id":1}`)
			if err := db.RecordIdempotentAnswer(ctx, rec); err != nil {
				t.Fatal(err)
			}
			got, err := db.IdempotentRequest(ctx, 7, "k1", now.Add(-time.Hour))
			if err != nil || got.Status != 201 || string(got.Body) != `{"id":1}` {
				t.Fatalf("answer %+v, %v", got, err)
			}
			// Another actor's same key is another key.
			c = claim()
			c.Request.ActorID = 8
			if err := db.Update(vmt.WithIdempotencyClaim(ctx, c), user("c@example.org")); err != nil {
				t.Fatal(err)
			}
			// Expired keys: not found, cleaned, and free again.
			if _, err := db.IdempotentRequest(ctx, 7, "k1", now.Add(time.Second)); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Fatalf("expired key: %v", err)
			}
			n, err := db.DeleteExpiredIdempotencyKeys(ctx, now.Add(time.Second))
			if err != nil || n != 2 {
				t.Fatalf("cleaned %d, %v; want 2", n, err)
			}
		})
	}
}

// TestUnavailableCause: the engines' errors that mean "cannot work now"
// are classified, and the others are not.
func TestUnavailableCause(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&pgconn.PgError{Code: "53100"}, true},
		{&pgconn.PgError{Code: "53300"}, true},
		{&pgconn.PgError{Code: "25006"}, true},
		{&pgconn.PgError{Code: "57P01"}, true},
		{&pgconn.PgError{Code: "57P03"}, true},
		{&net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, true},
		{&pgconn.PgError{Code: "23505"}, false},
		{&pgconn.PgError{Code: "40001"}, false},
		{context.Canceled, false},
		{errors.New("some bug"), false},
	} {
		if got := sqldb.UnavailableCause(fmt.Errorf("wrapped: %w", tc.err)) != ""; got != tc.want {
			t.Errorf("%v: unavailable %v, want %v", tc.err, got, tc.want)
		}
	}
}
