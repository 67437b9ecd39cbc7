package sqldb

import (
	"time"

	"github.com/vmtproject/vmt"
)

const emailProofCols = `id, user_id, email, token_hash, created_at, expires_at, used_at`

func scanEmailProof(s scanner) (*vmt.EmailProof, error) {
	p := &vmt.EmailProof{}
	err := s.Scan(&p.ID, &p.UserID, &p.Email, &p.Hash, timeCol{&p.CreatedAt}, timeCol{&p.ExpiresAt}, nullTimeCol{&p.UsedAt})
	return p, err
}

// CreateEmailProof stores p and sets its id. ECONFLICT if the hash is taken.
func (t *tx) CreateEmailProof(p *vmt.EmailProof) error {
	id, err := t.insert("create email proof",
		&vmt.Error{Code: vmt.ECONFLICT, Field: "token", Message: "this link exists already"},
		`INSERT INTO email_proofs (user_id, email, token_hash, created_at, expires_at, used_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id`,
		p.UserID, p.Email, p.Hash, micros(p.CreatedAt), micros(p.ExpiresAt), nullMicros(p.UsedAt))
	if err != nil {
		return err
	}
	p.ID = id
	return nil
}

// EmailProofByHash returns the proof with this hash, or ENOTFOUND.
func (t *tx) EmailProofByHash(hash string) (*vmt.EmailProof, error) {
	p, err := scanEmailProof(t.queryRow(`SELECT `+emailProofCols+` FROM email_proofs WHERE token_hash = $1`, hash))
	if err := one("get email proof", "email proof", err); err != nil {
		return nil, err
	}
	return p, nil
}

// LatestEmailProof returns the newest proof of userID, or ENOTFOUND.
func (t *tx) LatestEmailProof(userID int64) (*vmt.EmailProof, error) {
	p, err := scanEmailProof(t.queryRow(`SELECT `+emailProofCols+` FROM email_proofs
		WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`, userID))
	if err := one("get latest email proof", "email proof", err); err != nil {
		return nil, err
	}
	return p, nil
}

// UseEmailProof marks proof id used. The condition on used_at makes the
// use single in the statement itself: of two requests with one link, the
// second changes no row and is ECONFLICT.
func (t *tx) UseEmailProof(id int64, at time.Time) error {
	res, err := t.exec(`UPDATE email_proofs SET used_at = $2 WHERE id = $1 AND used_at IS NULL`, id, micros(at))
	if err := affected("use email proof", "email proof", res, err); vmt.ErrorCode(err) != vmt.ENOTFOUND {
		return err
	}
	if _, err := t.emailProof(id); err != nil {
		return err
	}
	return &vmt.Error{Code: vmt.ECONFLICT, Field: "token", Message: "this link was already used"}
}

// emailProof reads proof id, to tell a used proof from a missing one.
func (t *tx) emailProof(id int64) (*vmt.EmailProof, error) {
	p, err := scanEmailProof(t.queryRow(`SELECT `+emailProofCols+` FROM email_proofs WHERE id = $1`, id))
	if err := one("get email proof", "email proof", err); err != nil {
		return nil, err
	}
	return p, nil
}
