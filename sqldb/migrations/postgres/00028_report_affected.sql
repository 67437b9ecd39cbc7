-- The record of what a report affects, a component and its versions per
-- entry, as JSON (issue 12: one record feeds every text). components
-- stays, written from the record, for the search index; a report stored
-- before this migration has '' here and reads its record from components
-- and affected_versions (sqldb/reports.go).

-- +goose Up
ALTER TABLE reports ADD COLUMN affected TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE reports DROP COLUMN affected;
