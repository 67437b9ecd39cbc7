-- Web sessions. token_hash is the SHA-256 of the session token, so that a
-- copy of the database holds no usable session; user_id (0 before sign-in)
-- lets "log out everywhere" end every session of a user. The totp_ columns
-- of users hold the optional second factor (RFC 6238): the secret, whether
-- it is confirmed, and the last time step used, so that a code is good once.

-- +goose Up
CREATE TABLE sessions (
	token_hash TEXT   PRIMARY KEY,
	user_id    BIGINT NOT NULL DEFAULT 0,
	data       BYTEA  NOT NULL,
	expiry     BIGINT NOT NULL
);
CREATE INDEX sessions_user   ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expiry);

ALTER TABLE users ADD COLUMN totp_secret    TEXT    NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_enabled   BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT  NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN totp_last_step;
ALTER TABLE users DROP COLUMN totp_enabled;
ALTER TABLE users DROP COLUMN totp_secret;
DROP TABLE sessions;
