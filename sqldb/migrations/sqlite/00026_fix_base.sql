-- The commit a series was checked against when it was attached (issue 17):
-- the tip of its branch then. The series applied there, so no commit
-- before it carries the fix, and merge tracking reads the branch's
-- commits since its merge base with this one instead of the branch's whole
-- history. Empty for a link, and for a series stored before this
-- migration (searched as before).

-- +goose Up
ALTER TABLE fixes ADD COLUMN base_commit TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE fixes DROP COLUMN base_commit;
