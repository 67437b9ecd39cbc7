-- When a project numbers its advisories (issue 10): at embargo, as vmt
-- always has (the default, so no project changes unasked), or at
-- publication, so that a gap in the public numbering does not show that an
-- embargoed advisory exists (docs/advisory-numbers.md).

-- +goose Up
ALTER TABLE publication_settings ADD COLUMN advisory_numbering TEXT NOT NULL DEFAULT 'embargo'
	CHECK (advisory_numbering IN ('embargo', 'publication'));

-- +goose Down
ALTER TABLE publication_settings DROP COLUMN advisory_numbering;
