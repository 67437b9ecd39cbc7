package http_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// TestOverdueFilter lists the reports raised for going public through the
// API's overdue parameter and the dashboard's Overdue box: the raised
// report for its VMT, nothing for another reporter; a bad value is refused
// on its field.
func TestOverdueFilter(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		rep, _ := e.user("rep@example.org", vmt.RoleReporter)
		_, otherTok := e.user("other@example.org", vmt.RoleReporter)
		co, coTok := e.user("co@example.org", vmt.RoleVMT)
		e.withPassword(co)
		if err := e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: co.User.ID, Role: vmt.MemberVMT}); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, title := range []string{"Raised wombat escape", "Quiet wombat escape"} {
			r, err := e.svc.CreateReport(ctx, rep, vmt.ReportInput{Title: title, Description: "The agent trusts the length.", Components: []string{"kata-agent"}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		if _, err := e.svc.RaiseEmbargo(ctx, co, ids[0], "the fix needs a redesign"); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			who, token string
			want       []int64
		}{
			{"vmt member", coTok, []int64{ids[0]}},
			{"other reporter", otherTok, []int64{}},
		} {
			status, body := e.do("GET", "/api/v1/reports?overdue=true", tc.token, "")
			if status != 200 {
				t.Fatalf("%s: status %d: %.300s", tc.who, status, body)
			}
			var l struct {
				Items []struct{ ID int64 } `json:"items"`
				Total int                  `json:"total"`
			}
			if err := json.Unmarshal([]byte(body), &l); err != nil {
				t.Fatal(err)
			}
			got := []int64{}
			for _, it := range l.Items {
				got = append(got, it.ID)
			}
			if !equalIDs(got, tc.want) || l.Total != len(tc.want) {
				t.Errorf("%s: overdue lists %v (total %d), want %v", tc.who, got, l.Total, tc.want)
			}
		}
		status, body := e.do("GET", "/api/v1/reports?overdue=soon", coTok, "")
		if status != 400 || !strings.Contains(body, `"field":"overdue"`) {
			t.Errorf("overdue=soon: %d %s, want 400 on field overdue", status, body)
		}

		b := e.browser()
		b.login("co@example.org")
		p := b.get("/reports?overdue=1")
		if p.status != 200 {
			t.Fatalf("dashboard: %d", p.status)
		}
		list := p.doc.Find("main").Text()
		if !strings.Contains(list, "Raised wombat escape") || strings.Contains(list, "Quiet wombat escape") {
			t.Errorf("dashboard with Overdue lists the wrong reports:\n%s", list)
		}
	})
}
