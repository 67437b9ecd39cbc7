-- Embargo and disclosure (issue 5): the stakeholder registry and its
-- applications, each project's disclosure settings, and the outbox of
-- side effects (notice mails) written in the transaction that causes them.

-- +goose Up
CREATE TABLE stakeholders (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	organisation TEXT    NOT NULL UNIQUE,
	contacts     TEXT    NOT NULL DEFAULT '[]',
	public_key   TEXT    NOT NULL DEFAULT '',
	fingerprint  TEXT    NOT NULL DEFAULT '',
	key_expires  INTEGER,
	projects     TEXT    NOT NULL DEFAULT '[]',
	created_at   INTEGER  NOT NULL,
	updated_at   INTEGER  NOT NULL
);

CREATE TABLE stakeholder_requests (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id        INTEGER NOT NULL REFERENCES users (id),
	organisation   TEXT    NOT NULL,
	contacts       TEXT    NOT NULL DEFAULT '[]',
	public_key     TEXT    NOT NULL DEFAULT '',
	projects       TEXT    NOT NULL DEFAULT '[]',
	rationale      TEXT    NOT NULL,
	state          TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'declined')),
	decided_by     INTEGER REFERENCES users (id),
	decided_at     INTEGER,
	note           TEXT    NOT NULL DEFAULT '',
	stakeholder_id INTEGER REFERENCES stakeholders (id) ON DELETE SET NULL,
	created_at     INTEGER  NOT NULL
);
CREATE INDEX stakeholder_requests_user ON stakeholder_requests (user_id);

CREATE TABLE disclosure_settings (
	project_id         INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
	policy             TEXT    NOT NULL DEFAULT '',
	embargo_limit_days INTEGER NOT NULL CHECK (embargo_limit_days > 0),
	max_embargo_days   INTEGER NOT NULL CHECK (max_embargo_days > 0 AND max_embargo_days <= 90),
	lists              TEXT    NOT NULL DEFAULT '[]'
);

CREATE TABLE outbox (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	key          TEXT    NOT NULL UNIQUE,
	kind         TEXT    NOT NULL,
	report_id    INTEGER REFERENCES reports (id) ON DELETE SET NULL,
	payload      TEXT    NOT NULL,
	state        TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
	attempts     INTEGER NOT NULL DEFAULT 0,
	next_attempt INTEGER  NOT NULL,
	last_error   TEXT    NOT NULL DEFAULT '',
	created_at   INTEGER  NOT NULL,
	done_at      INTEGER
);
-- The worker's claim reads only pending items, by due time.
CREATE INDEX outbox_due ON outbox (next_attempt) WHERE state = 'pending';
CREATE INDEX outbox_report ON outbox (report_id);
-- The disclosure worker looks for private reports with a date.
CREATE INDEX reports_disclosure_due ON reports (disclosure_at) WHERE visibility = 'private' AND disclosure_at IS NOT NULL;

-- +goose Down
DROP INDEX reports_disclosure_due;
DROP TABLE outbox;
DROP TABLE disclosure_settings;
DROP TABLE stakeholder_requests;
DROP TABLE stakeholders;
