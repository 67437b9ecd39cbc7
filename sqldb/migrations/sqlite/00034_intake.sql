-- Intake by mail (issue 13): where a project's mailbox is read, and the
-- messages read from it.
--
-- intake_settings holds references to the secrets (env:NAME, file:/path),
-- never the secrets. intake_messages is the record of each message filed:
-- its unique (project, Message-ID) is what files a message once, also
-- when two instances read the mailbox at the same time. intake_failures
-- keeps the messages that could not be read, once per message (key), for
-- the VMT; the messages themselves stay in the mailbox.

-- +goose Up
CREATE TABLE intake_settings (
	project_id     INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
	enabled        INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
	addr           TEXT    NOT NULL DEFAULT '',
	security       TEXT    NOT NULL DEFAULT '',
	imap_user      TEXT    NOT NULL DEFAULT '',
	password_ref   TEXT    NOT NULL DEFAULT '',
	folder         TEXT    NOT NULL DEFAULT '',
	key_ref        TEXT    NOT NULL DEFAULT '',
	passphrase_ref TEXT    NOT NULL DEFAULT ''
);
CREATE TABLE intake_messages (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	message_id  TEXT    NOT NULL,
	report_id   INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	sender      TEXT    NOT NULL,
	encrypted   INTEGER NOT NULL CHECK (encrypted IN (0, 1)),
	sig_state   TEXT    NOT NULL,
	sig_fpr     TEXT    NOT NULL DEFAULT '',
	sig_keyid   TEXT    NOT NULL DEFAULT '',
	filed_at    INTEGER NOT NULL,
	UNIQUE (project_id, message_id)
);
CREATE TABLE intake_failures (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	msg_key     TEXT    NOT NULL,
	sender      TEXT    NOT NULL DEFAULT '',
	subject     TEXT    NOT NULL DEFAULT '',
	size        INTEGER NOT NULL DEFAULT 0,
	reason      TEXT    NOT NULL,
	attempts    INTEGER NOT NULL DEFAULT 1,
	first_at    INTEGER NOT NULL,
	last_at     INTEGER NOT NULL,
	UNIQUE (project_id, msg_key)
);

-- +goose Down
DROP TABLE intake_failures;
DROP TABLE intake_messages;
DROP TABLE intake_settings;
