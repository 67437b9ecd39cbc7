-- Publication (issue 4): where each project announces its published
-- advisories (mailing list, chat webhook) and what its CSAF exports name
-- as the publisher. The CNA of CVE records is in cna_settings (00010).

-- +goose Up
CREATE TABLE publication_settings (
	project_id     BIGINT  PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
	mailing_list   TEXT    NOT NULL DEFAULT '',
	webhook_url    TEXT    NOT NULL DEFAULT '',
	csaf_namespace TEXT    NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE publication_settings;
