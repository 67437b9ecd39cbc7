-- Embargo exceptions and stage timers (issue 5): when a report entered its
-- status (kept by the store on every status change) and whether its
-- coordinator was reminded and the escalation contacts told for that stage;
-- when its embargo was raised for going public; the reporter's requested
-- disclosure date and a coordinator's recorded override of it; and each
-- project's stage limits and escalation contacts.

-- +goose Up
ALTER TABLE reports ADD COLUMN status_since BIGINT NOT NULL DEFAULT 0;
UPDATE reports SET status_since = updated_at;
ALTER TABLE reports ADD COLUMN stage_reminded_at BIGINT;
ALTER TABLE reports ADD COLUMN stage_escalated_at BIGINT;
ALTER TABLE reports ADD COLUMN embargo_raised_at BIGINT;
ALTER TABLE reports ADD COLUMN requested_disclosure_at BIGINT;
ALTER TABLE reports ADD COLUMN terms_override TEXT NOT NULL DEFAULT '';
ALTER TABLE disclosure_settings ADD COLUMN timers TEXT NOT NULL DEFAULT '';
-- The rounds look for reports by stage entry, and for private ones by age.
CREATE INDEX reports_stage ON reports (project_id, status, status_since);
CREATE INDEX reports_embargo_age ON reports (project_id, created_at) WHERE visibility = 'private' AND embargo_raised_at IS NULL;

-- +goose Down
DROP INDEX reports_embargo_age;
DROP INDEX reports_stage;
ALTER TABLE disclosure_settings DROP COLUMN timers;
ALTER TABLE reports DROP COLUMN terms_override;
ALTER TABLE reports DROP COLUMN requested_disclosure_at;
ALTER TABLE reports DROP COLUMN embargo_raised_at;
ALTER TABLE reports DROP COLUMN stage_escalated_at;
ALTER TABLE reports DROP COLUMN stage_reminded_at;
ALTER TABLE reports DROP COLUMN status_since;
