package storetest

import (
	"reflect"
	"testing"

	"github.com/vmtproject/vmt"
)

// testPublicationSettings: settings are absent until set, round-trip
// whole with their lists in order, are replaced by a second set (fewer
// lists, then none) and stay per project.
func testPublicationSettings(t *testing.T, st vmt.Store) {
	var p, q *vmt.Project
	want := vmt.PublicationSettings{Lists: []vmt.AnnouncementList{
		{Address: "kata-dev@lists.example.org", Signing: vmt.SignNone},
		{Address: "oss-security@lists.example.org", Signing: vmt.SignAnnouncement},
		{Address: "announce@example.org", Signing: vmt.SignAnnouncement},
	}, WebhookURL: "https://chat.example.org/hook/T0/B0/x", CSAFNamespace: "https://katacontainers.io",
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
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("settings = %+v, want %+v", *got, want)
		}
		_, err = tx.PublicationSettings(q.ID)
		wantCode(t, "another project's settings", err, vmt.ENOTFOUND)
		return nil
	})
	for _, second := range []vmt.PublicationSettings{
		{ProjectID: p.ID, Lists: []vmt.AnnouncementList{{Address: "other@example.org", Signing: vmt.SignAnnouncement}}, AdvisoryNumbering: vmt.NumberAtEmbargo},
		{ProjectID: p.ID, Lists: []vmt.AnnouncementList{}, AdvisoryNumbering: vmt.NumberAtEmbargo},
	} {
		update(t, st, func(tx vmt.Tx) error { return tx.SetPublicationSettings(&second) })
		view(t, st, func(tx vmt.Tx) error {
			got, err := tx.PublicationSettings(p.ID)
			must(t, err)
			if !reflect.DeepEqual(*got, second) {
				t.Errorf("settings after replace = %+v, want %+v", *got, second)
			}
			return nil
		})
	}
}
