-- Fixes: patches attached to a report per branch (issue 6). series holds
-- git format-patch text (private reports) and url a pull request link
-- (public ones); each upload for a report and branch is a new version,
-- reviewed on its own; merge_* are what the merge tracker last found.

-- +goose Up
CREATE TABLE fixes (
	id               INTEGER PRIMARY KEY AUTOINCREMENT,
	report_id        INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	branch           TEXT    NOT NULL,
	version          INTEGER NOT NULL CHECK (version > 0),
	series           TEXT    NOT NULL DEFAULT '',
	url              TEXT    NOT NULL DEFAULT '',
	subjects         TEXT    NOT NULL DEFAULT '[]',
	uploaded_by      INTEGER NOT NULL REFERENCES users (id),
	created_at       INTEGER NOT NULL,
	review           TEXT    NOT NULL DEFAULT 'pending' CHECK (review IN ('pending', 'approved', 'changes_requested')),
	reviewed_by      INTEGER REFERENCES users (id),
	reviewed_at      INTEGER,
	review_note      TEXT    NOT NULL DEFAULT '',
	merge_state      TEXT    NOT NULL DEFAULT '' CHECK (merge_state IN ('', 'not_merged', 'partial', 'merged')),
	merge_commit     TEXT    NOT NULL DEFAULT '',
	merge_error      TEXT    NOT NULL DEFAULT '',
	merge_checked_at INTEGER,
	UNIQUE (report_id, branch, version)
);

-- +goose Down
DROP TABLE fixes;
