package sqldb

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The password of a PostgreSQL URL must not be in pg_dump's arguments,
// which other local users can read in the process table.
func TestPgDumpKeepsPasswordOutOfArgs(t *testing.T) {
	cmd := pgDump(t.Context(), "postgres://vmt:s3cret@db.example:5432/vmt?sslmode=require", "/tmp/x.dump")
	for _, a := range cmd.Args {
		if strings.Contains(a, "s3cret") {
			t.Errorf("argument %q holds the password", a)
		}
	}
	if !slices.Contains(cmd.Args, "--dbname=postgres://vmt@db.example:5432/vmt?sslmode=require") {
		t.Errorf("args %q: want the URL without its password", cmd.Args)
	}
	if !slices.Contains(cmd.Env, "PGPASSWORD=s3cret") {
		t.Error("PGPASSWORD not set")
	}

	cmd = pgDump(t.Context(), "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "/tmp/x.dump")
	if cmd.Env != nil || !slices.Contains(cmd.Args, "--dbname=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable") {
		t.Errorf("without a password: args %q, env set %v", cmd.Args, cmd.Env != nil)
	}
}

// An SQLite backup is the only thing it leaves in its directory, owner-only
// (VACUUM INTO writes it in a 0700 directory of its own first, since it
// creates files with the umask), and a second one to the same path is
// refused.
func TestSQLiteBackupFile(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "vmt.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "backup.db")
	if err := db.Backup(t.Context(), path); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 || entries[0].Name() != "backup.db" {
		t.Fatalf("backup directory holds %v (%v), want only backup.db", entries, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Size() == 0 || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, %v", fi, err)
	}
	if err := db.Backup(t.Context(), path); err == nil {
		t.Error("a second backup to the same path was not refused")
	}
}
