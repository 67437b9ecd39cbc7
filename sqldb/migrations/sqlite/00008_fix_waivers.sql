-- Pre-approval and disclosure of fixes (issue 6): the waivers a coordinator
-- records for branches that may reach the disclosure hour without an
-- approved fix, the reports whose disclosure is held because a branch has
-- neither, and the commit of a pull request link (tracked by patch
-- identity when given).

-- +goose Up
CREATE TABLE fix_waivers (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	report_id  INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	branch     TEXT    NOT NULL DEFAULT '',
	reason     TEXT    NOT NULL,
	created_by INTEGER NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL
);
CREATE INDEX fix_waivers_report ON fix_waivers (report_id);

CREATE TABLE disclosure_holds (
	report_id INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
	branches  TEXT    NOT NULL DEFAULT '[]',
	held_at   INTEGER NOT NULL
);

ALTER TABLE fixes ADD COLUMN commit_hash TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE fixes DROP COLUMN commit_hash;
DROP TABLE disclosure_holds;
DROP TABLE fix_waivers;
