package storetest

import (
	"testing"

	"github.com/vmtproject/vmt"
)

func testProjects(t *testing.T, st vmt.Store) {
	var k, z *vmt.Project
	update(t, st, func(tx vmt.Tx) error {
		z = &vmt.Project{Name: "zeta", AdvisoryPrefix: "ZSA", NotePrefix: "ZSN",
			Branches: []string{"main"}, CreatedAt: t0}
		must(t, tx.CreateProject(z))
		k = &vmt.Project{Name: "kernel", AdvisoryPrefix: "KCSA", NotePrefix: "KCSN",
			Branches: []string{"master", "stable/2025.1", "stable/2024.2"}, CreatedAt: at(1)}
		must(t, tx.CreateProject(k))
		dup := &vmt.Project{Name: "kernel", AdvisoryPrefix: "XA", NotePrefix: "XN", Branches: []string{"x"}, CreatedAt: t0}
		err := tx.CreateProject(dup)
		wantCode(t, "CreateProject(taken name)", err, vmt.ECONFLICT)
		same(t, "field of the conflict", vmt.ErrorField(err), "name")
		return nil
	})
	if k.ID == 0 || k.ID == z.ID {
		t.Fatalf("project ids not set: %d, %d", k.ID, z.ID)
	}
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.Project(k.ID)
		must(t, err)
		same(t, "Project (branches in order)", got, k)
		got, err = tx.ProjectByName("zeta")
		must(t, err)
		same(t, "ProjectByName", got, z)
		all, err := tx.Projects()
		must(t, err)
		same(t, "Projects (by name)", all, []*vmt.Project{k, z})
		_, err = tx.Project(k.ID + z.ID)
		wantCode(t, "Project(unknown)", err, vmt.ENOTFOUND)
		_, err = tx.ProjectByName("nope")
		wantCode(t, "ProjectByName(unknown)", err, vmt.ENOTFOUND)
		return nil
	})

	want := *k
	want.AdvisoryPrefix, want.NotePrefix, want.Branches = "KSA", "KSN", []string{"main", "stable/1"}
	update(t, st, func(tx vmt.Tx) error {
		must(t, tx.UpdateProject(ptr(want)))
		// Storing the same values again is not "not found".
		must(t, tx.UpdateProject(ptr(want)))
		gone := want
		gone.ID = k.ID + z.ID
		wantCode(t, "UpdateProject(unknown)", tx.UpdateProject(&gone), vmt.ENOTFOUND)
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		got, err := tx.Project(k.ID)
		must(t, err)
		same(t, "Project after UpdateProject", got, &want)
		return nil
	})
}

func testMembers(t *testing.T, st vmt.Store) {
	var p, q *vmt.Project
	var a, b *vmt.User
	update(t, st, func(tx vmt.Tx) error {
		p, q = mkProject(t, tx, "p"), mkProject(t, tx, "q")
		a, b = mkUser(t, tx, "a@example.org", vmt.RoleVMT), mkUser(t, tx, "b@example.org", vmt.RoleReviewer)
		must(t, tx.SetMember(vmt.Member{ProjectID: p.ID, UserID: b.ID, Role: vmt.MemberReviewer}))
		must(t, tx.SetMember(vmt.Member{ProjectID: p.ID, UserID: a.ID, Role: vmt.MemberReviewer}))
		must(t, tx.SetMember(vmt.Member{ProjectID: q.ID, UserID: a.ID, Role: vmt.MemberCommittee}))
		// Setting again replaces the role.
		return tx.SetMember(vmt.Member{ProjectID: p.ID, UserID: a.ID, Role: vmt.MemberVMT})
	})
	view(t, st, func(tx vmt.Tx) error {
		ms, err := tx.Members(p.ID)
		must(t, err)
		same(t, "Members(p), by user id", ms, []vmt.Member{
			{ProjectID: p.ID, UserID: a.ID, Role: vmt.MemberVMT},
			{ProjectID: p.ID, UserID: b.ID, Role: vmt.MemberReviewer},
		})
		m, err := tx.Member(q.ID, a.ID)
		must(t, err)
		same(t, "Member(q, a)", m, &vmt.Member{ProjectID: q.ID, UserID: a.ID, Role: vmt.MemberCommittee})
		_, err = tx.Member(q.ID, b.ID)
		wantCode(t, "Member(q, b)", err, vmt.ENOTFOUND)
		return nil
	})
	update(t, st, func(tx vmt.Tx) error {
		must(t, tx.RemoveMember(p.ID, a.ID))
		wantCode(t, "RemoveMember twice", tx.RemoveMember(p.ID, a.ID), vmt.ENOTFOUND)
		wantCode(t, "RemoveMember(not a member)", tx.RemoveMember(q.ID, b.ID), vmt.ENOTFOUND)
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		ms, err := tx.Members(p.ID)
		must(t, err)
		same(t, "Members(p) after RemoveMember", ms, []vmt.Member{{ProjectID: p.ID, UserID: b.ID, Role: vmt.MemberReviewer}})
		_, err = tx.Member(p.ID, a.ID)
		wantCode(t, "Member(p, a) after RemoveMember", err, vmt.ENOTFOUND)
		ms, err = tx.Members(p.ID + q.ID)
		must(t, err)
		same(t, "Members(unknown project)", ms, []vmt.Member{})
		return nil
	})
}
