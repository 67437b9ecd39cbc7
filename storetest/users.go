package storetest

import (
	"testing"

	"github.com/vmtproject/vmt"
)

func testUsers(t *testing.T, st vmt.Store) {
	var a, b *vmt.User
	update(t, st, func(tx vmt.Tx) error {
		a = &vmt.User{Email: "ada@example.org", Name: "Ada Lovelace ✓", Role: vmt.RoleAdmin,
			PasswordHash: "$argon2id$v=19$abc", CreatedAt: t0,
			OpenPGPKey:         "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxjMEZ\n-----END PGP PUBLIC KEY BLOCK-----",
			OpenPGPFingerprint: "0123456789ABCDEF0123456789ABCDEF01234567", OpenPGPKeyExpires: ptr(at(90)),
			EmailVerifiedAt: ptr(at(3))}
		must(t, tx.CreateUser(a))
		b = &vmt.User{Email: "bob@example.org", Role: vmt.RoleReporter, Disabled: true, CreatedAt: at(1)}
		return tx.CreateUser(b)
	})
	if a.ID == 0 || b.ID == 0 || a.ID == b.ID {
		t.Fatalf("ids not set: %d, %d", a.ID, b.ID)
	}
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.User(a.ID)
		must(t, err)
		same(t, "User", got, a)
		got, err = tx.UserByEmail("bob@example.org")
		must(t, err)
		same(t, "UserByEmail", got, b)
		all, err := tx.Users()
		must(t, err)
		same(t, "Users", all, []*vmt.User{a, b})
		n, err := tx.CountUsers()
		must(t, err)
		same(t, "CountUsers", n, 2)
		return nil
	})

	want := *a
	want.Name, want.Role, want.PasswordHash, want.Disabled, want.EmailVerifiedAt = "Ada", vmt.RoleVMT, "", true, nil
	want.OpenPGPKey, want.OpenPGPFingerprint, want.OpenPGPKeyExpires = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxjMEY\n-----END PGP PUBLIC KEY BLOCK-----", "89ABCDEF0123456789ABCDEF0123456789ABCDEF", nil
	update(t, st, func(tx vmt.Tx) error { return tx.UpdateUser(ptr(want)) })
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.User(a.ID)
		must(t, err)
		same(t, "User after UpdateUser", got, &want)
		return nil
	})
	// The key is read by the token join too: the API's actor carries it.
	update(t, st, func(tx vmt.Tx) error {
		return tx.CreateToken(&vmt.Token{UserID: a.ID, Name: "ada", Hash: vmt.HashToken("vmt_ada"), CreatedAt: at(2)})
	})
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.UserByToken(vmt.HashToken("vmt_ada"))
		must(t, err)
		same(t, "UserByToken with a key", got, &want)
		return nil
	})
}

func testUserErrors(t *testing.T, st vmt.Store) {
	view(t, st, func(tx vmt.Tx) error {
		users, err := tx.Users()
		must(t, err)
		if users == nil || len(users) != 0 {
			t.Errorf("Users on an empty store = %#v, want an empty non-nil slice", users)
		}
		n, err := tx.CountUsers()
		must(t, err)
		same(t, "CountUsers on an empty store", n, 0)
		_, err = tx.User(1)
		wantCode(t, "User(1)", err, vmt.ENOTFOUND)
		_, err = tx.UserByEmail("nobody@example.org")
		wantCode(t, "UserByEmail(unknown)", err, vmt.ENOTFOUND)
		return nil
	})
	update(t, st, func(tx vmt.Tx) error {
		a := mkUser(t, tx, "a@example.org", vmt.RoleVMT)
		err := tx.CreateUser(&vmt.User{Email: "a@example.org", Role: vmt.RoleReporter, CreatedAt: t0})
		wantCode(t, "CreateUser(taken email)", err, vmt.ECONFLICT)
		same(t, "field of the conflict", vmt.ErrorField(err), "email")
		// The transaction goes on after a conflict.
		mkUser(t, tx, "b@example.org", vmt.RoleReporter)
		b := *a
		b.ID = a.ID + 1000
		wantCode(t, "UpdateUser(unknown)", tx.UpdateUser(&b), vmt.ENOTFOUND)
		return nil
	})
	err := st.Update(t.Context(), func(tx vmt.Tx) error {
		b, err := tx.UserByEmail("b@example.org")
		must(t, err)
		b.Email = "a@example.org"
		return tx.UpdateUser(b)
	})
	wantCode(t, "UpdateUser(taken email)", err, vmt.ECONFLICT)
	same(t, "field of the conflict", vmt.ErrorField(err), "email")
	view(t, st, func(tx vmt.Tx) error {
		n, err := tx.CountUsers()
		must(t, err)
		same(t, "CountUsers after a conflict", n, 2)
		u, err := tx.UserByEmail("a@example.org")
		must(t, err)
		same(t, "role of the first user with the email", u.Role, vmt.RoleVMT)
		return nil
	})
}

