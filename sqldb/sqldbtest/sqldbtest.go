// Package sqldbtest gives tests a fresh, migrated store on each engine.
//
// SQLite always runs, in t.TempDir(). PostgreSQL gets a new database per call
// on the server named by VMT_TEST_POSTGRES (default
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable), dropped when
// the test ends. If that server cannot be reached the test is skipped, or
// fails when CI=true, so that a CI run never passes without PostgreSQL.
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"github.com/vmtproject/vmt/sqldb"
)

// DefaultPostgres is the server used when VMT_TEST_POSTGRES is unset.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Engines returns the engines to run store-backed tests on.
func Engines() []string { return []string{sqldb.SQLite, sqldb.Postgres} }

// Open returns a fresh, migrated store on engine, closed (and on PostgreSQL
// dropped) when t ends.
func Open(t testing.TB, engine string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(t.Context(), DSN(t, engine), Logger(t))
	if err != nil {
		t.Fatalf("sqldbtest: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// DSN returns the name of a fresh, empty database on engine, to be opened
// with sqldb.Open. It is removed when t ends.
func DSN(t testing.TB, engine string) string {
	t.Helper()
	switch engine {
	case sqldb.SQLite:
		return filepath.Join(t.TempDir(), "vmt.db")
	case sqldb.Postgres:
		return createPostgres(t)
	}
	t.Fatalf("sqldbtest: unknown engine %q", engine)
	return ""
}

// Logger returns a logger that writes to the test's output, shown on failure
// or with -v.
func Logger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

var admin struct {
	once sync.Once
	url  *url.URL
	db   *sql.DB
	err  error
}

// server connects once to the PostgreSQL server, to create and drop test
// databases.
func server() (*url.URL, *sql.DB, error) {
	admin.once.Do(func() {
		dsn := os.Getenv("VMT_TEST_POSTGRES")
		if dsn == "" {
			dsn = DefaultPostgres
		}
		if admin.url, admin.err = url.Parse(dsn); admin.err != nil {
			return
		}
		if admin.db, admin.err = sql.Open("pgx", dsn); admin.err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		admin.err = admin.db.PingContext(ctx)
	})
	return admin.url, admin.db, admin.err
}

func createPostgres(t testing.TB) string {
	u, db, err := server()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("sqldbtest: PostgreSQL is required under CI=true: %v", err)
		}
		t.Skipf("sqldbtest: PostgreSQL unreachable (set VMT_TEST_POSTGRES): %v", err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	name := "vmt_test_" + hex.EncodeToString(b)
	// The name is ours, made of [a-z0-9_]; identifiers cannot be parameters.
	if _, err := db.ExecContext(t.Context(), "CREATE DATABASE "+name); err != nil {
		t.Fatalf("sqldbtest: %v", err)
	}
	t.Cleanup(func() {
		// FORCE ends connections a failed test left open.
		_, err := db.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		if err != nil {
			t.Errorf("sqldbtest: drop %s: %v", name, err)
		}
	})
	v := *u
	v.Path = "/" + name
	return v.String()
}

// Exec runs a statement on the database dsn names, bypassing the store, as
// someone with access to the database files would: for tamper tests.
func Exec(t testing.TB, dsn, query string, args ...any) {
	t.Helper()
	driver := "sqlite"
	if sqldb.IsPostgres(dsn) {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("sqldbtest: %v", err)
	}
	defer db.Close()
	if _, err := db.ExecContext(t.Context(), query, args...); err != nil {
		t.Fatalf("sqldbtest: %s: %v", query, err)
	}
}
