-- Full-text search over reports: an FTS5 index of the searchable columns,
-- holding no copy of the text (content='reports'), kept in step by
-- triggers so that no write path can forget it. Components and CVE ids are
-- stored as JSON arrays; the tokenizer splits them at the punctuation like
-- any other text ("net/http" is "net" "http", CVE-2025-1234 is "cve" "2025"
-- "1234"), and the store's queries split the user's words the same way.

-- +goose Up
CREATE VIRTUAL TABLE reports_fts USING fts5 (
	title, description, components, cves, impact_description,
	content = 'reports', content_rowid = 'id', tokenize = 'unicode61'
);

-- +goose StatementBegin
CREATE TRIGGER reports_fts_insert AFTER INSERT ON reports
BEGIN
	INSERT INTO reports_fts (rowid, title, description, components, cves, impact_description)
	VALUES (new.id, new.title, new.description, new.components, new.cves, new.impact_description);
END;
-- +goose StatementEnd

-- An external-content index is told the old values to remove: it has no
-- copy to find them in.
-- +goose StatementBegin
CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports
BEGIN
	INSERT INTO reports_fts (reports_fts, rowid, title, description, components, cves, impact_description)
	VALUES ('delete', old.id, old.title, old.description, old.components, old.cves, old.impact_description);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER reports_fts_update AFTER UPDATE OF title, description, components, cves, impact_description ON reports
BEGIN
	INSERT INTO reports_fts (reports_fts, rowid, title, description, components, cves, impact_description)
	VALUES ('delete', old.id, old.title, old.description, old.components, old.cves, old.impact_description);
	INSERT INTO reports_fts (rowid, title, description, components, cves, impact_description)
	VALUES (new.id, new.title, new.description, new.components, new.cves, new.impact_description);
END;
-- +goose StatementEnd

-- Reports stored before this migration.
INSERT INTO reports_fts (reports_fts) VALUES ('rebuild');

-- +goose Down
DROP TRIGGER reports_fts_update;
DROP TRIGGER reports_fts_delete;
DROP TRIGGER reports_fts_insert;
DROP TABLE reports_fts;
