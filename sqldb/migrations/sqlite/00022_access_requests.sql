-- A stakeholder's request to read a report (app/access_request.go), in a
-- table of its own. Until now a request was only an audit event, and the
-- queue of pending requests was rebuilt on every read by replaying the
-- report's log. The log keeps its events; this table is what the
-- application reads.
--
-- status: pending (with the VMT), declined (decided_by said no, for
-- reason; the account may ask again after ask_again_after), granted (the
-- account was let in while it waited or after the decline), closed (its
-- grant or subscription ended while it waited). At most one request of an
-- account is pending per report.
--
-- The existing requests are carried over from the log: each request event
-- gets the state that the first later event about the same account on the
-- same report gave it, which is the rule the replay applied.

-- +goose Up
CREATE TABLE access_requests (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	report_id       INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
	user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	stakeholder_id  INTEGER NOT NULL,
	organisation    TEXT    NOT NULL,
	note            TEXT    NOT NULL DEFAULT '',
	requested_at    INTEGER NOT NULL,
	status          TEXT    NOT NULL DEFAULT 'pending'
		CHECK (status IN ('pending', 'declined', 'granted', 'closed')),
	decided_at      INTEGER,
	decided_by      INTEGER NOT NULL DEFAULT 0,
	reason          TEXT    NOT NULL DEFAULT '',
	ask_again_after INTEGER
);
CREATE UNIQUE INDEX access_requests_pending ON access_requests (report_id, user_id) WHERE status = 'pending';
CREATE INDEX access_requests_report ON access_requests (report_id, user_id, id);
CREATE INDEX access_requests_stakeholder ON access_requests (stakeholder_id, status);

CREATE TEMP TABLE access_events AS
SELECT seq, report_id, action, at, actor_id, "after",
	CAST(json_extract(CASE WHEN action IN ('report.grant_revoke', 'subscription.remove') THEN "before" ELSE "after" END,
		'$.user_id') AS INTEGER) AS user_id
FROM audit_events
WHERE action IN ('report.access_request', 'report.access_decline', 'report.grant',
	'subscription.add', 'report.grant_revoke', 'subscription.remove');

INSERT INTO access_requests (report_id, user_id, stakeholder_id, organisation, note, requested_at,
	status, decided_at, decided_by, reason, ask_again_after)
SELECT q.report_id, q.user_id,
	COALESCE(CAST(json_extract(q."after", '$.stakeholder_id') AS INTEGER), 0),
	COALESCE(json_extract(q."after", '$.organisation'), ''),
	COALESCE(json_extract(q."after", '$.note'), ''),
	q.at,
	CASE
		WHEN n.action IS NULL THEN 'pending'
		WHEN n.action = 'report.access_decline' AND NOT EXISTS (
			SELECT 1 FROM access_events g WHERE g.report_id = q.report_id AND g.user_id = q.user_id
			AND g.seq > n.seq AND g.action IN ('report.grant', 'subscription.add')) THEN 'declined'
		WHEN n.action IN ('report.access_decline', 'report.grant', 'subscription.add') THEN 'granted'
		ELSE 'closed'
	END,
	n.at,
	CASE WHEN n.action = 'report.access_decline' THEN n.actor_id ELSE 0 END,
	CASE WHEN n.action = 'report.access_decline' THEN COALESCE(json_extract(n."after", '$.reason'), '') ELSE '' END,
	-- A decline lets the account ask again a day later (vmt.AccessRetryAfter),
	-- or at once when it ended with the stakeholder's entry.
	CASE WHEN n.action = 'report.access_decline' THEN n.at +
		CASE WHEN json_extract(n."after", '$.ask_again_after') = json_extract(n."after", '$.at') THEN 0 ELSE 86400000000 END
	END
FROM access_events q
LEFT JOIN access_events n ON n.seq = (
	SELECT MIN(x.seq) FROM access_events x
	WHERE x.report_id = q.report_id AND x.user_id = q.user_id AND x.seq > q.seq)
WHERE q.action = 'report.access_request'
ORDER BY q.seq;

DROP TABLE access_events;

-- +goose Down
DROP TABLE access_requests;
