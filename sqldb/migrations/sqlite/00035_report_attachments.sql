-- The files kept with a report: a mailed report's attachments (issue 13).
-- The limits (count, bytes each, in all) are the domain's
-- (vmt.CheckAttachments); names are cleaned before they are stored.

-- +goose Up
CREATE TABLE report_attachments (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	report_id    INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	name         TEXT    NOT NULL,
	content_type TEXT    NOT NULL,
	size         INTEGER NOT NULL,
	data         BLOB    NOT NULL,
	created_at   INTEGER NOT NULL
);
CREATE INDEX report_attachments_report ON report_attachments (report_id);

-- +goose Down
DROP TABLE report_attachments;
