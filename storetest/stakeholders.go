package storetest

import (
	"encoding/json"
	"testing"

	"github.com/vmtproject/vmt"
)

// testStakeholders: the registry round-trips every field, the organisation
// is unique (on create and on update), applications list per user and
// newest first, decisions are stored, and disclosure settings are absent
// until set, then replaced.
func testStakeholders(t *testing.T, st vmt.Store) {
	var a, b *vmt.Stakeholder
	var alice, vmtUser *vmt.User
	var p *vmt.Project
	update(t, st, func(tx vmt.Tx) error {
		p = mkProject(t, tx, "p")
		alice, vmtUser = mkUser(t, tx, "alice@example.org", vmt.RoleReporter), mkUser(t, tx, "v@example.org", vmt.RoleVMT)
		a = &vmt.Stakeholder{Organisation: "Distro A", Contacts: []string{"sec@a.example"}, PublicKey: "KEY",
			Fingerprint: "ABCD", KeyExpires: ptr(at(100)), Projects: []string{"p"}, CreatedAt: at(1), UpdatedAt: at(1)}
		b = &vmt.Stakeholder{Organisation: "Cloud B", Contacts: []string{"x@b.example", "y@b.example"},
			Projects: []string{}, CreatedAt: at(2), UpdatedAt: at(2)}
		must(t, tx.CreateStakeholder(a))
		must(t, tx.CreateStakeholder(b))
		dup := &vmt.Stakeholder{Organisation: "Distro A", Contacts: []string{}, Projects: []string{}, CreatedAt: at(3), UpdatedAt: at(3)}
		wantCode(t, "CreateStakeholder of a taken organisation", tx.CreateStakeholder(dup), vmt.ECONFLICT)
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.Stakeholders()
		must(t, err)
		same(t, "Stakeholders", got, []*vmt.Stakeholder{b, a})
		one, err := tx.Stakeholder(a.ID)
		must(t, err)
		same(t, "Stakeholder", one, a)
		_, err = tx.Stakeholder(b.ID + 100)
		wantCode(t, "Stakeholder of a missing id", err, vmt.ENOTFOUND)
		return nil
	})
	update(t, st, func(tx vmt.Tx) error {
		c := *b
		c.Organisation = "Distro A"
		wantCode(t, "UpdateStakeholder to a taken organisation", tx.UpdateStakeholder(&c), vmt.ECONFLICT)
		b.Contacts, b.PublicKey, b.Fingerprint, b.KeyExpires, b.UpdatedAt = []string{"z@b.example"}, "K2", "EF", ptr(at(9)), at(5)
		must(t, tx.UpdateStakeholder(b))
		got, err := tx.Stakeholder(b.ID)
		must(t, err)
		same(t, "Stakeholder after update", got, b)
		must(t, tx.DeleteStakeholder(a.ID))
		wantCode(t, "DeleteStakeholder twice", tx.DeleteStakeholder(a.ID), vmt.ENOTFOUND)
		return nil
	})

	var r1, r2 *vmt.StakeholderRequest
	update(t, st, func(tx vmt.Tx) error {
		r1 = &vmt.StakeholderRequest{UserID: alice.ID, Organisation: "Distro C", Contacts: []string{"c@c.example"},
			Projects: []string{}, Rationale: "we ship it", CreatedAt: at(10)}
		r2 = &vmt.StakeholderRequest{UserID: vmtUser.ID, Organisation: "Distro D", Contacts: []string{"d@d.example"},
			PublicKey: "KEY", Projects: []string{"p"}, Rationale: "we too", CreatedAt: at(11)}
		must(t, tx.CreateStakeholderRequest(r1))
		must(t, tx.CreateStakeholderRequest(r2))
		return nil
	})
	if r1.State != vmt.RequestPending {
		t.Errorf("a new request is %q, want pending", r1.State)
	}
	update(t, st, func(tx vmt.Tx) error {
		r1.State, r1.DecidedBy, r1.DecidedAt, r1.Note, r1.StakeholderID = vmt.RequestAccepted, vmtUser.ID, ptr(at(12)), "welcome", b.ID
		must(t, tx.UpdateStakeholderRequest(r1))
		all, err := tx.StakeholderRequests(0)
		must(t, err)
		same(t, "StakeholderRequests(0)", all, []*vmt.StakeholderRequest{r2, r1})
		mine, err := tx.StakeholderRequests(alice.ID)
		must(t, err)
		same(t, "StakeholderRequests(alice)", mine, []*vmt.StakeholderRequest{r1})
		got, err := tx.StakeholderRequest(r1.ID)
		must(t, err)
		same(t, "StakeholderRequest", got, r1)
		_, err = tx.StakeholderRequest(r2.ID + 100)
		wantCode(t, "StakeholderRequest of a missing id", err, vmt.ENOTFOUND)
		return nil
	})

	update(t, st, func(tx vmt.Tx) error {
		_, err := tx.DisclosureSettings(p.ID)
		wantCode(t, "DisclosureSettings before any", err, vmt.ENOTFOUND)
		d := &vmt.DisclosureSettings{ProjectID: p.ID, Policy: json.RawMessage(`{"window":"5-10"}`), EmbargoLimitDays: 7,
			MaxEmbargoDays: 30, Lists: []vmt.NoticeList{{Name: "ld", Address: "ld@example.org", Rules: vmt.ListLinuxDistros, PublicKey: "K"}},
			PolicyText: "# Vulnerability Management Process\n\nReport in private — Grüße.\n"}
		must(t, tx.SetDisclosureSettings(d))
		got, err := tx.DisclosureSettings(p.ID)
		must(t, err)
		same(t, "DisclosureSettings", got, d)
		d2 := vmt.DefaultDisclosureSettings(p.ID)
		must(t, tx.SetDisclosureSettings(d2))
		got, err = tx.DisclosureSettings(p.ID)
		must(t, err)
		same(t, "DisclosureSettings replaced", got, d2)
		return nil
	})
}
