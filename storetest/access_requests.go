package storetest

import (
	"testing"

	"github.com/vmtproject/vmt"
)

// statuses returns the status of each request, in order.
func statuses(qs []*vmt.AccessRequestRecord) []vmt.AccessRequestStatus {
	out := []vmt.AccessRequestStatus{}
	for _, q := range qs {
		out = append(out, q.Status)
	}
	return out
}

func testAccessRequests(t *testing.T, st vmt.Store) {
	var r, other *vmt.Report
	var vmtUser, s1, s2 *vmt.User
	req := func(r *vmt.Report, u *vmt.User, k int64, n int) *vmt.AccessRequestRecord {
		return &vmt.AccessRequestRecord{AccessRequest: vmt.AccessRequest{ReportID: r.ID, UserID: u.ID,
			StakeholderID: k, Organisation: "Org", Note: "we ship it", At: at(n)}}
	}
	update(t, st, func(tx vmt.Tx) error {
		p := mkProject(t, tx, "p")
		vmtUser = mkUser(t, tx, "vmt@example.org", vmt.RoleVMT)
		s1, s2 = mkUser(t, tx, "s1@example.org", vmt.RoleStakeholder), mkUser(t, tx, "s2@example.org", vmt.RoleStakeholder)
		r, other = mkReport(t, tx, p.ID, vmtUser.ID, vmt.Private, t0), mkReport(t, tx, p.ID, vmtUser.ID, vmt.Private, t0)
		q := req(r, s1, 7, 1)
		must(t, tx.CreateAccessRequest(q))
		if q.ID == 0 || q.Status != vmt.AccessPending {
			t.Errorf("CreateAccessRequest set id %d and status %q, want an id and pending", q.ID, q.Status)
		}
		wantCode(t, "a second pending request of one account", tx.CreateAccessRequest(req(r, s1, 7, 2)), vmt.ECONFLICT)
		must(t, tx.CreateAccessRequest(req(r, s2, 8, 3)))
		must(t, tx.CreateAccessRequest(req(other, s1, 7, 4)))
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		qs, err := tx.AccessRequests(vmt.AccessRequestFilter{ReportID: r.ID, Status: vmt.AccessPending})
		must(t, err)
		if len(qs) != 2 || qs[0].UserID != s1.ID || qs[1].UserID != s2.ID {
			t.Fatalf("pending requests of the report, oldest first: %s", show(qs))
		}
		same(t, "a stored request", qs[0].AccessRequest, req(r, s1, 7, 1).AccessRequest)
		qs, err = tx.AccessRequests(vmt.AccessRequestFilter{StakeholderID: 7})
		must(t, err)
		if len(qs) != 2 || qs[0].ReportID != r.ID || qs[1].ReportID != other.ID {
			t.Errorf("requests filed as stakeholder 7: %s", show(qs))
		}
		return nil
	})

	// A decline is kept with its reason and its wait; asking again makes a
	// new request, and the decline stays in the history.
	d := &vmt.AccessDecline{ReportID: r.ID, UserID: s1.ID, Reason: "not a user of this", By: vmtUser.ID, At: at(5), AskAgainAfter: at(5 + 24*60)}
	update(t, st, func(tx vmt.Tx) error {
		must(t, tx.DeclineAccessRequest(d))
		wantCode(t, "declining a request no longer pending", tx.DeclineAccessRequest(d), vmt.ENOTFOUND)
		wantCode(t, "declining for an account that never asked", tx.DeclineAccessRequest(&vmt.AccessDecline{ReportID: r.ID, UserID: vmtUser.ID, At: at(5)}), vmt.ENOTFOUND)
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		qs, err := tx.AccessRequests(vmt.AccessRequestFilter{ReportID: r.ID, UserID: s1.ID})
		must(t, err)
		same(t, "the statuses of s1's requests", statuses(qs), []vmt.AccessRequestStatus{vmt.AccessDeclined})
		same(t, "the decline", qs[0].Decline, d)
		return nil
	})
	update(t, st, func(tx vmt.Tx) error {
		must(t, tx.CreateAccessRequest(req(r, s1, 7, 6)))
		return nil
	})

	// Letting the account in settles its pending and declined requests;
	// ending its access closes what is pending, nothing else.
	update(t, st, func(tx vmt.Tx) error {
		must(t, tx.Subscribe(&vmt.Subscription{ReportID: r.ID, UserID: s1.ID, GrantedBy: vmtUser.ID, CreatedAt: at(7)}))
		qs, err := tx.AccessRequests(vmt.AccessRequestFilter{ReportID: r.ID, UserID: s1.ID})
		must(t, err)
		same(t, "s1's requests after a grant", statuses(qs), []vmt.AccessRequestStatus{vmt.AccessGranted, vmt.AccessGranted})
		if qs[0].Decline != nil {
			t.Errorf("a decline followed by a grant is still shown: %+v", qs[0].Decline)
		}
		qs, err = tx.AccessRequests(vmt.AccessRequestFilter{UserID: s1.ID, ReportID: other.ID})
		must(t, err)
		same(t, "s1's request on another report", statuses(qs), []vmt.AccessRequestStatus{vmt.AccessPending})
		return nil
	})
	update(t, st, func(tx vmt.Tx) error {
		// A subscription that ends while a request waits: the store does
		// not judge how that came to be (the application refuses a request
		// from an account that can read the report).
		must(t, tx.Subscribe(&vmt.Subscription{ReportID: other.ID, UserID: s2.ID, GrantedBy: vmtUser.ID, CreatedAt: at(8)}))
		must(t, tx.CreateAccessRequest(req(other, s2, 8, 9)))
		must(t, tx.Unsubscribe(other.ID, s2.ID))
		// Another account's grant settles nothing of s2's.
		must(t, tx.Subscribe(&vmt.Subscription{ReportID: r.ID, UserID: vmtUser.ID, GrantedBy: vmtUser.ID, CreatedAt: at(10)}))
		return nil
	})
	view(t, st, func(tx vmt.Tx) error {
		qs, err := tx.AccessRequests(vmt.AccessRequestFilter{UserID: s2.ID})
		must(t, err)
		same(t, "s2's requests (r pending, other closed)", statuses(qs), []vmt.AccessRequestStatus{vmt.AccessPending, vmt.AccessClosed})
		qs, err = tx.AccessRequests(vmt.AccessRequestFilter{Status: vmt.AccessPending})
		must(t, err)
		if len(qs) != 2 || qs[0].UserID != s2.ID || qs[0].ReportID != r.ID || qs[1].UserID != s1.ID || qs[1].ReportID != other.ID {
			t.Errorf("every pending request: %s", show(qs))
		}
		return nil
	})
}
