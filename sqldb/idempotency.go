package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/vmtproject/vmt"
)

var _ vmt.IdempotencyStore = (*DB)(nil)

// Why no committed change lacks its key: run stores the claim's row with
// the same *sql.Tx as fn's changes, after fn and before COMMIT, and only
// then commits. The COMMIT makes both durable or neither; there is no
// point between the two at which a crash, a failing disk or an error
// returned after the commit could leave the changes without the row. A
// retry then finds the row and is answered from it rather than run again.
// The answer itself is added after the commit (RecordIdempotentAnswer),
// since it is made after the service returns; when that write is lost, the
// row still says the request was carried out and what it made first
// (Subject), and the http layer answers from that.

// claimRow stores c's record in t, replacing a record of the same key that
// has expired but not been cleaned yet. ErrIdempotencyKeyTaken when a live
// record holds the key: another request with it committed first. On
// PostgreSQL a request committing the key at the same time on another
// instance makes this insert wait for it, then find the row.
func (t *tx) claimRow(c *vmt.IdempotencyClaim) error {
	r := &c.Request
	var one int
	err := t.queryRow(`INSERT INTO idempotency_keys (actor_id, idem_key, fingerprint, route, created_at, subject)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (actor_id, idem_key) DO UPDATE SET fingerprint = excluded.fingerprint, route = excluded.route,
			created_at = excluded.created_at, subject = excluded.subject, status = 0, content_type = '', location = '', body = NULL
		WHERE idempotency_keys.created_at < $7
		RETURNING 1`,
		r.ActorID, r.Key, r.Fingerprint, r.Route, micros(r.CreatedAt), t.subject,
		micros(r.CreatedAt.Add(-vmt.IdempotencyKeyTTL))).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return vmt.ErrIdempotencyKeyTaken
	case err != nil:
		return wrap("record idempotency key", err)
	}
	r.Subject = t.subject
	return nil
}

// IdempotentRequest returns the record of actorID's key made at or after
// since; ENOTFOUND if none.
func (db *DB) IdempotentRequest(ctx context.Context, actorID int64, key string, since time.Time) (*vmt.IdempotentRequest, error) {
	r := &vmt.IdempotentRequest{ActorID: actorID, Key: key}
	err := db.read.QueryRowContext(ctx, `SELECT fingerprint, route, created_at, subject, status, content_type, location, body
		FROM idempotency_keys WHERE actor_id = $1 AND idem_key = $2 AND created_at >= $3`,
		actorID, key, micros(since)).Scan(&r.Fingerprint, &r.Route, timeCol{&r.CreatedAt}, &r.Subject,
		&r.Status, &r.ContentType, &r.Location, &r.Body)
	if err := one("read idempotency key", "idempotency key", err); err != nil {
		return nil, err
	}
	return r, nil
}

// RecordIdempotentAnswer stores the answer of r on its record, if the
// record has none yet and is still r's request.
func (db *DB) RecordIdempotentAnswer(ctx context.Context, r *vmt.IdempotentRequest) error {
	_, err := db.write.ExecContext(ctx, `UPDATE idempotency_keys SET status = $1, content_type = $2, location = $3, body = $4
		WHERE actor_id = $5 AND idem_key = $6 AND fingerprint = $7 AND status = 0`,
		r.Status, r.ContentType, r.Location, r.Body, r.ActorID, r.Key, r.Fingerprint)
	if err != nil {
		err = wrap("record idempotent answer", err)
		db.fault.record(err)
		return err
	}
	return nil
}

// DeleteExpiredIdempotencyKeys removes the keys made before before.
func (db *DB) DeleteExpiredIdempotencyKeys(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.write.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, micros(before))
	if err != nil {
		return 0, wrap("delete expired idempotency keys", err)
	}
	return res.RowsAffected()
}
