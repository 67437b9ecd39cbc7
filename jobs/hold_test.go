package jobs_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
)

// Two workers on one PostgreSQL database at the disclosure hour of reports
// of which half lack an approved fix and a waiver: each approved report is
// disclosed once, each other one held once (private, one
// report.disclosure_held). Once they are waived, the two workers lift
// each hold once and disclose each report once.
func TestTwoWorkersHoldOnce(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "postgres")
	ready := w.embargoed(10, -time.Minute)
	var unapproved []*vmt.Report
	for range 10 {
		r := w.inProgress("Unapproved")
		at := w.clock.Now().Add(-time.Hour).UTC().Truncate(time.Microsecond)
		must(t, w.store.Update(ctx, func(tx vmt.Tx) error {
			r.DisclosureAt, r.NoticeSentAt, r.Status = &at, &at, vmt.StatusFixCommitted
			return tx.UpdateReport(r)
		}))
		unapproved = append(unapproved, r)
	}
	both := func() int {
		var wg sync.WaitGroup
		counts := make([]int, 2)
		for i := range 2 {
			wk := w.worker(w.service(w.open()))
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
		return counts[0] + counts[1]
	}
	if n := both(); n != len(ready) {
		t.Errorf("first round: %d disclosed, want %d", n, len(ready))
	}
	held, disclosed := countAudit(t, w, "report.disclosure_held"), countAudit(t, w, "report.disclose")
	for _, r := range ready {
		if disclosed[r.ID] != 1 || held[r.ID] != 0 {
			t.Errorf("waived report %d: disclosed %d times, held %d", r.ID, disclosed[r.ID], held[r.ID])
		}
	}
	for _, r := range unapproved {
		if held[r.ID] != 1 || disclosed[r.ID] != 0 || report(t, w, r.ID).Visibility != vmt.Private {
			t.Errorf("unapproved report %d: held %d times, disclosed %d", r.ID, held[r.ID], disclosed[r.ID])
		}
	}
	for _, r := range unapproved {
		_, err := w.svc.WaiveFix(ctx, w.coord, r.ID, vmt.WaiverInput{Reason: "the fix ships with the advisory"})
		must(t, err)
	}
	if n := both(); n != len(unapproved) {
		t.Errorf("after the waivers: %d disclosed, want %d", n, len(unapproved))
	}
	released, disclosed := countAudit(t, w, "report.disclosure_released"), countAudit(t, w, "report.disclose")
	for _, r := range unapproved {
		if released[r.ID] != 1 || disclosed[r.ID] != 1 || report(t, w, r.ID).Visibility != vmt.Public {
			t.Errorf("waived report %d: released %d times, disclosed %d", r.ID, released[r.ID], disclosed[r.ID])
		}
	}
}
