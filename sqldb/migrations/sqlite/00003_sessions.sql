-- Web sessions. token_hash is the SHA-256 of the session token, so that a
-- copy of the database holds no usable session; user_id (0 before sign-in)
-- lets "log out everywhere" end every session of a user.

-- +goose Up
CREATE TABLE sessions (
	token_hash TEXT    PRIMARY KEY,
	user_id    INTEGER NOT NULL DEFAULT 0,
	data       BLOB    NOT NULL,
	expiry     INTEGER NOT NULL
);
CREATE INDEX sessions_user   ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expiry);

-- +goose Down
DROP TABLE sessions;
