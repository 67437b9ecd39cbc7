package sqldb_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
	"github.com/vmtproject/vmt/storetest"
)

func TestStore(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			storetest.Run(t, func(t *testing.T) vmt.Store { return sqldbtest.Open(t, engine) })
		})
	}
}

// TestAuditAppendOnly checks that the database itself refuses to change or
// remove audit events, whoever asks.
func TestAuditAppendOnly(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := sqldbtest.Open(t, engine)
			err := db.Update(t.Context(), func(tx vmt.Tx) error {
				return tx.AppendAudit(&vmt.AuditEvent{Action: "user.create", Subject: "user:1"})
			})
			if err != nil {
				t.Fatal(err)
			}
			stmts := []string{
				`UPDATE audit_events SET action = 'forged'`,
				`DELETE FROM audit_events`,
			}
			if engine == sqldb.Postgres {
				stmts = append(stmts, `TRUNCATE audit_events`)
			}
			for _, q := range stmts {
				err := db.Exec(t.Context(), q)
				if err == nil || !strings.Contains(err.Error(), "append-only") {
					t.Errorf("%s: error %v, want the append-only refusal", q, err)
				}
			}
			heads, err := db.AuditHeads(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if n, err := vmt.VerifyChain(db.AuditLog(t.Context()), heads); err != nil || n != 1 {
				t.Errorf("VerifyChain = %d, %v; want 1 intact event", n, err)
			}
		})
	}
}

// TestMigrateTwice checks that opening a migrated database migrates nothing
// and keeps its data.
func TestMigrateTwice(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			dsn := sqldbtest.DSN(t, engine)
			log := sqldbtest.Logger(t)
			db, err := sqldb.Open(t.Context(), dsn, log, sqldb.NoMigrate())
			if err != nil {
				t.Fatal(err)
			}
			if cur, latest, err := db.Version(t.Context()); err != nil || cur != 0 || latest < 1 {
				t.Errorf("Version before Migrate = %d, %d, %v; want 0 and at least 1", cur, latest, err)
			}
			if err := db.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			err = db.Update(t.Context(), func(tx vmt.Tx) error {
				return tx.CreateUser(&vmt.User{Email: "a@example.org", Role: vmt.RoleAdmin})
			})
			if err != nil {
				t.Fatal(err)
			}
			db.Close()

			db, err = sqldb.Open(t.Context(), dsn, log)
			if err != nil {
				t.Fatalf("second Open: %v", err)
			}
			defer db.Close()
			if cur, latest, err := db.Version(t.Context()); err != nil || cur != latest {
				t.Errorf("Version after two opens = %d, %d, %v; want equal", cur, latest, err)
			}
			err = db.View(t.Context(), func(tx vmt.Tx) error {
				_, err := tx.UserByEmail("a@example.org")
				return err
			})
			if err != nil {
				t.Errorf("user lost after reopening: %v", err)
			}
		})
	}
}

func TestOpenDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	db, err := sqldb.OpenDir(t.Context(), dir, sqldbtest.Logger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Engine() != sqldb.SQLite {
		t.Errorf("Engine = %q, want %q", db.Engine(), sqldb.SQLite)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o700 {
		t.Errorf("directory mode %v, want 0700", perm)
	}
	if _, err := os.Stat(filepath.Join(dir, "vmt.db")); err != nil {
		t.Errorf("no vmt.db: %v", err)
	}
}

func TestOpenMemoryRefused(t *testing.T) {
	if _, err := sqldb.Open(t.Context(), ":memory:", nil); err == nil {
		t.Error("Open(:memory:) succeeded; each pool would see its own database")
	}
}
