package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/cveservices"
	"github.com/vmtproject/vmt/cveservices/cvetest"
	"github.com/vmtproject/vmt/jobs"
)

// TestCVEPublishThroughTheOutbox: the publication of a CVE record is an
// outbox item; while CVE Services cannot be reached it is retried, a
// refusal for the request itself fails it at once (audited), and a
// reachable service that accepts it marks it done and audits the
// publication.
func TestCVEPublishThroughTheOutbox(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t, "sqlite")
	mock := cvetest.Start(t, 2026)
	t.Setenv("VMT_JOBS_CVE_KEY", mock.Key)
	w.setDeps(func(d *app.Deps) { d.CVE = &cveservices.Client{AllowPrivate: true} })
	cna := vmt.CNASettings{Enabled: true, ShortName: mock.Org, OrgID: "0c5c5b1e-6c0e-4d5f-9a5e-5f8e2f6a1b2c", User: mock.User,
		APIKeyRef: "env:VMT_JOBS_CVE_KEY", Endpoint: "http://127.0.0.1:1/api"} // nothing listens there
	_, err := w.svc.SetCNASettings(ctx, w.admin, "p", cna)
	must(t, err)

	publish := func(title, cve string) *vmt.OutboxItem {
		t.Helper()
		r := w.inProgress(title)
		_, err := w.svc.Classify(ctx, w.coord, r.ID, "A")
		must(t, err)
		d, err := w.svc.DraftAdvisory(ctx, w.coord, r.ID, vmt.Advisory{Vendor: "P", Title: title, Description: "A guest overflows the agent.",
			Affected: []vmt.Affected{{Component: "agent", Versions: "<1.2"}}, CVEs: []string{cve},
			References: []vmt.Reference{{Type: "REPORT", URL: "https://example.org/issues/1"}}})
		must(t, err)
		_, err = w.svc.EmbargoAdvisory(ctx, w.coord, d.RecordID)
		must(t, err)
		// Ending the embargo publishes the final document with it.
		_, err = w.svc.MakePublic(ctx, w.coord, r.ID, "fixed in the open")
		must(t, err)
		res, err := w.svc.PublishCVE(ctx, w.coord, d.RecordID, "")
		must(t, err)
		items, err := w.svc.Outbox(ctx, w.coord, r.ID)
		must(t, err)
		for _, it := range items {
			if it.Key == res.OutboxKey {
				return it
			}
		}
		t.Fatalf("no outbox item %s", res.OutboxKey)
		return nil
	}
	state := func(o *vmt.OutboxItem) *vmt.OutboxItem {
		t.Helper()
		items, err := w.svc.Outbox(ctx, w.coord, o.ReportID)
		must(t, err)
		for _, it := range items {
			if it.ID == o.ID {
				return it
			}
		}
		t.Fatalf("item %d gone", o.ID)
		return nil
	}
	worker := &jobs.Worker{Service: w.svc, Handlers: map[string]jobs.Handler{vmt.KindCVEPublish: jobs.CVEPublish(w.svc)},
		Lease: time.Minute, Backoff: time.Second, MaxBackoff: 10 * time.Second}

	never := publish("Overflow", "CVE-2026-7777") // never reserved at the service
	if _, err := worker.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	if o := state(never); o.State != vmt.OutboxPending || o.Attempts != 1 || !strings.Contains(o.LastError, "did not answer") {
		t.Errorf("with the service down: %+v", o)
	}
	cna.Endpoint = mock.Endpoint()
	_, err = w.svc.SetCNASettings(ctx, w.admin, "p", cna)
	must(t, err)
	w.clock.Add(time.Hour)
	if _, err := worker.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	if o := state(never); o.State != vmt.OutboxFailed || !strings.Contains(o.LastError, "CVE_ID_NOT_FOUND") {
		t.Errorf("an id the service does not know: %+v", o)
	}

	id, err := (&cveservices.Client{AllowPrivate: true}).Reserve(ctx, &cna, 2026)
	must(t, err)
	ok := publish("Underflow", id)
	if n, err := worker.Deliver(ctx); err != nil || n != 1 {
		t.Fatalf("delivered %d, %v", n, err)
	}
	if o := state(ok); o.State != vmt.OutboxDone || mock.State(id) != "PUBLISHED" {
		t.Errorf("after delivery: item %s, at the service %s", o.State, mock.State(id))
	}
	events, err := w.svc.ReportAudit(ctx, w.coord, ok.ReportID)
	must(t, err)
	var published bool
	for _, e := range events {
		published = published || e.Action == "advisory.cve_publish" && strings.Contains(string(e.After), id)
	}
	if !published {
		t.Error("the publication is not audited")
	}
}
