package sqldb_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// A report stored before migration 00028 kept its components and one
// versions text; it reads as one entry per component with that text, as
// ParseVersions writes it, and is stored in the new column from then on.
func TestMigrationReadsOldAffected(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := sqldbtest.Open(t, engine)
			if err := db.MigrateDownTo(ctx, 26); err != nil {
				t.Fatal(err)
			}
			update := func(t *testing.T, db interface {
				Update(context.Context, func(vmt.Tx) error) error
			}, f func(tx vmt.Tx) error) {
				t.Helper()
				if err := db.Update(ctx, f); err != nil {
					t.Fatal(err)
				}
			}
			t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			var u *vmt.User
			var p *vmt.Project
			update(t, db, func(tx vmt.Tx) error {
				u = &vmt.User{Email: "vmt@example.org", Role: vmt.RoleVMT, CreatedAt: t0}
				p = &vmt.Project{Name: "p", AdvisoryPrefix: "KCSA", NotePrefix: "KCSN", Branches: []string{"main"}, CreatedAt: t0}
				if err := tx.CreateUser(u); err != nil {
					return err
				}
				return tx.CreateProject(p)
			})
			for i, c := range []struct{ components, versions string }{{`["agent","runtime"]`, "<= 3.2.0"}, {`[]`, "up to 2.0"}} {
				if err := rawReport(ctx, db, int64(i+1), p.ID, u.ID, t0); err != nil {
					t.Fatal(err)
				}
				if err := db.Exec(ctx, `UPDATE reports SET components = $1, affected_versions = $2 WHERE id = $3`, c.components, c.versions, i+1); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			want := map[int64][]vmt.AffectedEntry{
				1: {{Component: "agent", Versions: "<=3.2.0"}, {Component: "runtime", Versions: "<=3.2.0"}},
				2: {{Versions: "up to 2.0"}}, // prose stays prose until a person rewrites it
			}
			for id, rec := range want {
				update(t, db, func(tx vmt.Tx) error {
					r, err := tx.Report(id)
					if err != nil {
						return err
					}
					if !reflect.DeepEqual(r.Affected, rec) {
						t.Errorf("report %d after the migration: %+v, want %+v", id, r.Affected, rec)
					}
					r.Affected = append(r.Affected, vmt.AffectedEntry{Component: "shim", Versions: "all"})
					return tx.UpdateReport(r)
				})
				update(t, db, func(tx vmt.Tx) error {
					r, err := tx.Report(id)
					if err == nil && (len(r.Affected) != len(rec)+1 || r.Affected[len(rec)].Component != "shim") {
						t.Errorf("report %d after an update: %+v", id, r.Affected)
					}
					return err
				})
			}
		})
	}
}
