package app_test

import (
	"context"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// A project cannot take a prefix another project uses, as its advisory
// or its note prefix, at creation or by an update: the refusal names the
// field, and nothing is stored or audited. Its own prefixes stay its own.
func TestPrefixUniqueAcrossProjects(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newPubWorld(t, engine) // project p: PSA, PSN
			audit := func() int {
				evs, err := w.svc.AuditEvents(ctx, w.admin, 0, 500)
				if err != nil {
					t.Fatal(err)
				}
				return len(evs)
			}
			before := audit()
			for _, tc := range []struct {
				adv, note, field string
			}{
				{"PSA", "QSN", "advisory_prefix"},
				{"PSN", "QSN", "advisory_prefix"},
				{"QSA", "PSA", "note_prefix"},
				{"QSA", "PSN", "note_prefix"},
			} {
				_, err := w.svc.CreateProject(ctx, w.admin, vmt.Project{Name: "q", AdvisoryPrefix: tc.adv, NotePrefix: tc.note, Branches: []string{"main"}})
				if vmt.ErrorCode(err) != vmt.EINVALID || vmt.ErrorField(err) != tc.field {
					t.Errorf("create %s/%s: %v (field %q), want invalid %s", tc.adv, tc.note, err, vmt.ErrorField(err), tc.field)
				}
			}
			if _, err := w.svc.Project(ctx, w.admin, "q"); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Fatalf("a refused project was stored: %v", err)
			}
			if n := audit(); n != before {
				t.Errorf("refusals audited: %d events, want %d", n, before)
			}
			q, err := w.svc.CreateProject(ctx, w.admin, vmt.Project{Name: "q", AdvisoryPrefix: "QSA", NotePrefix: "QSN", Branches: []string{"main"}})
			if err != nil {
				t.Fatal(err)
			}
			psa := "PSA"
			if _, err := w.svc.UpdateProject(ctx, w.admin, q.ID, vmt.ProjectPatch{AdvisoryPrefix: &psa}); vmt.ErrorField(err) != "advisory_prefix" {
				t.Errorf("rename to another project's prefix: %v", err)
			}
			if got, _ := w.svc.Project(ctx, w.admin, "q"); got == nil || got.AdvisoryPrefix != "QSA" {
				t.Errorf("after the refused rename: %+v", got)
			}
			// Updating a project to its own prefixes (or swapping them) is
			// not a clash.
			p, err := w.svc.Project(ctx, w.admin, "p")
			if err != nil {
				t.Fatal(err)
			}
			psn := "PSN"
			if _, err := w.svc.UpdateProject(ctx, w.admin, p.ID, vmt.ProjectPatch{AdvisoryPrefix: &psa, NotePrefix: &psn, Branches: &[]string{"master", "stable"}}); err != nil {
				t.Errorf("update keeping its own prefixes: %v", err)
			}
		})
	}
}
