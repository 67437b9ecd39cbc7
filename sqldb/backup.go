package sqldb

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
)

// Backup writes a consistent copy of the store to path, which must not
// exist. On SQLite the copy is a database file made with VACUUM INTO, which
// may run beside a live server; on PostgreSQL it is a pg_dump archive in the
// custom format (restore with pg_restore). The file is made readable by its
// owner only: it holds embargoed reports.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("sqldb: backup: %s exists; choose a new file", path)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("sqldb: backup: %w", err)
	}
	f.Close()
	switch db.d.name {
	case SQLite:
		// VACUUM INTO refuses an existing file, even an empty one, and
		// creates its file with the process umask: it writes into a
		// directory of its own (mode 0700) beside path, and the copy,
		// made owner-only, then replaces the empty file at path. On a
		// store opened for writing it runs on the write connection (the
		// read ones are query-only), so writers wait for the copy:
		// seconds for a store of this kind. vmt backup opens the store
		// ReadOnly, where it runs in a read transaction beside writers.
		if err := db.vacuumInto(ctx, path); err != nil {
			os.Remove(path)
			return fmt.Errorf("sqldb: backup: %w", err)
		}
		return nil
	default:
		cmd := pgDump(ctx, db.dsn, path)
		if out, err := cmd.CombinedOutput(); err != nil {
			os.Remove(path)
			return fmt.Errorf("sqldb: backup with pg_dump: %w: %s", err, out)
		}
		return nil
	}
}

// pgDump is the pg_dump command that writes a backup of dsn to path.
func pgDump(ctx context.Context, dsn, path string) *exec.Cmd {
	return pgTool(ctx, "pg_dump", dsn, "--format=custom", "--file="+path)
}

// dsnPassword takes the password out of dsn and returns it as a
// PGPASSWORD= environment entry ("" when there is none).
func dsnPassword(dsn string) (string, string) {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn, ""
	}
	pw, ok := u.User.Password()
	if !ok {
		return dsn, ""
	}
	u.User = url.User(u.User.Username())
	return u.String(), "PGPASSWORD=" + pw
}

// vacuumInto writes an SQLite copy of the store to path, readable by its
// owner only from the start.
func (db *DB) vacuumInto(ctx context.Context, path string) error {
	dir, err := os.MkdirTemp(filepath.Dir(path), ".vmt-backup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "vmt.db")
	if _, err := db.write.ExecContext(ctx, "VACUUM INTO $1", tmp); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
