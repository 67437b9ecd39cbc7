-- Advisories and notes (issue 4): the document is kept whole as JSON, the
-- form vmt.Advisory marshals to; the columns beside it are what lookups,
-- numbering and the public listing need. A draft is unnumbered (number 0)
-- until it gets its PREFIX-YYYY-NNN, unique per project.

-- +goose Up
CREATE TABLE advisories (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	project_id   INTEGER NOT NULL REFERENCES projects (id),
	report_id    INTEGER REFERENCES reports (id),
	prefix       TEXT    NOT NULL DEFAULT '',
	year         INTEGER NOT NULL DEFAULT 0,
	number       INTEGER NOT NULL DEFAULT 0 CHECK (number >= 0),
	kind         TEXT    NOT NULL CHECK (kind IN ('advisory', 'note')),
	state        TEXT    NOT NULL CHECK (state IN ('draft', 'embargoed', 'published', 'withdrawn')),
	published_at INTEGER,
	document     TEXT    NOT NULL
);
CREATE UNIQUE INDEX advisories_number ON advisories (project_id, prefix, year, number) WHERE number > 0;
CREATE INDEX advisories_report ON advisories (report_id);
CREATE INDEX advisories_public ON advisories (state, published_at);

-- +goose Down
DROP TABLE advisories;
