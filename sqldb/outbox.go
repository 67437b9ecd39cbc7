package sqldb

import (
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/vmtproject/vmt"
)

const outboxCols = `id, key, kind, report_id, payload, state, attempts, next_attempt, last_error, created_at, done_at`

func scanOutbox(s scanner) (*vmt.OutboxItem, error) {
	o := &vmt.OutboxItem{}
	var payload string
	err := s.Scan(&o.ID, &o.Key, &o.Kind, idCol{&o.ReportID}, &payload, &o.State, &o.Attempts,
		timeCol{&o.NextAttempt}, &o.LastError, timeCol{&o.CreatedAt}, nullTimeCol{&o.DoneAt})
	o.Payload = json.RawMessage(payload)
	return o, err
}

// Enqueue stores o as pending and sets its id; ECONFLICT if its key is
// taken, which is how an effect is never enqueued twice.
func (t *tx) Enqueue(o *vmt.OutboxItem) error {
	o.State = vmt.OutboxPending
	id, err := t.insert("enqueue", &vmt.Error{Code: vmt.ECONFLICT, Field: "key", Message: "outbox item " + o.Key + " is already enqueued"},
		`INSERT INTO outbox (key, kind, report_id, payload, state, attempts, next_attempt, last_error, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id`,
		o.Key, o.Kind, nullID(o.ReportID), string(o.Payload), o.State, o.Attempts, micros(o.NextAttempt),
		o.LastError, micros(o.CreatedAt))
	if err != nil {
		return err
	}
	o.ID = id
	return nil
}

// ClaimOutbox leases up to limit due pending items in one statement. On
// PostgreSQL the inner SELECT locks the rows it picks and skips those
// another claim holds; SQLite's single writer makes claims take turns.
func (t *tx) ClaimOutbox(now time.Time, lease time.Duration, limit int) ([]*vmt.OutboxItem, error) {
	lock := ""
	if t.db.d.forUpdate != "" {
		lock = t.db.d.forUpdate + " SKIP LOCKED"
	}
	os, err := list(t, scanOutbox, `UPDATE outbox SET attempts = attempts + 1, next_attempt = $2
		WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND next_attempt <= $1
			ORDER BY next_attempt, id LIMIT $3`+lock+`)
		RETURNING `+outboxCols, micros(now), micros(now.Add(lease)), limit)
	if err != nil {
		return nil, wrap("claim outbox", err)
	}
	// RETURNING gives no order; the worker wants the oldest first.
	slices.SortFunc(os, func(a, b *vmt.OutboxItem) int { return cmp.Compare(a.ID, b.ID) })
	return os, nil
}

// UpdateOutbox stores the outcome of an attempt, if o is still the claim
// the caller made.
func (t *tx) UpdateOutbox(o *vmt.OutboxItem) error {
	res, err := t.exec(`UPDATE outbox SET state = $3, next_attempt = $4, last_error = $5, done_at = $6
		WHERE id = $1 AND attempts = $2 AND state = 'pending'`,
		o.ID, o.Attempts, o.State, micros(o.NextAttempt), o.LastError, nullMicros(o.DoneAt))
	return affected("update outbox", "outbox claim", res, err)
}

// ReleaseOutbox gives back the claims of items, each at its own next
// attempt and last error, and uncounts their attempt: a worker that stops,
// or leaves the rest of a batch, hands the items to the next claim at
// once instead of holding them to the end of the lease. An item whose
// claim is no longer the caller's (done, failed, or claimed again after
// the lease ran out) is left alone; the count is of those released.
func (t *tx) ReleaseOutbox(items []*vmt.OutboxItem) (int, error) {
	n := 0
	for _, o := range items {
		res, err := t.exec(`UPDATE outbox SET attempts = attempts - 1, next_attempt = $3, last_error = $4
			WHERE id = $1 AND attempts = $2 AND state = 'pending'`,
			o.ID, o.Attempts, micros(o.NextAttempt), o.LastError)
		if err != nil {
			return n, wrap("release outbox", err)
		}
		k, err := res.RowsAffected()
		if err != nil {
			return n, wrap("release outbox", err)
		}
		n += int(k)
	}
	return n, nil
}

// OutboxItems returns the items of a report (0: all), by id.
func (t *tx) OutboxItems(reportID int64) ([]*vmt.OutboxItem, error) {
	os, err := list(t, scanOutbox, `SELECT `+outboxCols+` FROM outbox WHERE $1 = 0 OR report_id = $1 ORDER BY id`, reportID)
	if err != nil {
		return nil, wrap("list outbox", err)
	}
	return os, nil
}

// OutboxPage reads one page of the whole outbox, in one state or all.
func (t *tx) OutboxPage(state vmt.OutboxState, after int64, limit int) ([]*vmt.OutboxItem, error) {
	os, err := list(t, scanOutbox, `SELECT `+outboxCols+` FROM outbox WHERE ($1 = '' OR state = $1) AND id > $2 ORDER BY id LIMIT $3`,
		string(state), after, limit)
	if err != nil {
		return nil, wrap("list outbox page", err)
	}
	return os, nil
}

// RetryOutbox makes a failed item pending again, due at at, with no
// attempt counted: the worker's next claim after at takes it, and the
// limit of attempts applies afresh.
func (t *tx) RetryOutbox(id int64, at time.Time) (*vmt.OutboxItem, error) {
	os, err := list(t, scanOutbox, `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt = $2, done_at = NULL
		WHERE id = $1 AND state = 'failed' RETURNING `+outboxCols, id, micros(at))
	if err != nil {
		return nil, wrap("retry outbox", err)
	}
	if len(os) == 1 {
		return os[0], nil
	}
	var state string
	err = t.queryRow(`SELECT state FROM outbox WHERE id = $1`, id).Scan(&state)
	if err := one("retry outbox", "outbox item", err); err != nil {
		return nil, err
	}
	return nil, &vmt.Error{Code: vmt.ECONFLICT, Field: "id", Message: "outbox item " + strconv.FormatInt(id, 10) + " is " + state + ", not failed: only a failed item is retried"}
}

// DueDisclosure returns a due private report's id, locked for this
// transaction, or 0. The lock (PostgreSQL) makes a second instance skip
// the report while the first discloses it; once that commits the report is
// public and no longer matches. A held report (DisclosureHold) is skipped.
func (t *tx) DueDisclosure(now time.Time) (int64, error) {
	lock := ""
	if t.db.d.forUpdate != "" {
		lock = t.db.d.forUpdate + " SKIP LOCKED"
	}
	var id int64
	err := t.queryRow(`SELECT id FROM reports WHERE visibility = 'private' AND disclosure_at IS NOT NULL
		AND disclosure_at <= $1 AND id NOT IN (SELECT report_id FROM disclosure_holds)
		ORDER BY disclosure_at, id LIMIT 1`+lock, micros(now)).Scan(&id)
	if err := one("due disclosure", "report", err); err != nil {
		if vmt.ErrorCode(err) == vmt.ENOTFOUND {
			return 0, nil
		}
		return 0, err
	}
	return id, nil
}
