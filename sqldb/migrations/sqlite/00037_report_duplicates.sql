-- Issue 13, item 5: a report the VMT marks a duplicate of another of its
-- project keeps the original's id; the reporter's record counts it.

-- +goose Up
ALTER TABLE reports ADD COLUMN duplicate_of INTEGER; -- no REFERENCES: SQLite cannot drop a column that has one
CREATE INDEX reports_duplicate_of ON reports (duplicate_of) WHERE duplicate_of IS NOT NULL;

-- +goose Down
DROP INDEX reports_duplicate_of;
ALTER TABLE reports DROP COLUMN duplicate_of;
