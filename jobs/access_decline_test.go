package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// The VMT declines a stakeholder's access request with a reason: the
// request is no longer pending, the decline is audited, the requester sees
// it (with the reason) and may not ask again before AccessRetryAfter, then
// may; only the VMT declines, and only a pending request.
func TestVMTDeclinesAccess(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			w := newWorld(t, engine)
			w.stakeholder("Distro", false) // distro@distro.example
			u, err := w.svc.CreateUser(ctx, w.admin, vmt.UserInput{Email: "distro@distro.example", Name: "Distro", Role: vmt.RoleStakeholder, EmailProven: true})
			must(t, err)
			distro := vmt.Actor{User: u}
			r := w.readyReport("Overflow")
			_, err = w.svc.SendNotice(ctx, w.coord, r.ID)
			must(t, err)

			if _, err := w.svc.DeclineAccess(ctx, w.coord, r.ID, distro.ID(), ""); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("declining with no request: %v", err)
			}
			if st, err := w.svc.OwnAccessRequest(ctx, distro, r.ID); err != nil || st.Pending != nil || st.Declined != nil {
				t.Errorf("own request before asking: %+v, %v", st, err)
			}
			_, err = w.svc.RequestAccess(ctx, distro, r.ID, "we ship the agent")
			must(t, err)
			if _, err := w.svc.DeclineAccess(ctx, distro, r.ID, distro.ID(), "no"); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("the stakeholder declining: %v", err)
			}
			if _, err := w.svc.DeclineAccess(ctx, w.coord, r.ID, distro.ID(), strings.Repeat("x", vmt.MaxAccessNoteLen+1)); vmt.ErrorCode(err) != vmt.EINVALID {
				t.Errorf("an overlong reason: %v", err)
			}
			d, err := w.svc.DeclineAccess(ctx, w.coord, r.ID, distro.ID(), " your product does not ship the agent ")
			must(t, err)
			if d.Reason != "your product does not ship the agent" || d.By != w.coord.ID() || !d.AskAgainAfter.Equal(d.At.Add(vmt.AccessRetryAfter)) {
				t.Errorf("decline %+v", d)
			}
			if qs, _ := w.svc.AccessRequests(ctx, w.coord, r.ID); len(qs) != 0 {
				t.Errorf("still pending after the decline: %+v", qs)
			}
			if _, err := w.svc.DeclineAccess(ctx, w.coord, r.ID, distro.ID(), ""); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("declining twice: %v", err)
			}
			evs := w.events("report.access_decline")
			if len(evs) != 1 || evs[0].ActorID != w.coord.ID() || !strings.Contains(string(evs[0].After), "does not ship") ||
				!strings.Contains(string(evs[0].Before), "we ship the agent") {
				t.Errorf("decline events: %+v", evs)
			}
			st, err := w.svc.OwnAccessRequest(ctx, distro, r.ID)
			must(t, err)
			if st.Pending != nil || st.Declined == nil || st.Declined.Reason != d.Reason {
				t.Errorf("own request after the decline: %+v", st)
			}
			_, err = w.svc.RequestAccess(ctx, distro, r.ID, "again")
			if vmt.ErrorCode(err) != vmt.ECONFLICT || !strings.Contains(err.Error(), "declined") || !strings.Contains(err.Error(), "does not ship") {
				t.Errorf("asking again at once: %v", err)
			}
			stranger, err := w.svc.CreateUser(ctx, w.admin, vmt.UserInput{Email: "who@else.example", Name: "Who", Role: vmt.RoleStakeholder, EmailProven: true})
			must(t, err)
			if _, err := w.svc.OwnAccessRequest(ctx, vmt.Actor{User: stranger}, r.ID); vmt.ErrorCode(err) != vmt.ENOTFOUND {
				t.Errorf("an account told of nothing reading its request: %v", err)
			}

			w.clock.Add(vmt.AccessRetryAfter + time.Minute)
			_, err = w.svc.RequestAccess(ctx, distro, r.ID, "we now ship the agent")
			must(t, err)
			st, err = w.svc.OwnAccessRequest(ctx, distro, r.ID)
			must(t, err)
			if st.Pending == nil || st.Declined != nil {
				t.Errorf("own request after asking again: %+v", st)
			}
			if qs, _ := w.svc.AccessRequests(ctx, w.coord, r.ID); len(qs) != 1 || qs[0].Note != "we now ship the agent" {
				t.Errorf("pending after asking again: %+v", qs)
			}
		})
	}
}
