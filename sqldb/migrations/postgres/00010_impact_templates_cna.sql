-- Issue 4: approvals of the impact description (each of the text as it
-- stood, by its hash), each project's own templates, and the CVE Services
-- settings of a project that is a CNA (a reference to its API key, never
-- the key).

-- +goose Up
CREATE TABLE impact_approvals (
	report_id   BIGINT  NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	approver    TEXT    NOT NULL CHECK (approver IN ('reporter', 'committee')),
	user_id     BIGINT  NOT NULL REFERENCES users (id),
	text_sha256 TEXT    NOT NULL,
	approved_at BIGINT  NOT NULL,
	PRIMARY KEY (report_id, approver)
);

CREATE TABLE project_templates (
	project_id BIGINT  NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	name       TEXT    NOT NULL,
	text       TEXT    NOT NULL,
	updated_at BIGINT  NOT NULL,
	updated_by BIGINT  NOT NULL REFERENCES users (id),
	PRIMARY KEY (project_id, name)
);

CREATE TABLE cna_settings (
	project_id  BIGINT  PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
	enabled     BOOLEAN NOT NULL DEFAULT FALSE,
	short_name  TEXT    NOT NULL DEFAULT '',
	org_id      TEXT    NOT NULL DEFAULT '',
	api_user    TEXT    NOT NULL DEFAULT '',
	api_key_ref TEXT    NOT NULL DEFAULT '',
	endpoint    TEXT    NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE cna_settings;
DROP TABLE project_templates;
DROP TABLE impact_approvals;
