package jobs_test

import (
	"context"
	"testing"

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
