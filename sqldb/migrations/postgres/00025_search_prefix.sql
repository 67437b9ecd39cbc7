-- Search at 100,000 reports within 50 ms (issue 17): the prefix index
-- this migration adds on SQLite (FTS5 merges every term of a prefix in
-- memory without one) has no counterpart here. A GIN index over a
-- tsvector keeps its terms sorted, and a prefix (to_tsquery's "guest:*")
-- is a range scan of those terms that yields one bitmap, the cost of the
-- word itself (see BenchmarkSearch, "prefix" and "very-common"). The
-- migration exists on both engines so that their schema versions stay
-- equal.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
