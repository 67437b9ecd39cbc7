package storetest

import (
	"slices"
	"testing"

	"github.com/vmtproject/vmt"
)

// testForgeAdvisories: a report's repository advisory is found by report
// and by its project's GHSA id; a report has one advisory and an advisory
// one report of a project (another project may follow the same id); a
// GitHub login is linked to one account, found in any case.
func testForgeAdvisories(t *testing.T, st vmt.Store) {
	var p, q *vmt.Project
	var r1, r2, r3 *vmt.Report
	var u1, u2 *vmt.User
	update(t, st, func(tx vmt.Tx) error {
		p, q = mkProject(t, tx, "p"), mkProject(t, tx, "q")
		u1, u2 = mkUser(t, tx, "one@example.org", vmt.RoleReporter), mkUser(t, tx, "two@example.org", vmt.RoleReporter)
		r1, r2 = mkReport(t, tx, p.ID, u1.ID, vmt.Private, at(1)), mkReport(t, tx, p.ID, u1.ID, vmt.Private, at(2))
		r3 = mkReport(t, tx, q.ID, u1.ID, vmt.Private, at(3))
		return nil
	})
	l1 := &vmt.ForgeAdvisoryLink{ReportID: r1.ID, ProjectID: p.ID, GHSA: "GHSA-aaaa-bbbb-cccc", Login: "Octo",
		URL: "https://github.com/o/r/security/advisories/GHSA-aaaa-bbbb-cccc", LinkedAt: at(4)}
	update(t, st, func(tx vmt.Tx) error {
		_, err := tx.ForgeAdvisoryLink(r1.ID)
		wantCode(t, "ForgeAdvisoryLink before any", err, vmt.ENOTFOUND)
		must(t, tx.AddForgeAdvisoryLink(l1))
		got, err := tx.ForgeAdvisoryLink(r1.ID)
		must(t, err)
		same(t, "ForgeAdvisoryLink", got, l1)
		got, err = tx.ForgeAdvisoryByGHSA(p.ID, l1.GHSA)
		must(t, err)
		same(t, "ForgeAdvisoryByGHSA", got, l1)
		_, err = tx.ForgeAdvisoryByGHSA(q.ID, l1.GHSA)
		wantCode(t, "another project's advisory", err, vmt.ENOTFOUND)
		return nil
	})
	update(t, st, func(tx vmt.Tx) error {
		wantCode(t, "the advisory for a second report", tx.AddForgeAdvisoryLink(&vmt.ForgeAdvisoryLink{ReportID: r2.ID,
			ProjectID: p.ID, GHSA: l1.GHSA, URL: "u", LinkedAt: at(5)}), vmt.ECONFLICT)
		wantCode(t, "a second advisory for the report", tx.AddForgeAdvisoryLink(&vmt.ForgeAdvisoryLink{ReportID: r1.ID,
			ProjectID: p.ID, GHSA: "GHSA-xxxx-yyyy-zzzz", URL: "u", LinkedAt: at(5)}), vmt.ECONFLICT)
		must(t, tx.AddForgeAdvisoryLink(&vmt.ForgeAdvisoryLink{ReportID: r3.ID, ProjectID: q.ID, GHSA: l1.GHSA, URL: "u", LinkedAt: at(5)}))
		_, err := tx.ForgeAdvisoryLink(r2.ID)
		wantCode(t, "the refused link", err, vmt.ENOTFOUND)

		_, err = tx.ForgeLoginUser("octo")
		wantCode(t, "ForgeLoginUser before any", err, vmt.ENOTFOUND)
		must(t, tx.SetForgeLogin("Octo", u1.ID))
		id, err := tx.ForgeLoginUser("OCTO")
		must(t, err)
		if id != u1.ID {
			t.Errorf("ForgeLoginUser = %d, want %d", id, u1.ID)
		}
		wantCode(t, "a login linked twice", tx.SetForgeLogin("octo", u2.ID), vmt.ECONFLICT)

		// An account's own login, set and replaced; another's refused.
		must(t, tx.SetForgeLogin("octo-old", u1.ID))
		ls, err := tx.UserForgeLogins(u1.ID)
		must(t, err)
		if !slices.Equal(ls, []string{"octo", "octo-old"}) {
			t.Errorf("UserForgeLogins = %q", ls)
		}
		wantCode(t, "another account's login", tx.SetUserForgeLogin(u2.ID, "OCTO"), vmt.ECONFLICT)
		must(t, tx.SetUserForgeLogin(u2.ID, "Hubot"))
		must(t, tx.SetUserForgeLogin(u1.ID, "octo"))
		for _, c := range []struct {
			id   int64
			want []string
		}{{u1.ID, []string{"octo"}}, {u2.ID, []string{"hubot"}}} {
			ls, err := tx.UserForgeLogins(c.id)
			must(t, err)
			if !slices.Equal(ls, c.want) {
				t.Errorf("UserForgeLogins(%d) = %q, want %q", c.id, ls, c.want)
			}
		}
		must(t, tx.SetUserForgeLogin(u2.ID, ""))
		if ls, _ := tx.UserForgeLogins(u2.ID); len(ls) != 0 {
			t.Errorf("after the login was taken off: %q", ls)
		}
		return nil
	})
}
