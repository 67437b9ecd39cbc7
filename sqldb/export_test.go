package sqldb

import (
	"context"
	"database/sql"
)

// Exec runs a statement on the write pool outside any vmt.Tx, so that tests
// can try what the store's methods never do.
func (db *DB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := db.write.ExecContext(ctx, query, args...)
	return err
}

// QueryRow reads one row on the write pool outside any vmt.Tx, for a
// column the store's methods no longer read (a migration's down step).
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return db.write.QueryRowContext(ctx, query, args...)
}

// UnavailableCause is unavailableCause, for the classification table.
var UnavailableCause = unavailableCause
