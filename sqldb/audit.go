package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/vmtproject/vmt"
)

const auditCols = `seq, chain, chain_seq, at, actor_id, action, project_id, report_id, subject, "before", "after", prev_hash, hash`

// auditChains is how many chains new events are spread over (migration
// 00039 makes their heads): enough that concurrent writers seldom pick
// the same one.
const auditChains = 16

func scanAudit(s scanner) (*vmt.AuditEvent, error) {
	e := &vmt.AuditEvent{}
	err := s.Scan(&e.Seq, &e.Chain, &e.ChainSeq, timeCol{&e.At}, &e.ActorID, &e.Action, &e.ProjectID, &e.ReportID, &e.Subject,
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

// AppendAudit seals e after the head of the transaction's chain and
// stores it. The first append of a transaction picks a chain at random and
// locks its head row until the transaction ends (on PostgreSQL; SQLite's one
// write connection already serializes writers), so that appends to one
// chain, from any process, follow one another, while writers that picked
// other chains go on.
func (t *tx) AppendAudit(e *vmt.AuditEvent) error {
	if t.head == nil {
		h := vmt.ChainHead{Chain: 1 + rand.IntN(auditChains)}
		err := t.queryRow(`SELECT pos, hash, `+t.db.d.auditSeq+` FROM audit_chains WHERE chain = $1`+t.db.d.forUpdate,
			h.Chain).Scan(&h.Pos, &h.Hash, &e.Seq)
		if err != nil {
			return wrap("read audit chain head", err)
		}
		t.head = &h
	} else if err := t.queryRow(`SELECT ` + t.db.d.auditSeq).Scan(&e.Seq); err != nil {
		return wrap("next audit sequence number", err)
	}
	e.Chain = t.head.Chain
	e.Seal(t.head.Pos, t.head.Hash)
	if t.subject == "" {
		t.subject = e.Subject
	}
	insert := `INSERT INTO audit_events (` + auditCols + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`
	args := []any{e.Seq, e.Chain, e.ChainSeq, micros(e.At), e.ActorID, e.Action, e.ProjectID, e.ReportID, e.Subject,
		rawJSON(e.Before), rawJSON(e.After), e.PrevHash, e.Hash}
	update := `UPDATE audit_chains SET pos = $3, hash = $13 WHERE chain = $2`
	if t.db.d.dmlCTE {
		if _, err := t.exec(`WITH e AS (`+insert+`) `+update, args...); err != nil {
			return wrap("append audit event", err)
		}
	} else {
		if _, err := t.exec(insert, args...); err != nil {
			return wrap("append audit event", err)
		}
		if _, err := t.exec(`UPDATE audit_chains SET pos = $1, hash = $2 WHERE chain = $3`, e.ChainSeq, e.Hash, e.Chain); err != nil {
			return wrap("update audit chain head", err)
		}
	}
	t.head.Pos, t.head.Hash = e.ChainSeq, e.Hash
	return nil
}

// auditWhere is the condition of f, without its limit.
func auditWhere(f vmt.AuditFilter) *where {
	w := &where{}
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
		w.conds = append(w.conds, "action IN ("+w.list(f.Actions)+")")
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
	if f.Extent {
		// vmt.ExtentReads, as SQL: the storetest checks the two agree.
		// The mark holds no LIKE wildcard.
		w.conds = append(w.conds, "(action IN ("+w.list(vmt.ExtentActions())+`) OR "after" LIKE `+
			w.arg("%"+vmt.PublicMark+"%")+")")
	}
	return w
}

// AuditEvents returns the events matching f in sequence order. ReportID
// selects a report's events; MembersOf adds the membership events of that
// project (alone, it selects only those).
func (t *tx) AuditEvents(f vmt.AuditFilter) ([]*vmt.AuditEvent, error) {
	w := auditWhere(f)
	limit := int64(f.Limit)
	if limit <= 0 {
		limit = math.MaxInt64
	}
	order := " ORDER BY seq"
	if f.Latest {
		order = " ORDER BY seq DESC"
	}
	q := `SELECT ` + auditCols + ` FROM audit_events` + w.sql() + order + ` LIMIT ` + w.arg(limit)
	es, err := list(t, scanAudit, q, w.args...)
	if err != nil {
		return nil, wrap("list audit events", err)
	}
	if f.Latest {
		slices.Reverse(es)
	}
	return es, nil
}

// CountAuditEvents returns how many events match f, its Limit aside.
func (t *tx) CountAuditEvents(f vmt.AuditFilter) (int, error) {
	w := auditWhere(f)
	var n int
	if err := t.queryRow(`SELECT count(*) FROM audit_events`+w.sql(), w.args...).Scan(&n); err != nil {
		return 0, wrap("count audit events", err)
	}
	return n, nil
}

// auditPage is how many events AuditLog reads at a time, so that
// verifying a long log takes flat memory.
const auditPage = 1000

// AuditLog streams every audit event ordered by chain and position (chain
// 0's positions are its sequence numbers, and its chain_seq is 0), a page at
// a time, each page in its own read-only transaction.
func (db *DB) AuditLog(ctx context.Context) iter.Seq2[*vmt.AuditEvent, error] {
	return func(yield func(*vmt.AuditEvent, error) bool) {
		var chain int
		var chainSeq, seq int64
		for {
			var page []*vmt.AuditEvent
			err := db.View(ctx, func(x vmt.Tx) error {
				t := x.(*tx)
				var err error
				page, err = list(t, scanAudit, `SELECT `+auditCols+` FROM audit_events
					WHERE (chain, chain_seq, seq) > ($1, $2, $3) ORDER BY chain, chain_seq, seq LIMIT $4`,
					chain, chainSeq, seq, auditPage)
				return err
			})
			if err != nil {
				yield(nil, fmt.Errorf("sqldb: read audit log: %w", err))
				return
			}
			for _, e := range page {
				if !yield(e, nil) {
					return
				}
				chain, chainSeq, seq = e.Chain, e.ChainSeq, e.Seq
			}
			if len(page) < auditPage {
				return
			}
		}
	}
}

// AuditHeads returns the head of every chain, in chain order.
func (db *DB) AuditHeads(ctx context.Context) ([]vmt.ChainHead, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT chain, pos, hash FROM audit_chains ORDER BY chain`)
	if err != nil {
		return nil, fmt.Errorf("sqldb: read audit chain heads: %w", err)
	}
	defer rows.Close()
	var hs []vmt.ChainHead
	for rows.Next() {
		var h vmt.ChainHead
		if err := rows.Scan(&h.Chain, &h.Pos, &h.Hash); err != nil {
			return nil, fmt.Errorf("sqldb: read audit chain heads: %w", err)
		}
		hs = append(hs, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqldb: read audit chain heads: %w", err)
	}
	return hs, nil
}
