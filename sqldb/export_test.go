package sqldb

import "context"

// Exec runs a statement on the write pool outside any vmt.Tx, so that tests
// can try what the store's methods never do.
func (db *DB) Exec(ctx context.Context, query string, args ...any) error {
	_, err := db.write.ExecContext(ctx, query, args...)
	return err
}

// UnavailableCause is unavailableCause, for the classification table.
var UnavailableCause = unavailableCause
