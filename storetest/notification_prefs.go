package storetest

import (
	"fmt"
	"testing"

	"github.com/vmtproject/vmt"
)

// testNotificationPrefs: a user without preferences is ENOTFOUND; stored
// ones read back alike, are replaced as a whole, and are per user.
func testNotificationPrefs(t *testing.T, st vmt.Store) {
	var u, other *vmt.User
	update(t, st, func(tx vmt.Tx) error {
		u = mkUser(t, tx, "prefs@example.org", vmt.RoleReporter)
		other = mkUser(t, tx, "other@example.org", vmt.RoleReporter)
		_, err := tx.NotificationPrefs(u.ID)
		wantCode(t, "NotificationPrefs(none)", err, vmt.ENOTFOUND)
		must(t, tx.SetNotificationPrefs(&vmt.NotificationPrefs{UserID: u.ID, Off: []vmt.NotifyKind{vmt.NotifyComment, vmt.NotifyStatusChange},
			Digest: true, UpdatedAt: at(1)}))
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.NotificationPrefs(u.ID)
		must(t, err)
		same(t, "NotificationPrefs", got, &vmt.NotificationPrefs{UserID: u.ID,
			Off: []vmt.NotifyKind{vmt.NotifyComment, vmt.NotifyStatusChange}, Digest: true, UpdatedAt: at(1)})
		_, err = tx.NotificationPrefs(other.ID)
		wantCode(t, "NotificationPrefs(other)", err, vmt.ENOTFOUND)
		return nil
	})
	update(t, st, func(tx vmt.Tx) error {
		return tx.SetNotificationPrefs(&vmt.NotificationPrefs{UserID: u.ID, Off: []vmt.NotifyKind{}, UpdatedAt: at(2)})
	})
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.NotificationPrefs(u.ID)
		must(t, err)
		same(t, "NotificationPrefs replaced", got, &vmt.NotificationPrefs{UserID: u.ID, Off: []vmt.NotifyKind{}, UpdatedAt: at(2)})
		return nil
	})
}

// testDigestEntries: entries are pending by user then age until marked
// sent.
func testDigestEntries(t *testing.T, st vmt.Store) {
	var a, b *vmt.User
	var es []*vmt.DigestEntry
	update(t, st, func(tx vmt.Tx) error {
		a = mkUser(t, tx, "a@example.org", vmt.RoleReporter)
		b = mkUser(t, tx, "b@example.org", vmt.RoleReporter)
		for _, e := range []*vmt.DigestEntry{
			{UserID: b.ID, ReportID: 1, Kind: vmt.NotifyComment, CreatedAt: at(3)},
			{UserID: a.ID, ReportID: 2, Kind: vmt.NotifyNewReport, CreatedAt: at(2)},
			{UserID: a.ID, ReportID: 1, Kind: vmt.NotifyComment, CreatedAt: at(1)},
		} {
			must(t, tx.AddDigestEntry(e))
			if e.ID == 0 {
				t.Fatal("AddDigestEntry set no id")
			}
			es = append(es, e)
		}
		return nil
	})
	pending := func() []int64 {
		var ids []int64
		view(t, st, func(tx vmt.Tx) error {
			got, err := tx.PendingDigests()
			for _, e := range got {
				ids = append(ids, e.ID)
			}
			return err
		})
		return ids
	}
	if got, want := pending(), []int64{es[2].ID, es[1].ID, es[0].ID}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("PendingDigests %v, want %v (by user, then oldest)", got, want)
	}
	update(t, st, func(tx vmt.Tx) error { return tx.MarkDigestSent([]int64{es[2].ID, es[1].ID}, at(5)) })
	if got, want := pending(), []int64{es[0].ID}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after MarkDigestSent: %v, want %v", got, want)
	}
}
