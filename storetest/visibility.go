package storetest

import (
	"fmt"
	"testing"

	"github.com/vmtproject/vmt"
)

// testReportVisibility checks every case of the rule of vmt.Access.CanView
// in Reports: public, administrator, reporter, subscriber, VMT member of the
// report's project. Members in other roles and VMT members of other projects
// see only public reports.
func testReportVisibility(t *testing.T, st vmt.Store) {
	type users struct{ admin, rep, sub, vmtm, reviewer, committee, stranger, vmt2, other *vmt.User }
	var u users
	var pub, privR, privS, privP2, pubP2 *vmt.Report
	update(t, st, func(tx vmt.Tx) error {
		p1, p2 := mkProject(t, tx, "p1"), mkProject(t, tx, "p2")
		u = users{
			admin: mkUser(t, tx, "admin@example.org", vmt.RoleAdmin), rep: mkUser(t, tx, "rep@example.org", vmt.RoleReporter),
			sub: mkUser(t, tx, "sub@example.org", vmt.RoleReviewer), vmtm: mkUser(t, tx, "vmt@example.org", vmt.RoleVMT),
			reviewer: mkUser(t, tx, "rev@example.org", vmt.RoleReviewer), committee: mkUser(t, tx, "com@example.org", vmt.RoleCommittee),
			stranger: mkUser(t, tx, "x@example.org", vmt.RoleStakeholder), vmt2: mkUser(t, tx, "vmt2@example.org", vmt.RoleVMT),
			other: mkUser(t, tx, "other@example.org", vmt.RoleReporter),
		}
		must(t, tx.SetMember(vmt.Member{ProjectID: p1.ID, UserID: u.vmtm.ID, Role: vmt.MemberVMT}))
		must(t, tx.SetMember(vmt.Member{ProjectID: p1.ID, UserID: u.reviewer.ID, Role: vmt.MemberReviewer}))
		must(t, tx.SetMember(vmt.Member{ProjectID: p1.ID, UserID: u.committee.ID, Role: vmt.MemberCommittee}))
		must(t, tx.SetMember(vmt.Member{ProjectID: p2.ID, UserID: u.vmt2.ID, Role: vmt.MemberVMT}))
		pub = mkReport(t, tx, p1.ID, u.rep.ID, vmt.Public, at(1))
		privR = mkReport(t, tx, p1.ID, u.rep.ID, vmt.Private, at(2))
		privS = mkReport(t, tx, p1.ID, u.other.ID, vmt.Private, at(3))
		privP2 = mkReport(t, tx, p2.ID, u.other.ID, vmt.Private, at(4))
		pubP2 = mkReport(t, tx, p2.ID, u.other.ID, vmt.Public, at(5))
		must(t, tx.Subscribe(&vmt.Subscription{ReportID: privS.ID, UserID: u.sub.ID, GrantedBy: u.vmtm.ID, CreatedAt: t0}))
		// Two grounds for one report must not list it twice.
		must(t, tx.Subscribe(&vmt.Subscription{ReportID: privR.ID, UserID: u.vmtm.ID, GrantedBy: u.vmtm.ID, CreatedAt: t0}))
		return nil
	})
	all := []*vmt.Report{pubP2, privP2, privS, privR, pub}
	tests := []struct {
		name string
		v    vmt.Viewer
		want []*vmt.Report
	}{
		{"anonymous", vmt.Viewer{}, []*vmt.Report{pubP2, pub}},
		{"admin", vmt.Viewer{UserID: u.admin.ID, Admin: true}, all},
		{"admin flag alone", vmt.Viewer{Admin: true}, all},
		{"reporter", vmt.Viewer{UserID: u.rep.ID}, []*vmt.Report{pubP2, privR, pub}},
		{"subscriber", vmt.Viewer{UserID: u.sub.ID}, []*vmt.Report{pubP2, privS, pub}},
		{"vmt member", vmt.Viewer{UserID: u.vmtm.ID}, []*vmt.Report{pubP2, privS, privR, pub}},
		{"reviewer member", vmt.Viewer{UserID: u.reviewer.ID}, []*vmt.Report{pubP2, pub}},
		{"committee member", vmt.Viewer{UserID: u.committee.ID}, []*vmt.Report{pubP2, pub}},
		{"stranger", vmt.Viewer{UserID: u.stranger.ID}, []*vmt.Report{pubP2, pub}},
		{"vmt member of the other project", vmt.Viewer{UserID: u.vmt2.ID}, []*vmt.Report{pubP2, privP2, pub}},
		{"reporter of two", vmt.Viewer{UserID: u.other.ID}, []*vmt.Report{pubP2, privP2, privS, pub}},
	}
	for _, tt := range tests {
		view(t, st, func(tx vmt.Tx) error {
			rs, n, err := tx.Reports(vmt.ReportFilter{Viewer: tt.v})
			must(t, err)
			same(t, tt.name+": ids", ids(rs), ids(tt.want))
			same(t, tt.name+": count", n, len(tt.want))
			same(t, tt.name+": by the policy", ids(rs), ids(visibleByPolicy(t, tx, tt.v, all)))
			// A page counts every visible match, not only itself.
			rs, n, err = tx.Reports(vmt.ReportFilter{Viewer: tt.v, Limit: 1, Offset: 1})
			must(t, err)
			same(t, tt.name+": second page of one", ids(rs), ids(tt.want[1:2]))
			same(t, tt.name+": count with a page", n, len(tt.want))
			// Search applies the same rule, by a statement of its own
			// (on PostgreSQL, one for VMT members and one for others),
			// to a word every report holds.
			rs, n, err = tx.Reports(vmt.ReportFilter{Viewer: tt.v, Query: "bug"})
			must(t, err)
			same(t, tt.name+": search", ids(rs), ids(tt.want))
			same(t, tt.name+": search count", n, len(tt.want))
			return nil
		})
	}
	view(t, st, func(tx vmt.Tx) error {
		rs, n, err := tx.Reports(vmt.ReportFilter{Viewer: vmt.Viewer{UserID: u.vmtm.ID}, Visibility: vmt.Private})
		must(t, err)
		same(t, "vmt member, private only", ids(rs), ids([]*vmt.Report{privS, privR}))
		same(t, "vmt member, private only: count", n, 2)
		rs, n, err = tx.Reports(vmt.ReportFilter{Viewer: vmt.Viewer{UserID: u.sub.ID}, ProjectID: privP2.ProjectID})
		must(t, err)
		same(t, "subscriber, other project", ids(rs), ids([]*vmt.Report{pubP2}))
		same(t, "subscriber, other project: count", n, 1)
		return nil
	})
	// ReportFor gives each pair's grants, as written here by hand.
	grants := []struct {
		name   string
		r      *vmt.Report
		userID int64
		want   vmt.Grants
	}{
		{"anonymous", privS, 0, vmt.Grants{}},
		{"subscriber", privS, u.sub.ID, vmt.Grants{Subscribed: true}},
		{"vmt member, subscribed too", privR, u.vmtm.ID, vmt.Grants{MemberRole: vmt.MemberVMT, Subscribed: true}},
		{"vmt member", privS, u.vmtm.ID, vmt.Grants{MemberRole: vmt.MemberVMT}},
		{"reviewer member", privS, u.reviewer.ID, vmt.Grants{MemberRole: vmt.MemberReviewer}},
		{"committee member", privR, u.committee.ID, vmt.Grants{MemberRole: vmt.MemberCommittee}},
		{"vmt member of the other project", privS, u.vmt2.ID, vmt.Grants{}},
		{"reporter", privR, u.rep.ID, vmt.Grants{}},
	}
	view(t, st, func(tx vmt.Tx) error {
		for _, tt := range grants {
			r, g, err := tx.ReportFor(tt.r.ID, tt.userID)
			must(t, err)
			same(t, "ReportFor "+tt.name+": report", r, tt.r)
			same(t, "ReportFor "+tt.name+": grants", g, tt.want)
		}
		_, _, err := tx.ReportFor(pubP2.ID+1000, u.sub.ID)
		wantCode(t, "ReportFor(unknown)", err, vmt.ENOTFOUND)
		return nil
	})
}

