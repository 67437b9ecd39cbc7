package sqldb_test

import (
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestSearchIndexFollowsDelete deletes a report behind the store's back,
// as no store method does yet, and checks that search no longer finds it
// and, on SQLite, that the FTS5 index agrees with the table.
func TestSearchIndexFollowsDelete(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := sqldbtest.Open(t, engine)
			now := time.Now().UTC().Truncate(time.Microsecond)
			var keep, gone *vmt.Report
			err := db.Update(t.Context(), func(tx vmt.Tx) error {
				u := &vmt.User{Email: "r@example.org", Role: vmt.RoleReporter, CreatedAt: now}
				p := &vmt.Project{Name: "p", AdvisoryPrefix: "A", NotePrefix: "N", Branches: []string{}, CreatedAt: now}
				if err := tx.CreateUser(u); err != nil {
					return err
				}
				if err := tx.CreateProject(p); err != nil {
					return err
				}
				mk := func(title string) (*vmt.Report, error) {
					r := &vmt.Report{ProjectID: p.ID, Title: title, Description: "d", ReporterID: u.ID,
						Visibility: vmt.Public, Status: vmt.StatusNew, Affected: []vmt.AffectedEntry{}, CVEs: []string{},
						NeverDisclose: []string{}, CreatedAt: now, UpdatedAt: now}
					return r, tx.CreateReport(r)
				}
				var err error
				if keep, err = mk("Quokka escape"); err != nil {
					return err
				}
				gone, err = mk("Quokka leak")
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Exec(t.Context(), `DELETE FROM reports WHERE id = $1`, gone.ID); err != nil {
				t.Fatal(err)
			}
			err = db.View(t.Context(), func(tx vmt.Tx) error {
				rs, n, err := tx.Reports(vmt.ReportFilter{Viewer: vmt.Viewer{Admin: true}, Query: "quokka"})
				if err != nil {
					return err
				}
				if n != 1 || len(rs) != 1 || rs[0].ID != keep.ID {
					t.Errorf("search after the delete: %d matches %v, want only report %d", n, rs, keep.ID)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if engine == sqldb.SQLite {
				// integrity-check fails if the index and the table differ.
				if err := db.Exec(t.Context(), `INSERT INTO reports_fts (reports_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
					t.Errorf("FTS5 index out of step with reports: %v", err)
				}
			}
		})
	}
}
