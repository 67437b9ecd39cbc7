package storetest

import (
	"testing"

	"github.com/vmtproject/vmt"
)

// testPublicationSettings: settings are absent until set, round-trip
// whole, are replaced by a second set and stay per project.
func testPublicationSettings(t *testing.T, st vmt.Store) {
	var p, q *vmt.Project
	want := vmt.PublicationSettings{MailingList: "announce@example.org", WebhookURL: "https://chat.example.org/hook/T0/B0/x", CSAFNamespace: "https://katacontainers.io",
		AdvisoryNumbering: vmt.NumberAtPublication}
	update(t, st, func(tx vmt.Tx) error {
		p, q = mkProject(t, tx, "p"), mkProject(t, tx, "q")
		_, err := tx.PublicationSettings(p.ID)
		wantCode(t, "settings before any", err, vmt.ENOTFOUND)
		want.ProjectID = p.ID
		return tx.SetPublicationSettings(&want)
	})
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.PublicationSettings(p.ID)
		must(t, err)
		if *got != want {
			t.Errorf("settings = %+v, want %+v", *got, want)
		}
		_, err = tx.PublicationSettings(q.ID)
		wantCode(t, "another project's settings", err, vmt.ENOTFOUND)
		return nil
	})
	second := vmt.PublicationSettings{ProjectID: p.ID, MailingList: "other@example.org", AdvisoryNumbering: vmt.NumberAtEmbargo}
	update(t, st, func(tx vmt.Tx) error { return tx.SetPublicationSettings(&second) })
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.PublicationSettings(p.ID)
		must(t, err)
		if *got != second {
			t.Errorf("settings after replace = %+v, want %+v", *got, second)
		}
		return nil
	})
}
