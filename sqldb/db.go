// Package sqldb implements vmt.Store on SQLite and on PostgreSQL with one SQL
// code base. The engines differ only where they must (connection set-up,
// error codes, row locks); see dialect.go.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/vmtproject/vmt"
)

var (
	_ vmt.Store = (*DB)(nil)
	_ vmt.Tx    = (*tx)(nil)
)

// The engine names Engine returns.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is a vmt.Store backed by SQLite or PostgreSQL.
type DB struct {
	// On SQLite, write has exactly one connection, so that writers queue in
	// the process instead of failing with SQLITE_BUSY, and read has several
	// read-only ones. On PostgreSQL read is a second pool whose sessions
	// are read-only.
	write, read *sql.DB
	d           *dialect
	log         *slog.Logger
	dsn         string // for Backup
	// Prepared statements per pool, on SQLite only (see stmtCache).
	writeStmts, readStmts *stmtCache
	fault                 writeFault // for Ready
	writes                atomic.Uint64
}

// Writes counts the read-write transactions this DB has ended, committed
// or not, so that a cache of what it read (app's report reads) can tell
// that anything may have changed since, whoever wrote it in this process.
func (db *DB) Writes() uint64 { return db.writes.Load() }

// Option changes how Open sets up a store.
type Option func(*options)

type options struct {
	noMigrate bool
	readOnly  bool
}

// NoMigrate makes Open leave the schema as it is, for commands that only
// report or apply migrations themselves.
func NoMigrate() Option { return func(o *options) { o.noMigrate = true } }

// ReadOnly opens the store for reading only, and implies NoMigrate: for
// the commands that only read it (vmt audit verify, vmt backup), so that
// they work on a store they cannot write, such as a copy on read-only
// media, and cannot change what they check. Update fails. On SQLite see
// openSQLiteReadOnly; on PostgreSQL every session is read-only.
func ReadOnly() Option { return func(o *options) { o.readOnly, o.noMigrate = true, true } }

// Open opens the store named by dsn: a PostgreSQL URL (postgres:// or
// postgresql://) or the path of an SQLite file, created if absent. Unless
// NoMigrate is given it brings the schema up to date. A nil log discards.
func Open(ctx context.Context, dsn string, log *slog.Logger, opts ...Option) (*DB, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var db *DB
	var err error
	switch {
	case IsPostgres(dsn):
		db, err = openPostgres(ctx, dsn, o.readOnly)
	case o.readOnly:
		db, err = openSQLiteReadOnly(ctx, dsn)
	default:
		db, err = openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	db.log = log
	if !o.noMigrate {
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// OpenDir opens the SQLite store dir/vmt.db, creating dir (mode 0700: the
// store holds embargoed reports) if needed; with ReadOnly, dir must exist.
func OpenDir(ctx context.Context, dir string, log *slog.Logger, opts ...Option) (*DB, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if !o.readOnly {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("sqldb: %w", err)
		}
	}
	return Open(ctx, filepath.Join(dir, "vmt.db"), log, opts...)
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Engine returns SQLite or Postgres.
func (db *DB) Engine() string { return db.d.name }

// Close closes the connection pools.
func (db *DB) Close() error {
	if db.writeStmts != nil {
		db.writeStmts.close()
		db.readStmts.close()
	}
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Update runs fn in a read-write transaction and commits if fn returns nil.
// On PostgreSQL a transaction that loses a deadlock or a serialization check
// is run again, so fn must only touch the store and its own variables.
func (db *DB) Update(ctx context.Context, fn func(vmt.Tx) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = db.run(ctx, db.write, db.writeStmts, nil, fn)
		if attempt == 3 || !db.d.retryable(err) {
			break
		}
		db.log.WarnContext(ctx, "retrying transaction", "attempt", attempt, "err", err)
	}
	db.writes.Add(1)
	err = classify(err)
	if err == nil {
		db.fault.clear()
	} else {
		db.fault.record(err)
	}
	return err
}

// View runs fn in a read-only transaction.
func (db *DB) View(ctx context.Context, fn func(vmt.Tx) error) error {
	return classify(db.run(ctx, db.read, db.readStmts, db.d.viewOpts, fn))
}

// ViewOne runs fn's single statement on the read pool, outside a
// transaction. A second statement is a bug of the caller and fails.
func (db *DB) ViewOne(ctx context.Context, fn func(vmt.Tx) error) error {
	return classify(fn(&tx{ctx: ctx, db: db, stmts: db.readStmts, pool: db.read}))
}

// run is one transaction. It rolls back when fn fails or panics.
func (db *DB) run(ctx context.Context, pool *sql.DB, stmts *stmtCache, opts *sql.TxOptions, fn func(vmt.Tx) error) (err error) {
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("sqldb: begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = sqlTx.Rollback() // the first error is the one to report
		}
	}()
	t := &tx{ctx: ctx, tx: sqlTx, db: db, stmts: stmts}
	var claim *vmt.IdempotencyClaim
	if pool == db.write {
		t.forUpdate = db.d.forUpdate
		if claim = vmt.IdempotencyClaimFrom(ctx); claim != nil && claim.Committed() {
			claim = nil // an earlier transaction of the request holds it
		}
	}
	if err := fn(t); err != nil {
		return err
	}
	// The key goes in this transaction, after fn (so that it names what
	// fn made) and before the commit (see idempotency.go for why this
	// leaves no committed change without its key).
	if claim != nil {
		if err := t.claimRow(claim); err != nil {
			return err
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("sqldb: commit: %w", err)
	}
	committed = true
	if claim != nil {
		claim.MarkCommitted()
	}
	return nil
}
