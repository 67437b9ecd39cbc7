package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestDeliveriesStayOutOfReportHistory: each delivered mail is audited
// on its outbox item, not on its report, so that a notice to many
// stakeholders does not lengthen the report's history (its page and
// extent read it, issue 17), while the extent and who was told stay
// what they were, on both engines.
func TestDeliveriesStayOutOfReportHistory(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			ctx := context.Background()
			r, items := w.noticeTo(5)
			before, err := w.svc.ReportAudit(ctx, w.coord, r.ID)
			must(t, err)
			extent, err := w.svc.Extent(ctx, w.coord, r.ID)
			must(t, err)
			n, err := w.worker(w.svc).Deliver(ctx)
			must(t, err)
			if n != len(items) {
				t.Fatalf("delivered %d of %d", n, len(items))
			}
			after, err := w.svc.ReportAudit(ctx, w.coord, r.ID)
			must(t, err)
			if len(after) != len(before) {
				t.Errorf("the report's history grew from %d to %d events with %d deliveries", len(before), len(after), n)
			}
			for _, o := range items {
				if !auditHas(t, w, vmt.AuditOutboxDelivered, "outbox:"+o.Key) {
					t.Errorf("delivery of %s not audited", o.Key)
				}
			}
			extent2, err := w.svc.Extent(ctx, w.coord, r.ID)
			must(t, err)
			if len(extent2) != len(extent) {
				t.Errorf("extent changed with the deliveries: %v, then %v", extent, extent2)
			}
		})
	}
}

// TestDeliveredRunWithALostClaim: the worker marks a run of deliveries in
// one transaction; a claim lost meanwhile (its lease ran out and another
// worker claimed the item again) is left to that worker, and the others
// of the run are marked done all the same, on both engines.
func TestDeliveredRunWithALostClaim(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newWorld(t, engine)
			ctx := context.Background()
			w.noticeTo(3)
			items, err := w.svc.ClaimDeliveries(ctx, 10, time.Minute)
			must(t, err)
			if len(items) != 3 {
				t.Fatalf("claimed %d items, want 3", len(items))
			}
			// The second item's claim is lost: the lease ran out and
			// another worker claimed it again.
			w.clock.Add(2 * time.Minute)
			again, err := w.svc.ClaimDeliveries(ctx, 10, time.Minute)
			must(t, err)
			if len(again) != 3 {
				t.Fatalf("claimed again %d items, want 3", len(again))
			}
			lost := items[1]
			mine := []*vmt.OutboxItem{again[0], lost, again[2]}
			err = w.svc.Delivered(ctx, mine...)
			if vmt.ErrorCode(err) != vmt.ENOTFOUND || !strings.Contains(err.Error(), lost.Key) {
				t.Errorf("Delivered with a lost claim = %v, want ENOTFOUND naming %s", err, lost.Key)
			}
			for i, o := range mine {
				if want := i != 1; (o.State == vmt.OutboxDone) != want {
					t.Errorf("item %d (%s) state %s after the run", i, o.Key, o.State)
				}
				if got := auditHas(t, w, vmt.AuditOutboxDelivered, "outbox:"+o.Key); got != (i != 1) {
					t.Errorf("item %d (%s): delivery audited %v", i, o.Key, got)
				}
			}
			// The worker that holds the second item's claim marks it.
			must(t, w.svc.Delivered(ctx, again[1]))
			if again[1].State != vmt.OutboxDone {
				t.Errorf("the other worker's mark left %s %s", again[1].Key, again[1].State)
			}
		})
	}
}