func testTokens(t *testing.T, st vmt.Store) {
	var a, b *vmt.User
	var ka1, ka2, kb *vmt.Token
	update(t, st, func(tx vmt.Tx) error {
		a, b = mkUser(t, tx, "a@example.org", vmt.RoleVMT), mkUser(t, tx, "b@example.org", vmt.RoleReporter)
		ka1 = &vmt.Token{UserID: a.ID, Name: "laptop", Hash: vmt.HashToken("vmt_a1"), CreatedAt: t0}
		ka2 = &vmt.Token{UserID: a.ID, Name: "ci", Hash: vmt.HashToken("vmt_a2"), CreatedAt: at(1)}
		kb = &vmt.Token{UserID: b.ID, Name: "phone", Hash: vmt.HashToken("vmt_b"), CreatedAt: at(2)}
		for _, k := range []*vmt.Token{ka1, ka2, kb} {
			must(t, tx.CreateToken(k))
		}
		dup := &vmt.Token{UserID: b.ID, Name: "again", Hash: ka1.Hash, CreatedAt: at(3)}
		wantCode(t, "CreateToken(taken hash)", tx.CreateToken(dup), vmt.ECONFLICT)
		return nil
	})
	if ka1.ID == 0 || ka1.ID == ka2.ID {
		t.Fatalf("token ids not set: %d, %d", ka1.ID, ka2.ID)
	}
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.TokenByHash(ka2.Hash)
		must(t, err)
		same(t, "TokenByHash", got, ka2)
		_, err = tx.TokenByHash(vmt.HashToken("vmt_unknown"))
		wantCode(t, "TokenByHash(unknown)", err, vmt.ENOTFOUND)
		u, err := tx.UserByToken(kb.Hash)
		must(t, err)
		same(t, "UserByToken(b's token)", u, b)
		_, err = tx.UserByToken(vmt.HashToken("vmt_unknown"))
		wantCode(t, "UserByToken(unknown)", err, vmt.ENOTFOUND)
		ks, err := tx.Tokens(a.ID)
		must(t, err)
		same(t, "Tokens(a)", ks, []*vmt.Token{ka1, ka2})
		ks, err = tx.Tokens(a.ID + b.ID + 1)
		must(t, err)
		same(t, "Tokens(unknown user)", ks, []*vmt.Token{})
		return nil
	})
	update(t, st, func(tx vmt.Tx) error {
		wantCode(t, "DeleteToken of another user's token", tx.DeleteToken(b.ID, ka1.ID), vmt.ENOTFOUND)
		must(t, tx.DeleteToken(a.ID, ka1.ID))
		wantCode(t, "DeleteToken twice", tx.DeleteToken(a.ID, ka1.ID), vmt.ENOTFOUND)
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		_, err := tx.TokenByHash(ka1.Hash)
		wantCode(t, "TokenByHash(deleted)", err, vmt.ENOTFOUND)
		_, err = tx.UserByToken(ka1.Hash)
		wantCode(t, "UserByToken(deleted)", err, vmt.ENOTFOUND)
		ks, err := tx.Tokens(a.ID)
		must(t, err)
		same(t, "Tokens(a) after delete", ks, []*vmt.Token{ka2})
		ks, err = tx.Tokens(b.ID)
		must(t, err)
		same(t, "Tokens(b)", ks, []*vmt.Token{kb})
		return nil
	})
}
