package sqldb_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// A project's one mailing list of before migration 00029 is its first
// announcement list after it, signed as it always was; a project with no
// list has none; and going down again keeps the first list's address.
func TestMigrationCarriesMailingList(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := sqldbtest.Open(t, engine)
			if err := db.MigrateDownTo(ctx, 28); err != nil {
				t.Fatal(err)
			}
			t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			var withList, without *vmt.Project
			if err := db.Update(ctx, func(tx vmt.Tx) error {
				withList = &vmt.Project{Name: "p", AdvisoryPrefix: "KCSA", NotePrefix: "KCSN", Branches: []string{"main"}, CreatedAt: t0}
				without = &vmt.Project{Name: "q", AdvisoryPrefix: "QSA", NotePrefix: "QSN", Branches: []string{"main"}, CreatedAt: t0}
				if err := tx.CreateProject(withList); err != nil {
					return err
				}
				return tx.CreateProject(without)
			}); err != nil {
				t.Fatal(err)
			}
			for _, row := range []struct {
				id   int64
				list string
			}{{withList.ID, "announce@lists.example.org"}, {without.ID, ""}} {
				if err := db.Exec(ctx, `INSERT INTO publication_settings (project_id, mailing_list, webhook_url, csaf_namespace, advisory_numbering)
					VALUES ($1, $2, 'https://chat.example.org/hook', '', 'publication')`, row.id, row.list); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			want := map[int64][]vmt.AnnouncementList{
				withList.ID: {{Address: "announce@lists.example.org", Signing: vmt.SignAnnouncement}},
				without.ID:  {},
			}
			for id, lists := range want {
				if err := db.View(ctx, func(tx vmt.Tx) error {
					got, err := tx.PublicationSettings(id)
					if err != nil {
						return err
					}
					if !reflect.DeepEqual(got.Lists, lists) || got.WebhookURL != "https://chat.example.org/hook" || got.AdvisoryNumbering != vmt.NumberAtPublication {
						t.Errorf("project %d after the migration: %+v, want lists %+v", id, got, lists)
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
			// Down keeps the first list in the old column.
			if err := db.Update(ctx, func(tx vmt.Tx) error {
				return tx.SetPublicationSettings(&vmt.PublicationSettings{ProjectID: without.ID, Lists: []vmt.AnnouncementList{
					{Address: "first@example.org", Signing: vmt.SignNone}, {Address: "second@example.org", Signing: vmt.SignAnnouncement}}})
			}); err != nil {
				t.Fatal(err)
			}
			if err := db.MigrateDownTo(ctx, 28); err != nil {
				t.Fatal(err)
			}
			var got string
			if err := db.QueryRow(ctx, `SELECT mailing_list FROM publication_settings WHERE project_id = $1`, without.ID).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != "first@example.org" {
				t.Errorf("mailing_list after going down: %q", got)
			}
		})
	}
}
