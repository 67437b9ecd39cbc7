-- An address carries rights (a stakeholder's contact, a notice recipient)
-- only once its owner has proven it: users.email_verified_at is when they
-- opened the link mailed to it, NULL while unproven.
--
-- Accounts that exist when this runs are marked proven at their creation:
-- they were made by an administrator, by the bootstrap or through the
-- report form under the rules before this one, and a stakeholder account
-- among them may hold grants the VMT gave knowing whose it is. Taking
-- their rights away silently on an upgrade would end embargo access in
-- the middle of an embargo; an administrator who doubts one can recreate
-- it. New accounts start unproven (service_email_proof.go).
--
-- email_proofs holds the links: only the SHA-256 of the secret (it has 160
-- bits of entropy, like an API token), the address it was sent to, when
-- it expires and when it was used (a link is good once).

-- +goose Up
ALTER TABLE users ADD COLUMN email_verified_at INTEGER;
UPDATE users SET email_verified_at = created_at;
CREATE TABLE email_proofs (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	email      TEXT    NOT NULL,
	token_hash TEXT    NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER
);
CREATE INDEX email_proofs_user ON email_proofs (user_id, created_at);

-- +goose Down
DROP TABLE email_proofs;
ALTER TABLE users DROP COLUMN email_verified_at;
