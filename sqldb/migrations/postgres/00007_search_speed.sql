-- Report lists and search at 100,000 reports within 50 ms (issue 3).
--
-- A report row is about 1.6 kB, more than half of it the search vector,
-- so counting the reports a viewer may see read the whole table (40 to
-- 60 ms). reports_filters holds every column a list filters on and the
-- viewer rule reads (see filterWhere), so that a count, whatever its
-- filters, is an index-only scan of a few MB (7 to 15 ms); status first,
-- since the dashboard counts by status and filters on it.
--
-- A search by a viewer who is a VMT member of no project reads the public
-- reports on their own (see pgSearchCandidates), by one of two indexes:
-- reports_public walks them newest first, so that the newest thousand
-- public matches of a common word are read from about 1,300 rows instead
-- of 12,500; reports_public_search finds the public matches of a rarer
-- word without reading the private ones (935 rows instead of 9,300).

-- +goose Up
CREATE INDEX reports_filters ON reports (status, project_id, visibility, reporter_id, coordinator_id, class)
	INCLUDE (id);
CREATE INDEX reports_public ON reports (id) WHERE visibility = 'public';
CREATE INDEX reports_public_search ON reports USING GIN (search) WHERE visibility = 'public';

-- +goose Down
DROP INDEX reports_public_search;
DROP INDEX reports_public;
DROP INDEX reports_filters;
