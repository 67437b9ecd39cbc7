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
	// CommitSession creates or replaces a session. signedIn is when its
	// user signed in (zero before sign-in).
	CommitSession(ctx context.Context, token string, userID int64, signedIn time.Time, data []byte, expiry time.Time) error
	// DeleteSession ends one session; an unknown token is not an error.
	DeleteSession(ctx context.Context, token string) error
	// DeleteUserSessions ends every session of a user and returns how many.
	// A session signed in before is never found again, even if a request
	// under way writes it back.
	DeleteUserSessions(ctx context.Context, userID int64) (int64, error)
	// DeleteExpiredSessions removes the sessions expired at now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
}

// SecondFactor is a user's optional second factor: a TOTP secret (RFC
// 6238), whether the user confirmed it with a code, and the last time step
// whose code was accepted, so that each code signs in once.
type SecondFactor struct {
	Secret   string
	Enabled  bool
	LastStep int64
}

// SecondFactorStore keeps the second factor of each user.
type SecondFactorStore interface {
	// SecondFactor returns the user's second factor; the zero value when
	// none is set. ENOTFOUND if there is no such user.
	SecondFactor(ctx context.Context, userID int64) (SecondFactor, error)
	// SetSecondFactor replaces it; the zero value removes it.
	SetSecondFactor(ctx context.Context, userID int64, f SecondFactor) error
	// UseSecondFactorStep records that the code of step was accepted and
	// reports false, changing nothing, when step is not after the last one
	// recorded: the code was used already (a replay).
	UseSecondFactorStep(ctx context.Context, userID, step int64) (bool, error)
}

// SecondFactorOffered reports whether accounts of role r may add a second
// factor: those who see embargoed reports beyond their own.
func SecondFactorOffered(r Role) bool {
	switch r {
	case RoleAdmin, RoleVMT, RoleReviewer, RoleCommittee:
		return true
	}
	return false
}

// RegisterInput is what a reporter without an account gives.
type RegisterInput struct {
	Email    string
	Name     string
	Password string
}
