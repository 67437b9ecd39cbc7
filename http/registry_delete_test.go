package http_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// An organisation taken out of the registry keeps nothing it had as a
// stakeholder (issue 10): taking a contact out of an entry ends that
// account's grant; deleting the entry ends the grants of its accounts and
// closes their pending access requests, each audited, while the grants
// through other organisations and ordinary subscriptions stay. Seen
// through the API and the report's page.
func TestRegistryDeleteEndsGrants(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newRegistryMatrix(t, engine)
		ctx := context.Background()
		stk2, stk2Tok := m.user("stk2@example.org", vmt.RoleStakeholder)
		kA, err := m.svc.CreateStakeholder(ctx, m.actors["vmt"], vmt.StakeholderInput{Organisation: "Distro A",
			Contacts: []string{"stk@example.org", "stk2@example.org"}, Projects: []string{"kata-containers"}})
		noErr(t, err)
		_, err = m.svc.CreateStakeholder(ctx, m.actors["vmt"], vmt.StakeholderInput{Organisation: "Cloud O",
			Contacts: []string{"stkO@example.org"}, Projects: []string{"kata-containers"}})
		noErr(t, err)
		r, err := m.svc.CreateReport(ctx, m.actors["own"], vmt.ReportInput{Project: "kata-containers", Title: "Guest escape via virtio-fs", Description: "D"})
		noErr(t, err)
		m.noticeSent(r.ID)
		path := "/api/v1/reports/" + itoa(r.ID)
		coord := m.tokens["vmt"]
		for _, p := range []string{"stk", "stkO"} {
			if code, body := m.do("POST", path+"/grants", coord, `{"user_id":`+itoa(m.actors[p].ID())+`}`); code != 201 {
				t.Fatalf("grant %s: %d %s", p, code, body)
			}
		}
		if code, body := m.do("POST", path+"/subscriptions", coord, `{"user_id":`+itoa(m.actors["rev"].ID())+`}`); code != 201 {
			t.Fatalf("subscribe rev: %d %s", code, body)
		}
		if code, body := m.do("POST", path+"/access-requests", stk2Tok, `{"note":"we ship it"}`); code != 201 {
			t.Fatalf("stk2 asks: %d %s", code, body)
		}
		reads := func(when string, want map[string]int) {
			t.Helper()
			for p, code := range want {
				tok := m.tokens[p]
				if p == "stk2" {
					tok = stk2Tok
				}
				if got, _ := m.do("GET", path, tok, ""); got != code {
					t.Errorf("%s: %s reads the report: %d, want %d", when, p, got, code)
				}
			}
		}
		reads("before", map[string]int{"stk": 200, "stkO": 200, "rev": 200, "stk2": 404})

		// A contact taken out: its grant ends, the other contact's request stays.
		if code, body := m.do("PUT", "/api/v1/stakeholders/"+itoa(kA.ID), coord,
			`{"organisation":"Distro A","contacts":["stk2@example.org"],"projects":["kata-containers"]}`); code != 200 {
			t.Fatalf("taking stk out: %d %s", code, body)
		}
		reads("after the update", map[string]int{"stk": 404, "stkO": 200, "rev": 200})
		if reqs := m.pendingRequests(path, coord); len(reqs) != 1 || reqs[0] != stk2.ID() {
			t.Errorf("pending requests after the update: %v, want stk2's", reqs)
		}

		// The entry deleted: the request is closed, audited with the grant's end.
		if code, body := m.do("DELETE", "/api/v1/stakeholders/"+itoa(kA.ID), coord, ""); code != 204 {
			t.Fatalf("delete: %d %s", code, body)
		}
		reads("after the delete", map[string]int{"stk": 404, "stkO": 200, "rev": 200, "stk2": 404})
		if reqs := m.pendingRequests(path, coord); len(reqs) != 0 {
			t.Errorf("pending requests after the delete: %v, want none", reqs)
		}
		_, body := m.do("GET", path+"/audit", coord, "")
		var evs struct {
			Items []vmt.AuditEvent `json:"items"`
		}
		noErr(t, json.Unmarshal([]byte(body), &evs))
		var revoked, closed []int64
		for _, e := range evs.Items {
			var x struct {
				UserID        int64 `json:"user_id"`
				StakeholderID int64 `json:"stakeholder_id"`
			}
			switch e.Action {
			case "report.grant_revoke":
				_ = json.Unmarshal(e.Before, &x)
				if x.StakeholderID == kA.ID && strings.Contains(string(e.After), "no longer") {
					revoked = append(revoked, x.UserID)
				}
			case "report.access_decline":
				_ = json.Unmarshal(e.After, &x)
				if strings.Contains(string(e.After), "removed from the registry") {
					closed = append(closed, x.UserID)
				}
			}
		}
		if len(revoked) != 1 || revoked[0] != m.actors["stk"].ID() || len(closed) != 1 || closed[0] != stk2.ID() {
			t.Errorf("audit: revoked %v (want stk's grant), closed %v (want stk2's request)\n%s", revoked, closed, body)
		}

		// The report's page, as its VMT: stkO's grant listed, stk's not,
		// no request waiting.
		b := m.signIn("vmt")
		p := b.get("/reports/" + itoa(r.ID))
		grants := strings.ToLower(p.doc.Find("#grant-list").Text()) // addresses are stored lower-case
		if !strings.Contains(grants, "stko@example.org") || strings.Contains(grants, "stk@example.org") || p.doc.Find("#access-requests").Length() != 0 {
			t.Errorf("the report page after the delete: grants %q, requests shown %d", grants, p.doc.Find("#access-requests").Length())
		}
		// Registered again, the organisation is a new entry, which the
		// notice did not address: told is the notice's recorded
		// recipients, so the report does not exist for the account.
		_, err = m.svc.CreateStakeholder(ctx, m.actors["vmt"], vmt.StakeholderInput{Organisation: "Distro A again",
			Contacts: []string{"stk2@example.org"}, Projects: []string{"kata-containers"}})
		noErr(t, err)
		sb := m.browser()
		m.withPassword(stk2)
		sb.login("stk2@example.org")
		if p := sb.post("/reports/"+itoa(r.ID)+"/access", url.Values{"note": {"back again"}}); p.status != 404 {
			t.Errorf("asking again once registered again, untold: %d, want 404", p.status)
		}
	})
}

// pendingRequests returns the accounts with an access request pending on
// the report at path, as its VMT reads them.
func (m *registryMatrix) pendingRequests(path, tok string) []int64 {
	m.t.Helper()
	code, body := m.do("GET", path+"/access-requests", tok, "")
	if code != 200 {
		m.t.Fatalf("access requests: %d %s", code, body)
	}
	var l struct {
		Items []vmt.AccessRequest `json:"items"`
	}
	noErr(m.t.(*testing.T), json.Unmarshal([]byte(body), &l))
	out := []int64{}
	for _, q := range l.Items {
		out = append(out, q.UserID)
	}
	return out
}
