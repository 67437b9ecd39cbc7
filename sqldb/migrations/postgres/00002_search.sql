-- Full-text search over reports: a generated tsvector of the searchable
-- columns with a GIN index. The 'simple' configuration neither stems nor
-- drops stop words, like SQLite's unicode61 tokenizer, so that both engines
-- find the same reports. ASCII punctuation is turned into spaces first:
-- PostgreSQL's parser would otherwise keep "net/http" or an e-mail address
-- as one token, and the JSON arrays of components and CVE ids would not
-- split into words as they do on SQLite.
-- Weights rank a match in the title or a CVE id above one in the
-- components, the impact description, then the description.

-- +goose Up
ALTER TABLE reports ADD COLUMN search tsvector GENERATED ALWAYS AS (
	setweight(to_tsvector('simple', regexp_replace(title, '[[:punct:]]+', ' ', 'g')), 'A') ||
	setweight(to_tsvector('simple', regexp_replace(cves, '[[:punct:]]+', ' ', 'g')), 'A') ||
	setweight(to_tsvector('simple', regexp_replace(components, '[[:punct:]]+', ' ', 'g')), 'B') ||
	setweight(to_tsvector('simple', regexp_replace(impact_description, '[[:punct:]]+', ' ', 'g')), 'C') ||
	setweight(to_tsvector('simple', regexp_replace(description, '[[:punct:]]+', ' ', 'g')), 'D')
) STORED;
CREATE INDEX reports_search ON reports USING GIN (search);

-- +goose Down
DROP INDEX reports_search;
ALTER TABLE reports DROP COLUMN search;
