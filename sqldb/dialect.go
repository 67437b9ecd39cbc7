package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is everything that differs between the engines. The SQL itself is
// shared: both accept $n placeholders, RETURNING and ON CONFLICT.
type dialect struct {
	name  string
	goose goose.Dialect
	// forUpdate locks rows read in a write transaction: the audit head, and
	// a report about to be changed. SQLite has no row locks and needs none:
	// its single write connection already serializes writers.
	forUpdate string
	// auditSeq is the expression of the next audit sequence number, and
	// dmlCTE says a WITH clause may hold an INSERT (one round trip for
	// the event and its chain head).
	auditSeq string
	dmlCTE   bool
	viewOpts *sql.TxOptions
	// isUnique reports a unique or primary key violation.
	isUnique func(error) bool
	// retryable reports a failure that running the transaction again cures.
	retryable func(error) bool
}

var sqliteDialect = &dialect{
	name:  SQLite,
	goose: goose.DialectSQLite3,
	// The one write connection appends one event at a time.
	auditSeq: "(SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_events)",
	viewOpts: &sql.TxOptions{ReadOnly: true},
	isUnique: func(err error) bool {
		return sqliteCode(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
	},
	retryable: func(error) bool { return false },
}

var postgresDialect = &dialect{
	name:      Postgres,
	goose:     goose.DialectPostgres,
	forUpdate: " FOR UPDATE",
	auditSeq:  "nextval('audit_seq')",
	dmlCTE:    true,
	// Repeatable read gives the queries of one View a single snapshot (a
	// page of reports and its count agree); read-only transactions never
	// fail its serialization checks.
	viewOpts:  &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead},
	isUnique:  func(err error) bool { return pgCode(err, "23505") },
	retryable: func(err error) bool { return pgCode(err, "40001", "40P01") },
}

func sqliteCode(err error, codes ...int) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	for _, c := range codes {
		if e.Code() == c {
			return true
		}
	}
	return false
}

func pgCode(err error, codes ...string) bool {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return false
	}
	for _, c := range codes {
		if e.Code == c {
			return true
		}
	}
	return false
}

// sqlitePragmas apply to every connection. WAL lets readers run beside the
// writer; busy_timeout covers other processes holding the write lock.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file::memory:") {
		// Each pool would get its own empty database.
		return nil, fmt.Errorf("sqldb: in-memory SQLite is not supported; give a file path")
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	// _txlock=immediate takes the write lock at BEGIN, so a writer never
	// fails half-way when upgrading a read lock. synchronous FULL syncs the
	// WAL at every commit: a report acknowledged to its reporter survives a
	// power cut, which NORMAL does not promise.
	write, err := sqlitePool(ctx, path+sep+sqlitePragmas+
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate", 1)
	if err != nil {
		return nil, err
	}
	// The writer has made the file and set WAL; readers only read.
	read, err := sqlitePool(ctx, path+sep+sqlitePragmas+"&_pragma=query_only(1)", max(4, runtime.GOMAXPROCS(0)))
	if err != nil {
		write.Close()
		return nil, err
	}
	return &DB{write: write, read: read, d: sqliteDialect, dsn: path,
		writeStmts: newStmtCache(write), readStmts: newStmtCache(read)}, nil
}

func sqlitePool(ctx context.Context, dsn string, conns int) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqldb: open sqlite: %w", err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqldb: open sqlite: %w", err)
	}
	return db, nil
}

func openPostgres(ctx context.Context, dsn string, readOnly bool) (*DB, error) {
	// Reads get a pool of their own whose sessions refuse writes, so that a
	// View, and a ViewOne that runs outside a transaction, cannot write.
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	ro := dsn + sep + "default_transaction_read_only=on"
	wdsn := dsn
	if readOnly {
		wdsn = ro
	}
	write, err := postgresPool(ctx, wdsn)
	if err != nil {
		return nil, err
	}
	read, err := postgresPool(ctx, ro)
	if err != nil {
		write.Close()
		return nil, err
	}
	return &DB{write: write, read: read, d: postgresDialect, dsn: dsn}, nil
}

func postgresPool(ctx context.Context, dsn string) (*sql.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqldb: open postgres: %w", err)
	}
	// As many idle connections as open ones: under load, closing and
	// reopening connections would cost more than the queries.
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqldb: open postgres: %w", err)
	}
	return db, nil
}
