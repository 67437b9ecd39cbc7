-- The pull request of each public report's fixes for each branch, opened on
-- the project's forge at the disclosure hour: one per report and branch, one
-- report per pull request number of a project.

-- +goose Up
CREATE TABLE forge_pull_requests (
	report_id  INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	branch     TEXT    NOT NULL,
	head       TEXT    NOT NULL,
	number     INTEGER NOT NULL,
	url        TEXT    NOT NULL,
	opened_at  INTEGER NOT NULL,
	PRIMARY KEY (report_id, branch),
	UNIQUE (project_id, number)
);

-- +goose Down
DROP TABLE forge_pull_requests;
