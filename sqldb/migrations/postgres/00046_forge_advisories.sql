-- The repository advisory on the forge each report is followed in (the one
-- it was brought in from, or the one vmt created for it), one per report
-- and one report per advisory, so that a private vulnerability report is
-- brought in once; and the GitHub logins of the accounts such reports
-- were filed for, so that a reporter's next one is filed for the same
-- account.

-- +goose Up
CREATE TABLE forge_advisories (
	report_id  BIGINT PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
	project_id BIGINT  NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
	ghsa_id    TEXT    NOT NULL,
	login      TEXT    NOT NULL,
	url        TEXT    NOT NULL,
	linked_at  BIGINT  NOT NULL,
	UNIQUE (project_id, ghsa_id)
);
CREATE TABLE forge_logins (
	login   TEXT    PRIMARY KEY,
	user_id BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE forge_logins;
DROP TABLE forge_advisories;
