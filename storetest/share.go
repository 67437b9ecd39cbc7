package storetest

import (
	"testing"

	"github.com/vmtproject/vmt"
)

func testSubscriptions(t *testing.T, st vmt.Store) {
	var r, other *vmt.Report
	var a, b, c *vmt.User
	var sa, sb *vmt.Subscription
	update(t, st, func(tx vmt.Tx) error {
		p := mkProject(t, tx, "p")
		a, b = mkUser(t, tx, "a@example.org", vmt.RoleVMT), mkUser(t, tx, "b@example.org", vmt.RoleReviewer)
		c = mkUser(t, tx, "c@example.org", vmt.RoleReviewer)
		r, other = mkReport(t, tx, p.ID, a.ID, vmt.Private, t0), mkReport(t, tx, p.ID, a.ID, vmt.Private, t0)
		sb = &vmt.Subscription{ReportID: r.ID, UserID: b.ID, GrantedBy: a.ID, CreatedAt: at(2)}
		sa = &vmt.Subscription{ReportID: r.ID, UserID: a.ID, GrantedBy: a.ID, CreatedAt: at(1)}
		must(t, tx.Subscribe(sb))
		must(t, tx.Subscribe(sa))
		must(t, tx.Subscribe(&vmt.Subscription{ReportID: other.ID, UserID: c.ID, GrantedBy: a.ID, CreatedAt: t0}))
		dup := &vmt.Subscription{ReportID: r.ID, UserID: b.ID, GrantedBy: c.ID, CreatedAt: at(3)}
		wantCode(t, "Subscribe twice", tx.Subscribe(dup), vmt.ECONFLICT)
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		ss, err := tx.Subscriptions(r.ID)
		must(t, err)
		same(t, "Subscriptions, oldest first (the first grant kept)", ss, []*vmt.Subscription{sa, sb})
		for _, tt := range []struct {
			report, user int64
			want         bool
		}{{r.ID, a.ID, true}, {r.ID, b.ID, true}, {r.ID, c.ID, false}, {other.ID, c.ID, true}, {other.ID, a.ID, false}} {
			ok, err := tx.Subscribed(tt.report, tt.user)
			must(t, err)
			if ok != tt.want {
				t.Errorf("Subscribed(%d, %d) = %v, want %v", tt.report, tt.user, ok, tt.want)
			}
		}
		return nil
	})
	update(t, st, func(tx vmt.Tx) error {
		must(t, tx.Unsubscribe(r.ID, a.ID))
		wantCode(t, "Unsubscribe twice", tx.Unsubscribe(r.ID, a.ID), vmt.ENOTFOUND)
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		ss, err := tx.Subscriptions(r.ID)
		must(t, err)
		same(t, "Subscriptions after Unsubscribe", ss, []*vmt.Subscription{sb})
		ok, err := tx.Subscribed(r.ID, a.ID)
		must(t, err)
		same(t, "Subscribed after Unsubscribe", ok, false)
		ss, err = tx.Subscriptions(r.ID + other.ID)
		must(t, err)
		same(t, "Subscriptions(unknown report)", ss, []*vmt.Subscription{})
		return nil
	})
}

func testComments(t *testing.T, st vmt.Store) {
	var r, other *vmt.Report
	var c1, c2, c3 *vmt.Comment
	update(t, st, func(tx vmt.Tx) error {
		p := mkProject(t, tx, "p")
		a, b := mkUser(t, tx, "a@example.org", vmt.RoleVMT), mkUser(t, tx, "b@example.org", vmt.RoleReporter)
		r, other = mkReport(t, tx, p.ID, b.ID, vmt.Private, t0), mkReport(t, tx, p.ID, b.ID, vmt.Private, t0)
		c1 = &vmt.Comment{ReportID: r.ID, AuthorID: b.ID, Body: "First.\n\n```\ncode\n```", CreatedAt: at(1)}
		c2 = &vmt.Comment{ReportID: other.ID, AuthorID: a.ID, Body: "Elsewhere.", CreatedAt: at(2)}
		c3 = &vmt.Comment{ReportID: r.ID, AuthorID: a.ID, Body: "Second — ✓", CreatedAt: at(3)}
		for _, c := range []*vmt.Comment{c1, c2, c3} {
			must(t, tx.CreateComment(c))
		}
		return nil
	})
	if c1.ID == 0 || c1.ID == c3.ID {
		t.Fatalf("comment ids not set: %d, %d", c1.ID, c3.ID)
	}
	view(t, st, func(tx vmt.Tx) error {
		cs, err := tx.Comments(r.ID)
		must(t, err)
		same(t, "Comments, oldest first", cs, []*vmt.Comment{c1, c3})
		cs, err = tx.Comments(other.ID)
		must(t, err)
		same(t, "Comments(other)", cs, []*vmt.Comment{c2})
		cs, err = tx.Comments(r.ID + other.ID)
		must(t, err)
		same(t, "Comments(unknown report)", cs, []*vmt.Comment{})
		return nil
	})
}
