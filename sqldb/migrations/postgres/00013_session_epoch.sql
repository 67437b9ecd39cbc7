-- "Log out everywhere" must hold against a request already under way: a
-- page served while the sessions were being deleted writes its session
-- back when it ends. users.sessions_ended_at is when the user last ended
-- every session, and sessions.signed_in_at when a session's sign-in took
-- place (from the session's own data, so a row written back keeps it): a
-- session signed in before the end is refused, whatever the table holds.

-- +goose Up
ALTER TABLE users ADD COLUMN sessions_ended_at BIGINT;
ALTER TABLE sessions ADD COLUMN signed_in_at BIGINT;

-- +goose Down
ALTER TABLE sessions DROP COLUMN signed_in_at;
ALTER TABLE users DROP COLUMN sessions_ended_at;
