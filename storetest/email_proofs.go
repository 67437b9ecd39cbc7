package storetest

import (
	"testing"

	"github.com/vmtproject/vmt"
)

// testEmailProofs: a proof is stored and read by its hash, the newest of a
// user is found, a hash is unique, and a proof is used once only: the
// second use is ECONFLICT and leaves the first use's time.
func testEmailProofs(t *testing.T, st vmt.Store) {
	var u, other *vmt.User
	var p1, p2 *vmt.EmailProof
	update(t, st, func(tx vmt.Tx) error {
		u = &vmt.User{Email: "new@example.org", Role: vmt.RoleReporter, CreatedAt: t0}
		must(t, tx.CreateUser(u))
		other = &vmt.User{Email: "other@example.org", Role: vmt.RoleReporter, CreatedAt: t0}
		must(t, tx.CreateUser(other))
		_, err := tx.LatestEmailProof(u.ID)
		wantCode(t, "LatestEmailProof(none)", err, vmt.ENOTFOUND)
		p1 = &vmt.EmailProof{UserID: u.ID, Email: u.Email, Hash: vmt.HashToken("one"), CreatedAt: at(1), ExpiresAt: at(60)}
		must(t, tx.CreateEmailProof(p1))
		p2 = &vmt.EmailProof{UserID: u.ID, Email: u.Email, Hash: vmt.HashToken("two"), CreatedAt: at(2), ExpiresAt: at(61)}
		must(t, tx.CreateEmailProof(p2))
		err = tx.CreateEmailProof(&vmt.EmailProof{UserID: other.ID, Email: other.Email, Hash: vmt.HashToken("one"), CreatedAt: at(3), ExpiresAt: at(62)})
		wantCode(t, "CreateEmailProof(same hash)", err, vmt.ECONFLICT)
		return nil
	})
	if p1.ID == 0 || p2.ID == 0 || p1.ID == p2.ID {
		t.Fatalf("ids not set: %d, %d", p1.ID, p2.ID)
	}
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.EmailProofByHash(vmt.HashToken("one"))
		must(t, err)
		same(t, "EmailProofByHash", got, p1)
		got, err = tx.LatestEmailProof(u.ID)
		must(t, err)
		same(t, "LatestEmailProof", got, p2)
		_, err = tx.EmailProofByHash(vmt.HashToken("three"))
		wantCode(t, "EmailProofByHash(unknown)", err, vmt.ENOTFOUND)
		_, err = tx.LatestEmailProof(other.ID)
		wantCode(t, "LatestEmailProof(other, after a refused insert)", err, vmt.ENOTFOUND)
		return nil
	})
	update(t, st, func(tx vmt.Tx) error { return tx.UseEmailProof(p1.ID, at(5)) })
	update(t, st, func(tx vmt.Tx) error {
		wantCode(t, "UseEmailProof(again)", tx.UseEmailProof(p1.ID, at(6)), vmt.ECONFLICT)
		wantCode(t, "UseEmailProof(unknown)", tx.UseEmailProof(p2.ID+100, at(6)), vmt.ENOTFOUND)
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.EmailProofByHash(vmt.HashToken("one"))
		must(t, err)
		want := *p1
		want.UsedAt = ptr(at(5))
		same(t, "EmailProofByHash after use", got, &want)
		got, err = tx.EmailProofByHash(vmt.HashToken("two"))
		must(t, err)
		same(t, "the other proof is unused", got, p2)
		return nil
	})
}
