-- Report lists and search at 100,000 reports within 50 ms (issue 3): the
-- indexes this migration adds on PostgreSQL are not needed on SQLite,
-- whose rows hold no search vector (FTS5 keeps its own index) and whose
-- counts already answer the viewer rule with one index per term (see
-- termsIn). The migration exists on both engines so that their schema
-- versions stay equal.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
