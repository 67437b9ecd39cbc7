-- The public issue on the forge each report is followed in, one per report
-- and one report per issue, and the webhook deliveries received, so that a
-- delivery GitHub sends again is applied once.

-- +goose Up
CREATE TABLE forge_issues (
	report_id  INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
	project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	number     INTEGER NOT NULL,
	url        TEXT    NOT NULL,
	linked_at  INTEGER NOT NULL,
	UNIQUE (project_id, number)
);
CREATE TABLE forge_deliveries (
	project_id  INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	delivery_id TEXT    NOT NULL,
	received_at INTEGER NOT NULL,
	PRIMARY KEY (project_id, delivery_id)
);

-- +goose Down
DROP TABLE forge_deliveries;
DROP TABLE forge_issues;
