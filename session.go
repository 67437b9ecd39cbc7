package vmt

import (
	"context"
	"time"
)

// SessionStore keeps the sessions of the web pages: an opaque blob per
// session token, with the user it belongs to (0 before sign-in) so that all
// of a user's sessions can be ended at once. Tokens are secrets: an
// implementation stores only a hash of each.
type SessionStore interface {
	// FindSession returns the data of an unexpired session; found is false
	// when the token is unknown or expired.
	FindSession(ctx context.Context, token string) (data []byte, found bool, err error)
	// CommitSession creates or replaces a session.
	CommitSession(ctx context.Context, token string, userID int64, data []byte, expiry time.Time) error
	// DeleteSession ends one session; an unknown token is not an error.
	DeleteSession(ctx context.Context, token string) error
	// DeleteUserSessions ends every session of a user and returns how many.
	DeleteUserSessions(ctx context.Context, userID int64) (int64, error)
	// DeleteExpiredSessions removes the sessions expired at now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
}
