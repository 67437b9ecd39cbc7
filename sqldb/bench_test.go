package sqldb_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// BenchmarkCreateReport measures durable report creations per second through
// the service (validation, the embargo reminder, the report row and its
// hash-chained audit event in one committed transaction) next to raw
// single-row INSERTs into the same reports table of the same store, each its
// own committed transaction, in the same run, from 1, 4 and 16 concurrent
// clients: the creations should rise with the clients, as the raw INSERTs
// do (the audit chains, sqldb/audit.go, are what lets them).
func BenchmarkCreateReport(b *testing.B) {
	for _, engine := range sqldbtest.Engines() {
		for _, clients := range []int{1, 4, 16} {
			benchCreateReport(b, engine, clients)
		}
	}
}

func benchCreateReport(b *testing.B, engine string, clients int) {
	b.Run(fmt.Sprintf("%s/clients=%d", engine, clients), func(b *testing.B) {
		ctx := context.Background()
		db := sqldbtest.Open(b, engine)
		svc := app.Must(app.New(app.Deps{
			Store:  db,
			Hasher: password.Hasher{P: password.Default},
			Now:    time.Now,
			Log:    slog.New(slog.DiscardHandler),
		}))
		secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
			Project: vmt.Project{Name: "kata-containers", AdvisoryPrefix: "KCSA", NotePrefix: "KCSN", Branches: []string{"main"}}})
		if err != nil {
			b.Fatal(err)
		}
		admin, err := svc.Authenticate(ctx, secret)
		if err != nil {
			b.Fatal(err)
		}
		n := max(b.N, 500)
		in := vmt.ReportInput{Title: "Guest can read host memory through virtio-mem", Description: "Steps to reproduce: ..."}
		raw := func(i int) error {
			return db.Exec(ctx, `INSERT INTO reports (project_id, title, description, reporter_id, visibility, status,
				class, components, affected_versions, credit, cves, hardening, impact_description, reporter_terms,
				never_disclose, reminder, created_at, updated_at)
				VALUES (1, $1, $2, 1, 'private', 'new', '', '[]', '', '', '[]', false, '', '', '[]', '', $3, $3)`,
				in.Title, in.Description, time.Now().UnixMicro())
		}
		service := func(i int) error { _, err := svc.CreateReport(ctx, admin, in); return err }
		b.ResetTimer()
		rawPS := rate(b, n, clients, raw)
		svcPS := rate(b, n, clients, service)
		b.StopTimer()
		b.ReportMetric(svcPS, "creates/s")
		b.ReportMetric(rawPS, "raw-inserts/s")
		b.ReportMetric(svcPS/rawPS, "creates/raw")
		b.ReportMetric(0, "ns/op")
		// The chain of every event the run appended still verifies.
		heads, err := db.AuditHeads(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if m, err := vmt.VerifyChain(db.AuditLog(ctx), heads); err != nil || m < int64(n) {
			b.Fatalf("VerifyChain = %d, %v after %d creations", m, err, n)
		}
	})
}

// rate runs fn n times from clients goroutines and returns calls per second.
func rate(b *testing.B, n, clients int, fn func(i int) error) float64 {
	var wg sync.WaitGroup
	var once sync.Once
	start := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; i < n; i += clients {
				if err := fn(i); err != nil {
					once.Do(func() { b.Error(err) })
					return
				}
			}
		}()
	}
	wg.Wait()
	return float64(n) / time.Since(start).Seconds()
}
