package sqldb_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// Two instances on one PostgreSQL append audit events at once, each from
// several connections: every chain still verifies, no event is lost, and
// each transaction's events stay together in one chain.
func TestAuditTwoInstances(t *testing.T) {
	dsn := sqldbtest.DSN(t, sqldb.Postgres)
	var dbs [2]*sqldb.DB
	for i := range dbs {
		db, err := sqldb.Open(t.Context(), dsn, sqldbtest.Logger(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, 2*workers*each)
	for i, db := range dbs {
		for w := range workers {
			wg.Go(func() {
				for n := range each {
					subject := fmt.Sprintf("instance-%d/worker-%d/%d", i, w, n)
					errs <- db.Update(t.Context(), func(tx vmt.Tx) error {
						for _, action := range []string{"first", "second"} {
							if err := tx.AppendAudit(&vmt.AuditEvent{At: time.Now(), Action: action, Subject: subject}); err != nil {
								return err
							}
						}
						return nil
					})
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	wantIntact(t, dbs[0], 2*2*workers*each)
	var log []*vmt.AuditEvent
	chains, seqs := map[int]bool{}, map[int64]bool{}
	for e, err := range dbs[1].AuditLog(t.Context()) {
		if err != nil {
			t.Fatal(err)
		}
		log = append(log, e)
		chains[e.Chain] = true
		if seqs[e.Seq] {
			t.Errorf("sequence number %d twice", e.Seq)
		}
		seqs[e.Seq] = true
	}
	for i := 0; i+1 < len(log); i += 2 {
		if log[i].Action != "first" || log[i+1].Action != "second" || log[i].Subject != log[i+1].Subject {
			t.Fatalf("events %d and %d interleave: %s %s, %s %s", log[i].Seq, log[i+1].Seq,
				log[i].Action, log[i].Subject, log[i+1].Action, log[i+1].Subject)
		}
		if log[i+1].Seq <= log[i].Seq {
			t.Errorf("a transaction's second event has seq %d, its first %d", log[i+1].Seq, log[i].Seq)
		}
	}
	if len(chains) < 4 {
		t.Errorf("%d transactions used %d chains, want them spread", 2*workers*each, len(chains))
	}
}
