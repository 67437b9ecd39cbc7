-- What each person chose to receive of the notifications (notify.go):
-- off_kinds is the comma-separated list of the kinds they turned off (no
-- row, or an empty list: every kind), digest whether they asked for one
-- mail a day. One row per user, replaced as a whole.
--
-- notification_digest keeps, for those who take the digest, each event
-- they would have been mailed of, until the worker sends them together
-- (sent_at).

-- +goose Up
CREATE TABLE notification_prefs (
	user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	off_kinds  TEXT    NOT NULL DEFAULT '',
	digest     INTEGER NOT NULL DEFAULT 0 CHECK (digest IN (0, 1)),
	updated_at INTEGER NOT NULL
);
CREATE TABLE notification_digest (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	report_id  INTEGER NOT NULL,
	kind       TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	sent_at    INTEGER
);
CREATE INDEX notification_digest_pending ON notification_digest (user_id, created_at) WHERE sent_at IS NULL;

-- +goose Down
DROP TABLE notification_digest;
DROP TABLE notification_prefs;
