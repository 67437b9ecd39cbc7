-- The audit log becomes several hash chains, each with its own head row,
-- so that concurrent writers lock one chain's head each rather than all
-- waiting on the one head until they commit (see vmt.AuditEvent). The
-- events written so far stay as they are: they are chain 0, whose
-- positions are their sequence numbers, and which nothing appends to.
-- Sequence numbers now come from a sequence, without a lock.

-- +goose Up
ALTER TABLE audit_events ADD COLUMN chain INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_events ADD COLUMN chain_seq BIGINT NOT NULL DEFAULT 0;
CREATE INDEX audit_events_chain ON audit_events (chain, chain_seq, seq);

CREATE TABLE audit_chains (
	chain INTEGER PRIMARY KEY,
	pos   BIGINT  NOT NULL,
	hash  TEXT    NOT NULL
);
INSERT INTO audit_chains (chain, pos, hash) SELECT 0, seq, hash FROM audit_head;
INSERT INTO audit_chains (chain, pos, hash)
SELECT g, 0, '0000000000000000000000000000000000000000000000000000000000000000'
FROM generate_series(1, 16) AS g;
DROP TABLE audit_head;

CREATE SEQUENCE audit_seq;
SELECT setval('audit_seq', (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_events), false);

-- +goose Down
-- Lossy: events appended to chains 1 to 16 no longer verify without their
-- chain columns.
DROP SEQUENCE audit_seq;
CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	seq  BIGINT  NOT NULL,
	hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) SELECT 1, pos, hash FROM audit_chains WHERE chain = 0;
DROP TABLE audit_chains;
DROP INDEX audit_events_chain;
ALTER TABLE audit_events DROP COLUMN chain_seq;
ALTER TABLE audit_events DROP COLUMN chain;
