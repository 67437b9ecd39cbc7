package app_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// staleDueStore replays what PostgreSQL does to a second instance at the
// disclosure hour: its DueDisclosure reads the reports and the holds in
// one snapshot, and its SKIP LOCKED lock is granted once the first
// instance has held the report and committed. So the report comes back as
// due although it is held now. The race needs a commit to land inside one
// statement, so the test replays its outcome instead of timing it.
type staleDueStore struct {
	vmt.Store
	stale int64
}

func (s *staleDueStore) Update(ctx context.Context, fn func(vmt.Tx) error) error {
	return s.Store.Update(ctx, func(tx vmt.Tx) error {
		return fn(&staleDueTx{Tx: tx, stale: s.stale})
	})
}

type staleDueTx struct {
	vmt.Tx
	stale int64
}

func (tx *staleDueTx) DueDisclosure(now time.Time) (int64, error) {
	if id := tx.stale; id != 0 {
		tx.stale = 0
		return id, nil
	}
	return tx.Tx.DueDisclosure(now)
}

// TestHeldByTheOtherInstance: a report the other instance has just held is
// neither held nor audited again, and the round goes on without an error.
func TestHeldByTheOtherInstance(t *testing.T) {
	ctx := context.Background()
	st := sqldbtest.Open(t, "sqlite")
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	svc := app.Must(app.New(app.Deps{
		Store:      st,
		Hasher:     password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		Now:        func() time.Time { return now },
		Log:        slog.New(slog.DiscardHandler),
		Disclosure: vmt.DisclosureHooks{Prepare: func(vmt.Tx, *vmt.Report) (string, error) { return "", nil }},
	}))
	secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"master"}}})
	must(t, err)
	admin, _ := svc.Authenticate(ctx, secret)
	r, err := svc.CreateReport(ctx, admin, vmt.ReportInput{Project: "p", Title: "Overflow", Description: "It overflows."})
	must(t, err)
	at := now.Add(-time.Hour)
	must(t, st.Update(ctx, func(tx vmt.Tx) error {
		rep, err := tx.Report(r.ID)
		if err != nil {
			return err
		}
		rep.Status, rep.DisclosureAt, rep.NoticeSentAt = vmt.StatusFixCommitted, &at, &at
		return tx.UpdateReport(rep)
	}))
	// The first instance's round: master has no approved fix, so it holds.
	if d, err := svc.DiscloseDue(ctx); err != nil || d != nil {
		t.Fatalf("first instance: %v, %v", d, err)
	}
	second := app.Must(app.New(app.Deps{
		Store:      &staleDueStore{Store: st, stale: r.ID},
		Hasher:     password.Hasher{},
		Now:        svc.Deps().Now,
		Log:        slog.New(slog.DiscardHandler),
		Disclosure: vmt.DisclosureHooks{Prepare: func(vmt.Tx, *vmt.Report) (string, error) { return "", nil }},
	}))
	if d, err := second.DiscloseDue(ctx); err != nil || d != nil {
		t.Fatalf("second instance, handed the report it no longer sees held: %v, %v", d, err)
	}
	held := 0
	for e, err := range st.AuditLog(ctx) {
		must(t, err)
		if e.Action == "report.disclosure_held" && e.ReportID == r.ID {
			held++
		}
	}
	if held != 1 {
		t.Errorf("report.disclosure_held audited %d times, want 1", held)
	}
	pa, err := svc.PreApprovalOf(ctx, admin, r.ID)
	must(t, err)
	if pa.Hold == nil || !pa.Hold.HeldAt.Equal(now) {
		t.Errorf("hold after both rounds: %+v", pa.Hold)
	}
}
