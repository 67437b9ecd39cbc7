package http_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// The coordinator declines a request next to its Grant button, with a
// reason; the request leaves the page, the stakeholder's access page says
// it was declined with the reason and when they may ask again, asking
// again at once is refused with the same, and the report stays hidden. A
// stranger's access page shows no state.
func TestUIDeclineAccess(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		coord, vmtB := e.signedIn("coord@example.org", vmt.RoleVMT)
		noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
		_, err := e.svc.CreateStakeholder(ctx, coord, vmt.StakeholderInput{Organisation: "Distro", Contacts: []string{"sec@distro.example"}})
		noErr(t, err)
		distro, stkB := e.signedIn("sec@distro.example", vmt.RoleStakeholder)
		_, strangerB := e.signedIn("who@else.example", vmt.RoleStakeholder)
		r, err := e.svc.CreateReport(ctx, coord, vmt.ReportInput{Project: "kata-containers", Title: "T", Description: "D"})
		noErr(t, err)
		e.noticeSent(r.ID)
		path := "/reports/" + itoa(r.ID)
		if p := stkB.post(path+"/access", url.Values{"note": {"we ship the agent"}}); p.status != 200 {
			t.Fatalf("asking: %d", p.status)
		}
		if p := stkB.get(path + "/access"); !strings.Contains(p.doc.Find("#access-state").Text(), "with the team") {
			t.Errorf("the pending request is not shown: %q", p.doc.Find("#access-state").Text())
		}
		v := vmtB.get(path)
		checkLabels(t, "report page", v)
		if v.doc.Find(`#access-requests + ul form[action="`+path+`/grants/decline"]`).Length() != 1 {
			t.Fatalf("no Decline form next to the request")
		}
		v = vmtB.post(path+"/grants/decline", url.Values{"user_id": {itoa(distro.ID())}, "reason": {"your product does not ship the agent"}})
		if v.status != 200 || v.doc.Find("#access-requests").Length() != 0 || v.doc.Find(".flash").Length() != 1 {
			t.Errorf("after the decline: %d, request still shown or no flash: %s", v.status, v.doc.Find(".error").Text())
		}
		if v := vmtB.post(path+"/grants/decline", url.Values{"user_id": {itoa(distro.ID())}}); v.status != 404 {
			t.Errorf("declining a request no longer pending: %d, want 404", v.status)
		}
		p := stkB.get(path + "/access")
		if st := p.doc.Find("#access-state").Text(); !strings.Contains(st, "declined") || !strings.Contains(st, "does not ship the agent") || !strings.Contains(st, "ask again after") {
			t.Errorf("the stakeholder's access page after the decline: %q", st)
		}
		p = stkB.post(path+"/access", url.Values{"note": {"please"}})
		if !strings.Contains(p.doc.Find(".error").Text(), "declined") {
			t.Errorf("asking again at once: %q", p.doc.Find(".error").Text())
		}
		if p := stkB.get(path); p.status != 404 {
			t.Errorf("the declined stakeholder reads the report: %d", p.status)
		}
		if p := strangerB.get(path + "/access"); p.status != 200 || p.doc.Find("#access-state").Length() != 0 {
			t.Errorf("a stranger's access page: %d, state shown %d", p.status, p.doc.Find("#access-state").Length())
		}
		evs, err := e.svc.AuditEvents(ctx, e.admin, 0, vmt.MaxPageSize)
		noErr(t, err)
		n := 0
		for _, ev := range evs {
			if ev.Action == "report.access_decline" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d declines audited, want 1", n)
		}
	})
}
