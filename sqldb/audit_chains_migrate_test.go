package sqldb_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// Migration 00039 splits the audit log into chains. A log written before it
// is chain 0 and still verifies; new events go to the other chains, after
// the old ones in sequence order; a change to an old row is still found.
func TestMigrationKeepsTheAuditChain(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := sqldbtest.Open(t, engine)
			if err := db.MigrateDownTo(ctx, 38); err != nil {
				t.Fatal(err)
			}
			// The chain the older release wrote: one head row, sequence
			// numbers as positions, the hash without chain fields.
			t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			prev := vmt.GenesisHash
			var seq int64
			for i := range 5 {
				e := &vmt.AuditEvent{At: t0.Add(time.Duration(i) * time.Minute), ActorID: 1, Action: vmt.AuditReportUpdate,
					ProjectID: 1, ReportID: 1, Subject: "report:1", After: json.RawMessage(fmt.Sprintf(`{"n":%d}`, i))}
				e.Seal(seq, prev)
				err := db.Exec(ctx, `INSERT INTO audit_events (seq, at, actor_id, action, project_id, report_id, subject, "before", "after", prev_hash, hash)
					VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, $10)`,
					e.Seq, e.At.UnixMicro(), e.ActorID, e.Action, e.ProjectID, e.ReportID, e.Subject, string(e.After), e.PrevHash, e.Hash)
				if err != nil {
					t.Fatal(err)
				}
				seq, prev = e.Seq, e.Hash
			}
			if err := db.Exec(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, seq, prev); err != nil {
				t.Fatal(err)
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			wantIntact(t, db, 5)

			var added []*vmt.AuditEvent
			for i := range 3 {
				err := db.Update(ctx, func(tx vmt.Tx) error {
					e := &vmt.AuditEvent{At: t0.Add(time.Hour), Action: vmt.AuditUserCreate, Subject: fmt.Sprintf("user:%d", i)}
					added = append(added, e)
					return tx.AppendAudit(e)
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			for i, e := range added {
				if e.Chain < 1 || e.ChainSeq < 1 || e.Seq != int64(6+i) {
					t.Errorf("event appended after the migration: seq %d chain %d position %d, want seq %d in a new chain",
						e.Seq, e.Chain, e.ChainSeq, 6+i)
				}
			}
			wantIntact(t, db, 8)

			// An old row changed behind the store's back is found.
			drop := "ALTER TABLE audit_events DISABLE TRIGGER USER"
			if engine == sqldb.SQLite {
				drop = "DROP TRIGGER audit_events_no_update"
			}
			if err := db.Exec(ctx, drop); err != nil {
				t.Fatal(err)
			}
			if err := db.Exec(ctx, `UPDATE audit_events SET after = '{"n":9}' WHERE seq = 3`); err != nil {
				t.Fatal(err)
			}
			heads, err := db.AuditHeads(ctx)
			if err != nil {
				t.Fatal(err)
			}
			_, err = vmt.VerifyChain(db.AuditLog(ctx), heads)
			var ce *vmt.ChainError
			if !errors.As(err, &ce) || ce.Seq != 3 || ce.Chain != 0 {
				t.Errorf("old row changed: VerifyChain = %v, want a *ChainError at event 3 of chain 0", err)
			}
		})
	}
}

// wantIntact checks the store's chains verify and hold n events.
func wantIntact(t *testing.T, db *sqldb.DB, n int64) {
	t.Helper()
	heads, err := db.AuditHeads(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got, err := vmt.VerifyChain(db.AuditLog(t.Context()), heads); err != nil || got != n {
		t.Fatalf("VerifyChain = %d, %v; want %d intact events", got, err, n)
	}
}
