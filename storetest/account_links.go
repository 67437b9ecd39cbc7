package storetest

import (
	"testing"

	"github.com/vmtproject/vmt"
)

// testAccountLinks: a link is stored and read by its hash with its
// purpose and maker, a hash is unique, a link is used once only (the
// second use is ECONFLICT and keeps the first time), and ending a user's
// links ends the unused ones of that user only.
func testAccountLinks(t *testing.T, st vmt.Store) {
	var u, other *vmt.User
	var l1, l2, l3 *vmt.AccountLink
	update(t, st, func(tx vmt.Tx) error {
		u = &vmt.User{Email: "invited@example.org", Role: vmt.RoleVMT, CreatedAt: t0}
		must(t, tx.CreateUser(u))
		other = &vmt.User{Email: "other@example.org", Role: vmt.RoleReporter, CreatedAt: t0}
		must(t, tx.CreateUser(other))
		l1 = &vmt.AccountLink{UserID: u.ID, Email: u.Email, Purpose: vmt.LinkInvite, Hash: vmt.HashToken("one"), CreatedBy: other.ID, CreatedAt: at(1), ExpiresAt: at(60)}
		must(t, tx.CreateAccountLink(l1))
		l2 = &vmt.AccountLink{UserID: u.ID, Email: u.Email, Purpose: vmt.LinkFirstAdmin, Hash: vmt.HashToken("two"), CreatedAt: at(2), ExpiresAt: at(61)}
		must(t, tx.CreateAccountLink(l2))
		l3 = &vmt.AccountLink{UserID: other.ID, Email: other.Email, Purpose: vmt.LinkInvite, Hash: vmt.HashToken("three"), CreatedAt: at(2), ExpiresAt: at(61)}
		must(t, tx.CreateAccountLink(l3))
		err := tx.CreateAccountLink(&vmt.AccountLink{UserID: other.ID, Email: other.Email, Purpose: vmt.LinkInvite, Hash: vmt.HashToken("one"), CreatedAt: at(3), ExpiresAt: at(62)})
		wantCode(t, "CreateAccountLink(same hash)", err, vmt.ECONFLICT)
		return nil
	})
	if l1.ID == 0 || l2.ID == 0 || l1.ID == l2.ID {
		t.Fatalf("ids not set: %d, %d", l1.ID, l2.ID)
	}
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.AccountLinkByHash(vmt.HashToken("one"))
		must(t, err)
		same(t, "AccountLinkByHash", got, l1)
		_, err = tx.AccountLinkByHash(vmt.HashToken("four"))
		wantCode(t, "AccountLinkByHash(unknown)", err, vmt.ENOTFOUND)
		return nil
	})
	update(t, st, func(tx vmt.Tx) error { return tx.UseAccountLink(l1.ID, at(5)) })
	update(t, st, func(tx vmt.Tx) error {
		wantCode(t, "UseAccountLink(again)", tx.UseAccountLink(l1.ID, at(6)), vmt.ECONFLICT)
		wantCode(t, "UseAccountLink(unknown)", tx.UseAccountLink(l3.ID+100, at(6)), vmt.ENOTFOUND)
		n, err := tx.EndAccountLinks(u.ID, at(7))
		must(t, err)
		if n != 1 {
			t.Errorf("EndAccountLinks ended %d links, want 1 (the unused one)", n)
		}
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.AccountLinkByHash(vmt.HashToken("one"))
		must(t, err)
		want := *l1
		want.UsedAt = ptr(at(5))
		same(t, "the used link keeps its time", got, &want)
		got, err = tx.AccountLinkByHash(vmt.HashToken("two"))
		must(t, err)
		want = *l2
		want.UsedAt = ptr(at(7))
		same(t, "the ended link", got, &want)
		got, err = tx.AccountLinkByHash(vmt.HashToken("three"))
		must(t, err)
		same(t, "another user's link is untouched", got, l3)
		return nil
	})
}
