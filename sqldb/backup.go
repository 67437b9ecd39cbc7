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
		// made owner-only, then replaces the empty file at path. It runs
		// on the write connection (the read ones are query-only), so
		// writers wait for the copy: seconds for a store of this kind.
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

// pgDump is the pg_dump command that writes a backup of dsn to path. A
// password in dsn goes in the environment (PGPASSWORD), not in the
// arguments, which any local user can read while the dump runs.
func pgDump(ctx context.Context, dsn, path string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "pg_dump", "--format=custom", "--file="+path)
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok {
			cmd.Env = append(os.Environ(), "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
			dsn = u.String()
		}
	}
	cmd.Args = append(cmd.Args, "--dbname="+dsn)
	return cmd
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
