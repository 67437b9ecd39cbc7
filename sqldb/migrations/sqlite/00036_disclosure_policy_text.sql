-- A project's disclosure policy as reporters read it (issue 13): the
-- Markdown its public policy page shows, which the report form and
-- security.txt link to; empty for vmt's default wording.

-- +goose Up
ALTER TABLE disclosure_settings ADD COLUMN policy_text TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE disclosure_settings DROP COLUMN policy_text;
