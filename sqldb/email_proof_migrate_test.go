package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// Migration 00015 marks the accounts of an older release proven at their
// creation (they were vouched for under the rules before), and accounts
// made after it start unproven.
func TestMigrationMarksExistingAddressesProven(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := sqldbtest.Open(t, engine)
			if err := db.MigrateDownTo(ctx, 14); err != nil {
				t.Fatal(err)
			}
			made := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
			if err := db.Exec(ctx, `INSERT INTO users (email, name, role, password_hash, disabled, created_at)
				VALUES ('old@example.org', '', 'stakeholder', '', false, $1)`, made.UnixMicro()); err != nil {
				t.Fatal(err)
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			err := db.Update(ctx, func(tx vmt.Tx) error {
				old, err := tx.UserByEmail("old@example.org")
				if err != nil {
					return err
				}
				if old.EmailVerifiedAt == nil || !old.EmailVerifiedAt.Equal(made) {
					t.Errorf("an account of the older release: proven at %v, want %v", old.EmailVerifiedAt, made)
				}
				u := &vmt.User{Email: "new@example.org", Role: vmt.RoleReporter, CreatedAt: made.Add(time.Hour)}
				if err := tx.CreateUser(u); err != nil {
					return err
				}
				got, err := tx.User(u.ID)
				if err != nil {
					return err
				}
				if got.EmailVerifiedAt != nil {
					t.Errorf("an account made after the migration starts proven")
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
