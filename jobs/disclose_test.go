package jobs_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// embargoed files n private reports with their disclosure at the given
// offsets from now (cycled), through the store as the notice would set it.
func (w *world) embargoed(n int, offsets ...time.Duration) []*vmt.Report {
	var out []*vmt.Report
	for i := range n {
		r := w.readyReport("Report " + string(rune('A'+i%26)))
		at := w.clock.Now().Add(offsets[i%len(offsets)]).UTC().Truncate(time.Microsecond)
		must(w.t, w.store.Update(context.Background(), func(tx vmt.Tx) error {
			r.DisclosureAt, r.NoticeSentAt, r.Status = &at, &at, vmt.StatusFixCommitted
			return tx.UpdateReport(r)
		}))
		out = append(out, r)
	}
	return out
}

// The disclosure hour: at its date, and not a second before, a report
// becomes public with the reminder removed, the CVE publication notice is
// prepared, and both are audited; a restarted worker does nothing again.
func TestDisclosureHour(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			rs := w.embargoed(2, time.Hour, 2*time.Hour)
			wk := w.worker(w.svc)

			w.clock.Add(time.Hour - time.Microsecond)
			if n, err := wk.Disclose(ctx); err != nil || n != 0 {
				t.Fatalf("a microsecond early: %d disclosed, %v", n, err)
			}
			w.clock.Add(time.Microsecond)
			if n, err := wk.Disclose(ctx); err != nil || n != 1 {
				t.Fatalf("at the hour: %d disclosed, %v; want 1", n, err)
			}
			got := report(t, w, rs[0].ID)
			if got.Visibility != vmt.Public || got.Reminder != "" || strings.Contains(got.Description, "under embargo") ||
				got.Description != "It overflows." {
				t.Errorf("disclosed report: %s, %q", got.Visibility, got.Description)
			}
			if other := report(t, w, rs[1].ID); other.Visibility != vmt.Private {
				t.Error("the report due an hour later went public too")
			}
			notice := auditAfter(t, w, "report.publication_notice", rs[0].ID)
			for _, want := range []string{"Notify CVE about a publication", "CVE-2026-1234", "coord@example.org",
				"https://vmt.example.org/reports/", "2026-03-02"} {
				if !strings.Contains(notice, want) {
					t.Errorf("publication notice lacks %q:\n%s", want, notice)
				}
			}
			// A restart (a new handle, a new worker) finds nothing more due.
			again := w.worker(w.service(w.open()))
			if n, err := again.Disclose(ctx); err != nil || n != 0 {
				t.Errorf("after a restart: %d disclosed, %v", n, err)
			}
			if c := countAudit(t, w, "report.disclose")[rs[0].ID]; c != 1 {
				t.Errorf("report.disclose recorded %d times", c)
			}
		})
	}
}

// Two `vmt serve` on one PostgreSQL database, each with its worker, run
// the disclosure of many due reports at once: each fires exactly once.
func TestTwoWorkersDiscloseOnce(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "postgres")
	due := w.embargoed(30, -time.Minute, -time.Hour)
	later := w.embargoed(3, time.Hour)
	a, b := w.worker(w.service(w.open())), w.worker(w.service(w.open()))
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i, wk := range []interface {
		Disclose(context.Context) (int, error)
	}{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := wk.Disclose(ctx)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		}()
	}
	wg.Wait()
	if counts[0]+counts[1] != len(due) {
		t.Errorf("the workers disclosed %d and %d, want %d in all", counts[0], counts[1], len(due))
	}
	t.Logf("worker A disclosed %d, worker B %d", counts[0], counts[1])
	events := countAudit(t, w, "report.disclose")
	notices := countAudit(t, w, "report.publication_notice")
	for _, r := range due {
		if events[r.ID] != 1 || notices[r.ID] != 1 {
			t.Errorf("report %d: disclosed %d times, notice prepared %d times", r.ID, events[r.ID], notices[r.ID])
		}
		if report(t, w, r.ID).Visibility != vmt.Public {
			t.Errorf("report %d is still private", r.ID)
		}
	}
	for _, r := range later {
		if events[r.ID] != 0 || report(t, w, r.ID).Visibility != vmt.Private {
			t.Errorf("report %d, due in an hour, was disclosed", r.ID)
		}
	}
}

// Run, started as `vmt serve` starts it, discloses by itself and returns
// when its context ends.
func TestRunStopsOnCancel(t *testing.T) {
	w := newWorld(t, "sqlite")
	rs := w.embargoed(1, -time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.worker(w.svc).Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for report(t, w, rs[0].ID).Visibility != vmt.Public && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		must(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	if report(t, w, rs[0].ID).Visibility != vmt.Public {
		t.Error("Run did not disclose the due report")
	}
}

func report(t *testing.T, w *world, id int64) *vmt.Report {
	var r *vmt.Report
	must(t, w.store.View(context.Background(), func(tx vmt.Tx) (err error) { r, err = tx.Report(id); return err }))
	return r
}

// countAudit counts the events of action per report.
func countAudit(t *testing.T, w *world, action string) map[int64]int {
	m := map[int64]int{}
	for e, err := range w.store.AuditLog(context.Background()) {
		must(t, err)
		if e.Action == action {
			m[e.ReportID]++
		}
	}
	return m
}

// auditAfter returns the After of the last event of action on a report.
func auditAfter(t *testing.T, w *world, action string, reportID int64) string {
	s := ""
	for e, err := range w.store.AuditLog(context.Background()) {
		must(t, err)
		if e.Action == action && e.ReportID == reportID {
			s = string(e.After)
		}
	}
	return s
}

// A publication notice that cannot be prepared (no coordinator, no team
// address) does not hold the report back past its date: it is disclosed and
// the reason is in the audit log.
func TestDisclosureWithoutNotice(t *testing.T) {
	w := newWorld(t, "sqlite")
	rs := w.embargoed(1, -time.Second)
	must(t, w.store.Update(context.Background(), func(tx vmt.Tx) error {
		rs[0].CoordinatorID = 0
		return tx.UpdateReport(rs[0])
	}))
	w.setDeps(func(d *app.Deps) {
		d.Disclosure.Prepare = jobs.Site{BaseURL: "https://vmt.example.org"}.Publication() // no Contact
	})
	wk := w.worker(w.svc)
	if n, err := wk.Disclose(context.Background()); err != nil || n != 1 {
		t.Fatalf("%d disclosed, %v", n, err)
	}
	if report(t, w, rs[0].ID).Visibility != vmt.Public {
		t.Error("the report stayed private")
	}
	if got := auditAfter(t, w, "report.publication_notice", rs[0].ID); !strings.Contains(got, `"error"`) || !strings.Contains(got, "Email") {
		t.Errorf("publication notice event %s, want the reason naming the missing Email", got)
	}
}
