-- Issue 12, items 9 and 8.
--
-- A project announces to several lists (its dev list, oss-security), each
-- signed or, for a list that rejects PGP/MIME, plain: publication_lists,
-- in the order the project gave them. The one mailing_list of before
-- becomes the first list, signed as it always was, and the column goes.
--
-- A fix seen merged on the tracked repository while its report is still
-- private is a possible leak: the report keeps when it was first seen and
-- where (branch, commit), for its page, the dashboard and the API.

-- +goose Up
CREATE TABLE publication_lists (
	project_id BIGINT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	address    TEXT    NOT NULL,
	signing    TEXT    NOT NULL DEFAULT 'sign' CHECK (signing IN ('sign', 'none')),
	PRIMARY KEY (project_id, position)
);
INSERT INTO publication_lists (project_id, position, address, signing)
	SELECT project_id, 0, mailing_list, 'sign' FROM publication_settings WHERE mailing_list <> '';
ALTER TABLE publication_settings DROP COLUMN mailing_list;

ALTER TABLE reports ADD COLUMN possible_leak_at BIGINT;
ALTER TABLE reports ADD COLUMN possible_leak_branch TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN possible_leak_commit TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE reports DROP COLUMN possible_leak_commit;
ALTER TABLE reports DROP COLUMN possible_leak_branch;
ALTER TABLE reports DROP COLUMN possible_leak_at;

ALTER TABLE publication_settings ADD COLUMN mailing_list TEXT NOT NULL DEFAULT '';
UPDATE publication_settings SET mailing_list = COALESCE((SELECT address FROM publication_lists l
	WHERE l.project_id = publication_settings.project_id ORDER BY position LIMIT 1), '');
DROP TABLE publication_lists;
