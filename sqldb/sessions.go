package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"github.com/vmtproject/vmt"
)

var _ vmt.SessionStore = (*DB)(nil)

// sessionKey is the stored form of a session token: its SHA-256. The
// tokens are long random strings, so one hash suffices, and a leaked
// database or backup holds no session anyone can use.
func sessionKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// FindSession returns the data of an unexpired session, unless its user
// has ended every session since it was signed in.
func (db *DB) FindSession(ctx context.Context, token string) ([]byte, bool, error) {
	var data []byte
	err := db.read.QueryRowContext(ctx, `SELECT s.data FROM sessions s LEFT JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.expiry > $2
		AND (s.user_id = 0 OR u.sessions_ended_at IS NULL OR s.signed_in_at > u.sessions_ended_at)`,
		sessionKey(token), time.Now().UnixMicro()).Scan(&data)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, wrap("find session", err)
	}
	return data, true, nil
}

// sessionSlack is how far an unchanged session's expiry may lag: the idle
// timeout moves the expiry at every request, and rewriting the row each
// time would cost a synced write per page view.
const sessionSlack = time.Minute

// CommitSession creates or replaces a session. A session whose data and
// user are unchanged keeps its row when its expiry moves by less than
// sessionSlack.
func (db *DB) CommitSession(ctx context.Context, token string, userID int64, signedIn time.Time, data []byte, expiry time.Time) error {
	var since any
	if !signedIn.IsZero() {
		since = signedIn.UnixMicro()
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, signed_in_at, data, expiry)
		VALUES ($1, $2, $6, $3, $4)
		ON CONFLICT (token_hash) DO UPDATE SET user_id = excluded.user_id, signed_in_at = excluded.signed_in_at,
			data = excluded.data, expiry = excluded.expiry
		WHERE sessions.data <> excluded.data OR sessions.user_id <> excluded.user_id OR sessions.expiry < excluded.expiry - $5`,
		sessionKey(token), userID, data, expiry.UnixMicro(), sessionSlack.Microseconds(), since)
	if err != nil {
		return wrap("commit session", err)
	}
	return nil
}

// DeleteSession ends one session.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	if _, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, sessionKey(token)); err != nil {
		return wrap("delete session", err)
	}
	return nil
}

// DeleteUserSessions ends every session of a user.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) (int64, error) {
	if userID == 0 {
		// 0 marks the sessions of visitors not signed in; they are no
		// one's to end.
		return 0, vmt.Invalid("user_id", "is required")
	}
	// The mark first, in the same transaction: a session written back
	// by a request under way is refused by FindSession from then on.
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, wrap("delete user sessions", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE users SET sessions_ended_at = $2 WHERE id = $1`, userID, time.Now().UnixMicro()); err != nil {
		return 0, wrap("delete user sessions", err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
	if err != nil {
		return 0, wrap("delete user sessions", err)
	}
	n, err := res.RowsAffected()
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return 0, wrap("delete user sessions", err)
	}
	return n, nil
}

// DeleteExpiredSessions removes the sessions expired at now.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE expiry <= $1`, now.UnixMicro())
	if err != nil {
		return 0, wrap("delete expired sessions", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, wrap("delete expired sessions", err)
	}
	return n, nil
}

var _ vmt.SecondFactorStore = (*DB)(nil)

// SecondFactor returns a user's second factor.
func (db *DB) SecondFactor(ctx context.Context, userID int64) (vmt.SecondFactor, error) {
	var f vmt.SecondFactor
	err := db.read.QueryRowContext(ctx, `SELECT totp_secret, totp_enabled, totp_last_step FROM users WHERE id = $1`, userID).
		Scan(&f.Secret, &f.Enabled, &f.LastStep)
	if err := one("get second factor", "user", err); err != nil {
		return vmt.SecondFactor{}, err
	}
	return f, nil
}

// SetSecondFactor replaces a user's second factor.
func (db *DB) SetSecondFactor(ctx context.Context, userID int64, f vmt.SecondFactor) error {
	res, err := db.write.ExecContext(ctx, `UPDATE users SET totp_secret = $1, totp_enabled = $2, totp_last_step = $3 WHERE id = $4`,
		f.Secret, f.Enabled, f.LastStep, userID)
	return affected("set second factor", "user", res, err)
}

// UseSecondFactorStep records an accepted time step, once: the condition
// in the UPDATE makes the check and the write one atomic step, so that two
// requests racing with the same code cannot both pass.
func (db *DB) UseSecondFactorStep(ctx context.Context, userID, step int64) (bool, error) {
	res, err := db.write.ExecContext(ctx, `UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1`, step, userID)
	if err != nil {
		return false, wrap("use second factor step", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, wrap("use second factor step", err)
	}
	return n == 1, nil
}
