package sqldb

import (
	"strings"

	"github.com/vmtproject/vmt"
)

const userCols = `id, email, name, role, password_hash, disabled, created_at, openpgp_key, openpgp_fingerprint, openpgp_key_expires, email_verified_at`

func scanUser(s scanner) (*vmt.User, error) {
	u := &vmt.User{}
	err := s.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.Disabled, timeCol{&u.CreatedAt},
		&u.OpenPGPKey, &u.OpenPGPFingerprint, nullTimeCol{&u.OpenPGPKeyExpires}, nullTimeCol{&u.EmailVerifiedAt})
	return u, err
}

func emailTaken() *vmt.Error {
	return &vmt.Error{Code: vmt.ECONFLICT, Field: "email", Message: "a user with this email exists"}
}

// CreateUser stores u and sets its id. ECONFLICT if the email is taken.
func (t *tx) CreateUser(u *vmt.User) error {
	id, err := t.insert("create user", emailTaken(),
		`INSERT INTO users (email, name, role, password_hash, disabled, created_at,
			openpgp_key, openpgp_fingerprint, openpgp_key_expires, email_verified_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id`,
		u.Email, u.Name, u.Role, u.PasswordHash, u.Disabled, micros(u.CreatedAt),
		u.OpenPGPKey, u.OpenPGPFingerprint, nullMicros(u.OpenPGPKeyExpires), nullMicros(u.EmailVerifiedAt))
	if err != nil {
		return err
	}
	u.ID = id
	return nil
}

// User returns user id, or ENOTFOUND.
func (t *tx) User(id int64) (*vmt.User, error) {
	u, err := scanUser(t.queryRow(`SELECT `+userCols+` FROM users WHERE id = $1`, id))
	if err := one("get user", "user", err); err != nil {
		return nil, err
	}
	return u, nil
}

// UserByEmail returns the user with this (normalized) email, or ENOTFOUND.
func (t *tx) UserByEmail(email string) (*vmt.User, error) {
	u, err := scanUser(t.queryRow(`SELECT `+userCols+` FROM users WHERE email = $1`, email))
	if err := one("get user by email", "user", err); err != nil {
		return nil, err
	}
	return u, nil
}

// Users returns every user by id.
func (t *tx) Users() ([]*vmt.User, error) {
	us, err := list(t, scanUser, `SELECT `+userCols+` FROM users ORDER BY id`)
	if err != nil {
		return nil, wrap("list users", err)
	}
	return us, nil
}

// UpdateUser stores every field of u but its id and creation time. ENOTFOUND
// if u is not stored; ECONFLICT if the new email is taken.
func (t *tx) UpdateUser(u *vmt.User) error {
	res, err := t.exec(`UPDATE users SET email = $2, name = $3, role = $4, password_hash = $5, disabled = $6,
		openpgp_key = $7, openpgp_fingerprint = $8, openpgp_key_expires = $9, email_verified_at = $10
		WHERE id = $1`, u.ID, u.Email, u.Name, u.Role, u.PasswordHash, u.Disabled,
		u.OpenPGPKey, u.OpenPGPFingerprint, nullMicros(u.OpenPGPKeyExpires), nullMicros(u.EmailVerifiedAt))
	if t.db.d.isUnique(err) {
		return emailTaken()
	}
	return affected("update user", "user", res, err)
}

// CountUsers returns the number of users.
func (t *tx) CountUsers() (int, error) {
	var n int
	if err := t.queryRow(`SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, wrap("count users", err)
	}
	return n, nil
}

const tokenCols = `id, user_id, name, hash, created_at`

func scanToken(s scanner) (*vmt.Token, error) {
	k := &vmt.Token{}
	err := s.Scan(&k.ID, &k.UserID, &k.Name, &k.Hash, timeCol{&k.CreatedAt})
	return k, err
}

// CreateToken stores k and sets its id. ECONFLICT if the hash is taken.
func (t *tx) CreateToken(k *vmt.Token) error {
	id, err := t.insert("create token",
		&vmt.Error{Code: vmt.ECONFLICT, Field: "token", Message: "this token exists already"},
		`INSERT INTO tokens (user_id, name, hash, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT DO NOTHING RETURNING id`,
		k.UserID, k.Name, k.Hash, micros(k.CreatedAt))
	if err != nil {
		return err
	}
	k.ID = id
	return nil
}

// TokenByHash returns the token with this hash, or ENOTFOUND.
func (t *tx) TokenByHash(hash string) (*vmt.Token, error) {
	k, err := scanToken(t.queryRow(`SELECT `+tokenCols+` FROM tokens WHERE hash = $1`, hash))
	if err := one("get token", "token", err); err != nil {
		return nil, err
	}
	return k, nil
}

// UserByToken returns the user holding the token with this hash, or
// ENOTFOUND.
func (t *tx) UserByToken(hash string) (*vmt.User, error) {
	// Qualified: both tables have id, name and created_at.
	u, err := scanUser(t.queryRow(`SELECT `+qualified("u", userCols)+`
		FROM tokens k JOIN users u ON u.id = k.user_id WHERE k.hash = $1`, hash))
	if err := one("get user by token", "token", err); err != nil {
		return nil, err
	}
	return u, nil
}

// Tokens returns a user's tokens by id.
func (t *tx) Tokens(userID int64) ([]*vmt.Token, error) {
	ks, err := list(t, scanToken, `SELECT `+tokenCols+` FROM tokens WHERE user_id = $1 ORDER BY id`, userID)
	if err != nil {
		return nil, wrap("list tokens", err)
	}
	return ks, nil
}

// DeleteToken removes token id of userID; ENOTFOUND unless it is theirs.
func (t *tx) DeleteToken(userID, id int64) error {
	res, err := t.exec(`DELETE FROM tokens WHERE id = $1 AND user_id = $2`, id, userID)
	return affected("delete token", "token", res, err)
}

// qualified returns the column list cols with each column prefixed by the
// table alias, for a join where a column name is ambiguous.
func qualified(alias, cols string) string {
	names := strings.Split(cols, ",")
	for i, c := range names {
		names[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(names, ", ")
}
