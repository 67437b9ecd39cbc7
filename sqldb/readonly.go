package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
)

// openSQLiteReadOnly opens the SQLite file at path for reading only.
//
// A store in WAL mode is read with a -shm file beside it, which SQLite
// creates if it is absent: on read-only media (a backup volume, a
// snapshot mounted read-only) a cleanly stopped store has none and none
// can be made, so the ordinary open fails and mode=ro alone does too.
// Then, and only then, the file is opened immutable=1: SQLite reads it as
// a plain file, with no locks and no -shm. That is right only for a file
// nothing writes and whose -wal holds nothing: a clean stop checkpoints
// the WAL and removes it. A -wal with content means the store was not
// stopped cleanly: immutable would read it without the last commits, so
// the open is refused with what to do instead.
func openSQLiteReadOnly(ctx context.Context, path string) (*DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("sqldb: open sqlite read-only: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqldb: open sqlite read-only: %w", err)
	}
	uri := "file:" + (&url.URL{Path: abs}).EscapedPath() + "?mode=ro&" + sqlitePragmas
	pool, err := sqliteReadPool(ctx, uri)
	if err == nil {
		return readOnlyDB(pool, path), nil
	}
	if fi, werr := os.Stat(abs + "-wal"); werr == nil && fi.Size() > 0 {
		return nil, fmt.Errorf("sqldb: open %s read-only: %w; its -wal file holds changes (the store was not stopped cleanly): copy the directory to writable media and run the command on the copy", path, err)
	}
	pool, ierr := sqliteReadPool(ctx, uri+"&immutable=1")
	if ierr != nil {
		return nil, fmt.Errorf("sqldb: open %s read-only: %w (and immutable: %w)", path, err, ierr)
	}
	return readOnlyDB(pool, path), nil
}

// sqliteReadPool opens a read pool on uri and reads the schema, which is
// where a missing -shm shows: Ping alone opens the file lazily.
func sqliteReadPool(ctx context.Context, uri string) (*sql.DB, error) {
	pool, err := sqlitePool(ctx, uri, max(4, runtime.GOMAXPROCS(0)))
	if err != nil {
		return nil, err
	}
	var n int
	if err := pool.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&n); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// readOnlyDB is a DB whose pools are both pool: every write fails
// (SQLITE_READONLY), and VACUUM INTO, which writes only its new file,
// works.
func readOnlyDB(pool *sql.DB, path string) *DB {
	st := newStmtCache(pool)
	return &DB{write: pool, read: pool, d: sqliteDialect, dsn: path, writeStmts: st, readStmts: st}
}
