-- The first schema. Times are unix microseconds (UTC); string lists are JSON
-- arrays; booleans are 0/1. Shipped migrations are never edited: add a new
-- numbered file instead.

-- +goose Up
CREATE TABLE users (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	email         TEXT    NOT NULL UNIQUE,
	name          TEXT    NOT NULL,
	role          TEXT    NOT NULL,
	password_hash TEXT    NOT NULL DEFAULT '',
	disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at    INTEGER NOT NULL
);

CREATE TABLE tokens (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name       TEXT    NOT NULL,
	hash       TEXT    NOT NULL UNIQUE,
	created_at INTEGER NOT NULL
);
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE projects (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	name            TEXT    NOT NULL UNIQUE,
	advisory_prefix TEXT    NOT NULL,
	note_prefix     TEXT    NOT NULL,
	branches        TEXT    NOT NULL DEFAULT '[]',
	created_at      INTEGER NOT NULL
);

CREATE TABLE project_members (
	project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role       TEXT    NOT NULL CHECK (role IN ('vmt', 'reviewer', 'committee')),
	PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_user ON project_members (user_id);

CREATE TABLE reports (
	id                 INTEGER PRIMARY KEY AUTOINCREMENT,
	project_id         INTEGER NOT NULL REFERENCES projects (id),
	title              TEXT    NOT NULL,
	description        TEXT    NOT NULL,
	reporter_id        INTEGER NOT NULL REFERENCES users (id),
	coordinator_id     INTEGER REFERENCES users (id), -- NULL: unassigned
	visibility         TEXT    NOT NULL CHECK (visibility IN ('private', 'public')),
	status             TEXT    NOT NULL,
	class              TEXT    NOT NULL DEFAULT '',
	components         TEXT    NOT NULL DEFAULT '[]',
	affected_versions  TEXT    NOT NULL DEFAULT '',
	credit             TEXT    NOT NULL DEFAULT '',
	cves               TEXT    NOT NULL DEFAULT '[]',
	hardening          INTEGER NOT NULL DEFAULT 0 CHECK (hardening IN (0, 1)),
	impact_description TEXT    NOT NULL DEFAULT '',
	reporter_terms     TEXT    NOT NULL DEFAULT '',
	never_disclose     TEXT    NOT NULL DEFAULT '[]',
	disclosure_at      INTEGER,
	cve_requested_at   INTEGER,
	notice_sent_at     INTEGER,
	reminder           TEXT    NOT NULL DEFAULT '',
	created_at         INTEGER NOT NULL,
	updated_at         INTEGER NOT NULL
);
CREATE INDEX reports_project     ON reports (project_id);
CREATE INDEX reports_status      ON reports (status);
CREATE INDEX reports_class       ON reports (class);
CREATE INDEX reports_visibility  ON reports (visibility);
CREATE INDEX reports_reporter    ON reports (reporter_id);
CREATE INDEX reports_coordinator ON reports (coordinator_id);
CREATE INDEX reports_created     ON reports (created_at DESC, id DESC);

CREATE TABLE subscriptions (
	report_id  INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	granted_by INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (report_id, user_id)
);
CREATE INDEX subscriptions_user ON subscriptions (user_id);

CREATE TABLE comments (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	report_id  INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	author_id  INTEGER NOT NULL REFERENCES users (id),
	body       TEXT    NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX comments_report ON comments (report_id, created_at, id);

-- No foreign keys: the log outlives whatever it mentions. 0 means none.
CREATE TABLE audit_events (
	seq        INTEGER PRIMARY KEY,
	at         INTEGER NOT NULL,
	actor_id   INTEGER NOT NULL,
	action     TEXT    NOT NULL,
	project_id INTEGER NOT NULL DEFAULT 0,
	report_id  INTEGER NOT NULL DEFAULT 0,
	subject    TEXT    NOT NULL,
	"before"   TEXT,
	"after"    TEXT,
	prev_hash  TEXT    NOT NULL,
	hash       TEXT    NOT NULL
);
CREATE INDEX audit_events_report  ON audit_events (report_id, seq);
CREATE INDEX audit_events_project ON audit_events (project_id, action, seq);

-- +goose StatementBegin
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
	SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd

-- The chain head, one row: the last sequence number and hash appended, so
-- that events removed from the tail are detected.
CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	seq  INTEGER NOT NULL,
	hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_events;
DROP TABLE comments;
DROP TABLE subscriptions;
DROP TABLE reports;
DROP TABLE project_members;
DROP TABLE projects;
DROP TABLE tokens;
DROP TABLE users;
