-- A project's repository on the forge (GitHub) and how vmt reaches it
-- (issue 16). As for the CNA's key, only where the server reads each
-- credential is stored (env:NAME or file:/path), never the credential.

-- +goose Up
CREATE TABLE forge_settings (
	project_id         INTEGER PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
	enabled            INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
	owner              TEXT    NOT NULL DEFAULT '',
	repo               TEXT    NOT NULL DEFAULT '',
	app_id             INTEGER NOT NULL DEFAULT 0,
	installation_id    INTEGER NOT NULL DEFAULT 0,
	private_key_ref    TEXT    NOT NULL DEFAULT '',
	token_ref          TEXT    NOT NULL DEFAULT '',
	webhook_secret_ref TEXT    NOT NULL DEFAULT '',
	endpoint           TEXT    NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE forge_settings;
