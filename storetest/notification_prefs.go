package storetest

import (
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
