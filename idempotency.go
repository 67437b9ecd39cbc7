package vmt

import (
	"context"
	"sync/atomic"
	"time"
)

// A client that did not get an answer (a cut connection, a 500 from a
// failing disk) cannot know whether its request took effect. With an
// idempotency key it can send the request again: the first request that
// commits records the key in the same transaction as its changes, and every
// later one with the key gets the first one's answer instead of doing it
// again (issue 17).

// IdempotencyKeyTTL is how long a key is kept: a retry comes within
// minutes, and a day covers a client that retries the next morning.
const IdempotencyKeyTTL = 24 * time.Hour

// MaxIdempotencyKeyLength bounds a key: a UUID is 36 characters.
const MaxIdempotencyKeyLength = 255

// CheckIdempotencyKey refuses a key that is empty, longer than
// MaxIdempotencyKeyLength, or holds anything but printable ASCII.
func CheckIdempotencyKey(key string) error {
	const field = "Idempotency-Key"
	if key == "" {
		return Invalid(field, "must not be empty")
	}
	if len(key) > MaxIdempotencyKeyLength {
		return Invalid(field, "is longer than %d characters", MaxIdempotencyKeyLength)
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			return Invalid(field, "holds a character that is not printable ASCII at position %d", i+1)
		}
	}
	return nil
}

// IdempotentRequest is the record of one key: whose it is, what request
// it was given with, what the request changed first, and once known the
// answer to replay.
type IdempotentRequest struct {
	ActorID int64
	Key     string
	// Fingerprint identifies the request (its route and body): the same
	// key with another request is refused, not replayed.
	Fingerprint string
	Route       string // e.g. "POST /api/v1/reports"
	CreatedAt   time.Time
	// Subject is the subject of the first audit event the request's
	// transaction appended (e.g. "report:42"): what it made, for an answer
	// that was lost after the commit.
	Subject string
	// Status is 0 until the answer is recorded.
	Status      int
	ContentType string
	Location    string
	Body        []byte
}

// IdempotencyStore keeps the keys. A key is per actor: two users' keys never
// meet.
type IdempotencyStore interface {
	// IdempotentRequest returns the record of actorID's key made at or
	// after since; ENOTFOUND if none.
	IdempotentRequest(ctx context.Context, actorID int64, key string, since time.Time) (*IdempotentRequest, error)
	// RecordIdempotentAnswer stores the answer fields of r on its record,
	// if the record is still without an answer.
	RecordIdempotentAnswer(ctx context.Context, r *IdempotentRequest) error
	// DeleteExpiredIdempotencyKeys removes the keys made before before.
	DeleteExpiredIdempotencyKeys(ctx context.Context, before time.Time) (int64, error)
}

// IdempotencyClaim is a key a request carries in its context. The store's
// Update commits its record (Store.Update's contract) in the transaction
// of the request's first write, and marks the claim committed.
type IdempotencyClaim struct {
	Request   IdempotentRequest
	committed atomic.Bool
}

// MarkCommitted records that the claim's record is committed: later
// Updates of the request leave it alone.
func (c *IdempotencyClaim) MarkCommitted() { c.committed.Store(true) }

// Committed reports whether a transaction committed the claim's record.
func (c *IdempotencyClaim) Committed() bool { return c.committed.Load() }

type idempotencyKey struct{}

// WithIdempotencyClaim returns ctx carrying c.
func WithIdempotencyClaim(ctx context.Context, c *IdempotencyClaim) context.Context {
	return context.WithValue(ctx, idempotencyKey{}, c)
}

// IdempotencyClaimFrom returns the claim ctx carries, nil if none.
func IdempotencyClaimFrom(ctx context.Context) *IdempotencyClaim {
	c, _ := ctx.Value(idempotencyKey{}).(*IdempotencyClaim)
	return c
}

// ErrIdempotencyKeyTaken is what Update fails with when the claim's key is
// already recorded: another request with it committed first (or is
// committing, on another instance).
var ErrIdempotencyKeyTaken = &Error{Code: ECONFLICT, Field: "Idempotency-Key",
	Message: "a request with this Idempotency-Key was carried out or is in progress; send it again to get its answer"}
