package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// Restore makes the store named by dsn from a file Backup wrote: on SQLite
// the database file is copied to dsn (the path of the new store's file,
// which must not exist), owner-only; on PostgreSQL the pg_dump archive is
// loaded with pg_restore into dsn, which must be an empty database. It
// never writes over a store: an existing one is an error that says so.
// The restored store is at the backup's schema version; Open migrates it.
func Restore(ctx context.Context, dsn, file string) error {
	if _, err := os.Stat(file); err != nil {
		return fmt.Errorf("sqldb: restore: %w", err)
	}
	if IsPostgres(dsn) {
		return restorePostgres(ctx, dsn, file)
	}
	return restoreSQLite(dsn, file)
}

// restoreSQLite copies file to path through a temporary file beside it,
// synced before the rename, so that a crash leaves no half-copied store
// where a server would open it.
func restoreSQLite(path, file string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("sqldb: restore: %s exists; restore into a new directory, or move the store away first", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("sqldb: restore: %w", err)
	}
	in, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("sqldb: restore: %w", err)
	}
	defer in.Close()
	tmp := path + ".restoring"
	out, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("sqldb: restore: %w", err)
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("sqldb: restore: %w", err)
	}
	return nil
}

// restorePostgres loads the archive into dsn, refusing a database that
// already has tables: pg_restore would mix the two.
func restorePostgres(ctx context.Context, dsn, file string) error {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("sqldb: restore: %w", err)
	}
	var n int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'`).Scan(&n)
	db.Close()
	if err != nil {
		return fmt.Errorf("sqldb: restore: %w", err)
	}
	if n > 0 {
		return fmt.Errorf("sqldb: restore: the database already holds %d tables; restore into a new, empty database", n)
	}
	cmd := pgTool(ctx, "pg_restore", dsn, "--no-owner", "--no-privileges", "--exit-on-error", file)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("sqldb: restore with pg_restore: %w: %s", err, out)
	}
	return nil
}

// pgTool is a PostgreSQL client command on dsn with args. A password in
// dsn goes in the environment (PGPASSWORD), not in the arguments, which
// any local user can read while the command runs.
func pgTool(ctx context.Context, name, dsn string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	dsn, env := dsnPassword(dsn)
	if env != "" {
		cmd.Env = append(os.Environ(), env)
	}
	cmd.Args = append(cmd.Args, "--dbname="+dsn)
	return cmd
}
