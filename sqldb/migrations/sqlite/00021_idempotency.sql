-- Idempotency keys (issue 17): a client that got no answer sends its
-- request again with the same key and gets the first answer instead of a
-- second report. The row is written in the transaction of the request's
-- changes, so that no committed change lacks its key; the answer (status,
-- type, location, body) is added after the commit. fingerprint is the
-- SHA-256 of the route and body, so that a key reused for another request
-- is refused. subject is what the request made first (e.g. report:42).
-- Rows older than a day are deleted by the cleaning round.
--
-- store_probe is the one row the readiness check writes, so that a full
-- disk or a read-only file system shows before a report meets it.

-- +goose Up
CREATE TABLE idempotency_keys (
	actor_id     INTEGER NOT NULL,
	idem_key     TEXT    NOT NULL,
	fingerprint  TEXT    NOT NULL,
	route        TEXT    NOT NULL,
	created_at   INTEGER NOT NULL,
	subject      TEXT    NOT NULL DEFAULT '',
	status       INTEGER NOT NULL DEFAULT 0,
	content_type TEXT    NOT NULL DEFAULT '',
	location     TEXT    NOT NULL DEFAULT '',
	body         BLOB,
	PRIMARY KEY (actor_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

CREATE TABLE store_probe (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL
);
INSERT INTO store_probe (id, at) VALUES (1, 0);

-- +goose Down
DROP TABLE store_probe;
DROP TABLE idempotency_keys;