// visibleByPolicy filters rs with vmt.Access.CanView, computing the access
// as the service does, so that the store's filter is checked against the
// rule it restates.
func visibleByPolicy(t *testing.T, tx vmt.Tx, v vmt.Viewer, rs []*vmt.Report) []*vmt.Report {
	t.Helper()
	out := []*vmt.Report{}
	for _, r := range rs {
		acc := vmt.Access{Authenticated: v.UserID != 0, Admin: v.Admin}
		if v.UserID != 0 {
			acc.Reporter = r.ReporterID == v.UserID
			m, err := tx.Member(r.ProjectID, v.UserID)
			if vmt.ErrorCode(err) != vmt.ENOTFOUND {
				must(t, err)
				acc.Coordinator = m.Role == vmt.MemberVMT
			}
			acc.Subscribed, err = tx.Subscribed(r.ID, v.UserID)
			must(t, err)
		}
		if acc.CanView(r) {
			out = append(out, r)
		}
	}
	return out
}

// testCountByStatus checks that the grouped counts agree, for every kind of
// viewer and with other filters, with Reports filtered by each status.
func testCountByStatus(t *testing.T, st vmt.Store) {
	var rep, other, member *vmt.User
	var p *vmt.Project
	update(t, st, func(tx vmt.Tx) error {
		p = mkProject(t, tx, "counts")
		rep, other = mkUser(t, tx, "r@example.org", vmt.RoleReporter), mkUser(t, tx, "o@example.org", vmt.RoleReporter)
		member = mkUser(t, tx, "m@example.org", vmt.RoleVMT)
		must(t, tx.SetMember(vmt.Member{ProjectID: p.ID, UserID: member.ID, Role: vmt.MemberVMT}))
		statuses := []vmt.Status{vmt.StatusNew, vmt.StatusNew, vmt.StatusConfirmed, vmt.StatusTriaged, vmt.StatusInvalid}
		for i, s := range statuses {
			for _, vis := range []vmt.Visibility{vmt.Private, vmt.Public} {
				r := mkReport(t, tx, p.ID, rep.ID, vis, at(i))
				r.Status = s
				must(t, tx.UpdateReport(r))
			}
		}
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		for _, v := range []vmt.Viewer{{}, {UserID: rep.ID}, {UserID: other.ID}, {UserID: member.ID}, {Admin: true}} {
			for _, f := range []vmt.ReportFilter{{Viewer: v}, {Viewer: v, Visibility: vmt.Private}, {Viewer: v, ProjectID: p.ID + 1}} {
				got, err := tx.CountByStatus(f)
				must(t, err)
				want := map[vmt.Status]int{}
				for _, s := range vmt.Statuses {
					g := f
					g.Status = s.Status
					if _, n, err := tx.Reports(g); err != nil {
						t.Fatal(err)
					} else if n > 0 {
						want[s.Status] = n
					}
				}
				same(t, fmt.Sprintf("CountByStatus for viewer %+v, filter %+v", v, f), got, want)
			}
		}
		// One by hand: a stranger sees the public half.
		got, err := tx.CountByStatus(vmt.ReportFilter{Viewer: vmt.Viewer{UserID: other.ID}})
		must(t, err)
		same(t, "stranger's counts", got, map[vmt.Status]int{vmt.StatusNew: 2, vmt.StatusConfirmed: 1, vmt.StatusTriaged: 1, vmt.StatusInvalid: 1})
		return nil
	})
}
