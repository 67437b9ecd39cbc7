-- account_links holds the one-time links that let an account with no
-- password set its first one: the link the first start prints for the
-- administrator, and the link an invitation mails. Only the SHA-256 of
-- the secret is kept (160 bits of entropy, like an API token); a link is
-- good once (used_at), until expires_at, for the address it was made for.

-- +goose Up
CREATE TABLE account_links (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	email      TEXT    NOT NULL,
	purpose    TEXT    NOT NULL,
	token_hash TEXT    NOT NULL UNIQUE,
	created_by INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER
);
CREATE INDEX account_links_user ON account_links (user_id, created_at);

-- +goose Down
DROP TABLE account_links;
