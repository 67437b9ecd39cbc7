package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"strings"

	"github.com/vmtproject/vmt"
)

const auditCols = `seq, at, actor_id, action, project_id, report_id, subject, "before", "after", prev_hash, hash`

func scanAudit(s scanner) (*vmt.AuditEvent, error) {
	e := &vmt.AuditEvent{}
	err := s.Scan(&e.Seq, timeCol{&e.At}, &e.ActorID, &e.Action, &e.ProjectID, &e.ReportID, &e.Subject,
		rawCol{&e.Before}, rawCol{&e.After}, &e.PrevHash, &e.Hash)
	return e, err
}

// rawJSON is the stored form of a snapshot: its exact bytes, since the chain
// hash covers them, or NULL when empty (which hashes the same).
func rawJSON(b json.RawMessage) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}

// rawCol scans a snapshot; NULL is nil.
type rawCol struct{ dst *json.RawMessage }

func (c rawCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.dst = nil
	case string:
		*c.dst = json.RawMessage(v)
	case []byte:
		*c.dst = json.RawMessage(append([]byte(nil), v...))
	default:
		return fmt.Errorf("snapshot column holds %T, want text", src)
	}
	return nil
}

// AppendAudit seals e after the chain head and stores it. On PostgreSQL the
// head row is locked until the transaction ends, so concurrent writers (in
// any process) append one after the other; on SQLite the single write
// connection already does that.
func (t *tx) AppendAudit(e *vmt.AuditEvent) error {
	var seq int64
	var hash string
	if err := t.queryRow(`SELECT seq, hash FROM audit_head WHERE id = 1`+t.db.d.forUpdate).Scan(&seq, &hash); err != nil {
		return wrap("read audit head", err)
	}
	e.Seal(seq, hash)
	if t.subject == "" {
		t.subject = e.Subject
	}
	_, err := t.exec(`INSERT INTO audit_events (`+auditCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		e.Seq, micros(e.At), e.ActorID, e.Action, e.ProjectID, e.ReportID, e.Subject,
		rawJSON(e.Before), rawJSON(e.After), e.PrevHash, e.Hash)
	if err != nil {
		return wrap("append audit event", err)
	}
	if _, err := t.exec(`UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, e.Seq, e.Hash); err != nil {
		return wrap("update audit head", err)
	}
	return nil
}

// AuditEvents returns the events matching f in sequence order (the
// latest first with f.NewestFirst). ReportID
// selects a report's events; MembersOf adds the membership events of that
// project (alone, it selects only those).
func (t *tx) AuditEvents(f vmt.AuditFilter) ([]*vmt.AuditEvent, error) {
	var w where
	members := func() string {
		return `(project_id = ` + w.arg(f.MembersOf) + ` AND action IN ('member.set', 'member.remove'))`
	}
	switch {
	case f.ReportID != 0 && f.MembersOf != 0:
		w.conds = append(w.conds, `(report_id = `+w.arg(f.ReportID)+` OR `+members()+`)`)
	case f.ReportID != 0:
		w.eq("report_id", f.ReportID, true)
	case f.MembersOf != 0:
		w.conds = append(w.conds, members())
	}
	if f.AfterSeq > 0 {
		w.conds = append(w.conds, "seq > "+w.arg(f.AfterSeq))
	}
	if len(f.Actions) > 0 {
		in := make([]string, len(f.Actions))
		for i, a := range f.Actions {
			in[i] = w.arg(a)
		}
		w.conds = append(w.conds, "action IN ("+strings.Join(in, ", ")+")")
	}
	if !f.Since.IsZero() {
		w.conds = append(w.conds, "at >= "+w.arg(micros(f.Since)))
	}
	if f.ActorID != 0 {
		w.conds = append(w.conds, "actor_id = "+w.arg(f.ActorID))
	}
	if f.BeforeSeq > 0 {
		w.conds = append(w.conds, "seq < "+w.arg(f.BeforeSeq))
	}
	order := "seq"
	if f.NewestFirst {
		order = "seq DESC"
	}
	limit := int64(f.Limit)
	if limit <= 0 {
		limit = math.MaxInt64
	}
	q := `SELECT ` + auditCols + ` FROM audit_events` + w.sql() + ` ORDER BY ` + order + ` LIMIT ` + w.arg(limit)
	es, err := list(t, scanAudit, q, w.args...)
	if err != nil {
		return nil, wrap("list audit events", err)
	}
	return es, nil
}

// auditPage is how many events AuditLog reads at a time, so that
// verifying a long log takes flat memory.
const auditPage = 1000

// AuditLog streams every audit event in sequence order, a page at a time,
// each page in its own read-only transaction.
func (db *DB) AuditLog(ctx context.Context) iter.Seq2[*vmt.AuditEvent, error] {
	return func(yield func(*vmt.AuditEvent, error) bool) {
		var after int64
		for {
			var page []*vmt.AuditEvent
			err := db.View(ctx, func(x vmt.Tx) (err error) {
				page, err = x.AuditEvents(vmt.AuditFilter{AfterSeq: after, Limit: auditPage})
				return err
			})
			if err != nil {
				yield(nil, err)
				return
			}
			for _, e := range page {
				if !yield(e, nil) {
					return
				}
				after = e.Seq
			}
			if len(page) < auditPage {
				return
			}
		}
	}
}

// AuditHead returns the chain head as an event with only Seq and Hash set:
// Seq 0 and vmt.GenesisHash while the log is empty.
func (db *DB) AuditHead(ctx context.Context) (*vmt.AuditEvent, error) {
	e := &vmt.AuditEvent{}
	err := db.read.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&e.Seq, &e.Hash)
	if err != nil {
		return nil, fmt.Errorf("sqldb: read audit head: %w", err)
	}
	return e, nil
}
