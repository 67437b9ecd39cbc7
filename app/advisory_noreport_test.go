package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// A document with no report (one of the project's earlier advisories,
// imported): its project's VMT corrects and withdraws it, audited, as for
// any other; a reporter may not, and does not see one that is not
// public; nothing publishes one still embargoed, since no disclosure says
// when.
func TestAdvisoryWithoutReport(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newPubWorld(t, engine)
			p, err := w.svc.Project(ctx, w.admin, "p")
			must(t, err)
			mk := func(state vmt.AdvisoryState, n int) *vmt.Advisory {
				d := draftDoc()
				at := time.Date(2014, 6, 2, 0, 0, 0, 0, time.UTC)
				d.ID, d.ProjectID, d.Kind, d.State = vmt.NewAdvisoryID("PSA", 2014, n), p.ID, vmt.KindAdvisory, state
				if state == vmt.AdvisoryPublished {
					d.Published, d.Modified = &at, &at
					d.Revisions = []vmt.Revision{{Number: 1, Date: at, Summary: "Initial version"}}
				}
				must(t, w.st.Update(ctx, func(tx vmt.Tx) error { return tx.CreateAdvisory(&d) }))
				return &d
			}
			pub, emb := mk(vmt.AdvisoryPublished, 1), mk(vmt.AdvisoryEmbargoed, 2)

			fixed := draftDoc()
			fixed.Affected = []vmt.Affected{{Component: "runtime", Versions: "<3.2.2"}}
			if _, err := w.svc.AmendAdvisory(ctx, w.report, pub.RecordID, fixed, "Corrected the fixed version"); vmt.ErrorCode(err) != vmt.EFORBIDDEN {
				t.Errorf("erratum by a reporter: %v", err)
			}
			if _, err := w.svc.WithdrawAdvisory(ctx, w.report, pub.RecordID, "Not a vulnerability"); vmt.ErrorCode(err) != vmt.EFORBIDDEN {
				t.Errorf("withdrawal by a reporter: %v", err)
			}
			if _, err := w.svc.Advisory(ctx, w.report, emb.RecordID); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("an embargoed document with no report, to a reporter: %v", err)
			}
			if _, err := w.svc.PublishAdvisory(ctx, w.vmtm, emb.RecordID); vmt.ErrorCode(err) != vmt.ECONFLICT {
				t.Errorf("publishing a document with no report: %v", err)
			}

			d, err := w.svc.AmendAdvisory(ctx, w.vmtm, pub.RecordID, fixed, "Corrected the fixed version")
			if err != nil {
				t.Fatalf("erratum by the VMT: %v", err)
			}
			if d.ID != pub.ID || len(d.Revisions) != 2 || d.Errata != "Corrected the fixed version" || d.Affected[0].Versions != "<3.2.2" || d.ReportID != 0 {
				t.Errorf("after the erratum: %+v", d)
			}
			d, err = w.svc.WithdrawAdvisory(ctx, w.vmtm, pub.RecordID, "Not a vulnerability")
			if err != nil {
				t.Fatalf("withdrawal by the VMT: %v", err)
			}
			if d.State != vmt.AdvisoryWithdrawn || d.Withdrawn == nil || len(d.Revisions) != 3 {
				t.Errorf("after the withdrawal: %+v", d)
			}
			got := map[string]int64{}
			for e, err := range w.st.AuditLog(ctx) {
				must(t, err)
				if e.Action == "advisory.errata" || e.Action == "advisory.withdraw" {
					got[e.Action] = e.ActorID
				}
			}
			if got["advisory.errata"] != w.vmtm.ID() || got["advisory.withdraw"] != w.vmtm.ID() {
				t.Errorf("audit: %v, want both by the VMT member %d", got, w.vmtm.ID())
			}
		})
	}
}
