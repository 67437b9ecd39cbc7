-- What each person chose to receive of the notifications (notify.go):
-- off_kinds is the comma-separated list of the kinds they turned off (no
-- row, or an empty list: every kind), digest whether they asked for one
-- mail a day. One row per user, replaced as a whole.

-- +goose Up
CREATE TABLE notification_prefs (
	user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	off_kinds  TEXT    NOT NULL DEFAULT '',
	digest     INTEGER NOT NULL DEFAULT 0 CHECK (digest IN (0, 1)),
	updated_at INTEGER NOT NULL
);

-- +goose Down
DROP TABLE notification_prefs;
