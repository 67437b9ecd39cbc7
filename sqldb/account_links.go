package sqldb

import (
	"time"

	"github.com/vmtproject/vmt"
)

const accountLinkCols = `id, user_id, email, purpose, token_hash, created_by, created_at, expires_at, used_at`

func scanAccountLink(s scanner) (*vmt.AccountLink, error) {
	l := &vmt.AccountLink{}
	err := s.Scan(&l.ID, &l.UserID, &l.Email, &l.Purpose, &l.Hash, &l.CreatedBy,
		timeCol{&l.CreatedAt}, timeCol{&l.ExpiresAt}, nullTimeCol{&l.UsedAt})
	return l, err
}

// CreateAccountLink stores l and sets its id. ECONFLICT if the hash is
// taken.
func (t *tx) CreateAccountLink(l *vmt.AccountLink) error {
	id, err := t.insert("create account link",
		&vmt.Error{Code: vmt.ECONFLICT, Field: "token", Message: "this link exists already"},
		`INSERT INTO account_links (user_id, email, purpose, token_hash, created_by, created_at, expires_at, used_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
		l.UserID, l.Email, string(l.Purpose), l.Hash, l.CreatedBy, micros(l.CreatedAt), micros(l.ExpiresAt), nullMicros(l.UsedAt))
	if err != nil {
		return err
	}
	l.ID = id
	return nil
}

// AccountLinkByHash returns the link with this hash, or ENOTFOUND.
func (t *tx) AccountLinkByHash(hash string) (*vmt.AccountLink, error) {
	l, err := scanAccountLink(t.queryRow(`SELECT `+accountLinkCols+` FROM account_links WHERE token_hash = $1`, hash))
	if err := one("get account link", "account link", err); err != nil {
		return nil, err
	}
	return l, nil
}

// UseAccountLink marks link id used. The condition on used_at makes the
// use single in the statement itself: of two requests with one link, the
// second changes no row and is ECONFLICT.
func (t *tx) UseAccountLink(id int64, at time.Time) error {
	res, err := t.exec(`UPDATE account_links SET used_at = $2 WHERE id = $1 AND used_at IS NULL`, id, micros(at))
	if err := affected("use account link", "account link", res, err); vmt.ErrorCode(err) != vmt.ENOTFOUND {
		return err
	}
	if _, err := scanAccountLink(t.queryRow(`SELECT `+accountLinkCols+` FROM account_links WHERE id = $1`, id)); err != nil {
		return one("get account link", "account link", err)
	}
	return &vmt.Error{Code: vmt.ECONFLICT, Field: "token", Message: "this link was already used"}
}

// EndAccountLinks marks every unused link of userID used at at, so that a
// new link replaces the ones before it. It returns how many it ended.
func (t *tx) EndAccountLinks(userID int64, at time.Time) (int64, error) {
	res, err := t.exec(`UPDATE account_links SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`, userID, micros(at))
	if err != nil {
		return 0, wrap("end account links", err)
	}
	return res.RowsAffected()
}
