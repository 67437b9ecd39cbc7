package http_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// The walk of issue 10, leak 3: the VMT of project B (vmtX) tries to make
// itself a stakeholder of project A through the registry: an entry of its
// own in A's registry, its address added to A's entry, an application
// naming A accepted. Each is refused (403, or 404 for what it may not
// see), nothing of A's registry is shown to it, and so the access-request
// routes answer A's private report exactly as a report that does not
// exist, and A's VMT cannot grant it by routine.
func TestRegistryOfAnotherProject(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newRegistryMatrix(t, engine)
		ctx := context.Background()
		kA, err := m.svc.CreateStakeholder(ctx, m.actors["vmt"], vmt.StakeholderInput{Organisation: "Distro A",
			Contacts: []string{"stk@example.org"}, Projects: []string{"kata-containers"}})
		noErr(t, err)
		kB, err := m.svc.CreateStakeholder(ctx, m.actors["vmtX"], vmt.StakeholderInput{Organisation: "Cloud B",
			Contacts: []string{"stkO@example.org"}, Projects: []string{"other"}})
		noErr(t, err)
		qA, err := m.svc.RequestStakeholder(ctx, m.actors["vmtX"], vmt.StakeholderInput{Organisation: "B's own",
			Contacts: []string{"vmtX@example.org"}, Projects: []string{"kata-containers"}, Rationale: "trust me"})
		noErr(t, err)
		r, err := m.svc.CreateReport(ctx, m.actors["rep"], vmt.ReportInput{Project: "kata-containers", Title: "Guest escape via virtio-fs", Description: "D"})
		noErr(t, err)
		m.noticeSent(r.ID)
		x := m.tokens["vmtX"]

		attempts := []struct{ method, path, body string }{
			{"POST", "/api/v1/stakeholders", `{"organisation":"B in A","contacts":["vmtX@example.org"],"projects":["kata-containers"]}`},
			{"POST", "/api/v1/stakeholders", `{"organisation":"B everywhere","contacts":["vmtX@example.org"]}`},
			{"PUT", "/api/v1/stakeholders/" + itoa(kA.ID), `{"organisation":"Distro A","contacts":["stk@example.org","vmtX@example.org"],"projects":["kata-containers"]}`},
			{"PUT", "/api/v1/stakeholders/" + itoa(kB.ID), `{"organisation":"Cloud B","contacts":["vmtX@example.org"],"projects":["other","kata-containers"]}`},
			{"POST", "/api/v1/stakeholder-requests/" + itoa(qA.ID) + "/accept", `{}`},
		}
		for _, at := range attempts {
			if code, body := m.do(at.method, at.path, x, at.body); code != 403 && code != 404 {
				t.Errorf("B's VMT: %s %s: %d %s, want 403 or 404", at.method, at.path, code, body)
			}
		}
		// Its own entry stays its own to keep.
		if code, body := m.do("PUT", "/api/v1/stakeholders/"+itoa(kB.ID), x, `{"organisation":"Cloud B","contacts":["stkO@example.org","vmtX@example.org"],"projects":["other"]}`); code != 200 {
			t.Errorf("B's VMT changing B's entry: %d %s", code, body)
		}
		// Nothing of A's registry reaches it.
		for _, path := range []string{"/api/v1/stakeholders", "/api/v1/stakeholders/" + itoa(kA.ID), "/api/v1/stakeholder-requests"} {
			_, body := m.do("GET", path, x, "")
			if strings.Contains(body, "Distro A") || strings.Contains(body, "stk@example.org") {
				t.Errorf("B's VMT reads A's registry at %s: %s", path, body)
			}
		}
		var list struct {
			Items []vmt.Stakeholder `json:"items"`
		}
		_, body := m.do("GET", "/api/v1/stakeholders", m.tokens["vmt"], "")
		noErr(t, json.Unmarshal([]byte(body), &list))
		if len(list.Items) != 1 || list.Items[0].ID != kA.ID || len(list.Items[0].Contacts) != 1 {
			t.Errorf("A's registry after B's attempts: %s, want Distro A with its one contact", body)
		}
		// The access-request routes: A's private report answers as a
		// missing one, to the letter.
		for _, rt := range []struct{ method, path, body string }{
			{"POST", "/api/v1/reports/{id}/access-requests", `{"note":"we ship it"}`},
			{"GET", "/api/v1/reports/{id}/access-requests/mine", ""},
		} {
			gotCode, got := m.do(rt.method, strings.ReplaceAll(rt.path, "{id}", itoa(r.ID)), x, rt.body)
			missCode, miss := m.do(rt.method, strings.ReplaceAll(rt.path, "{id}", "999999"), x, rt.body)
			if gotCode != 404 || gotCode != missCode || got != miss {
				t.Errorf("%s %s as B's VMT: %d %s; a missing report: %d %s", rt.method, rt.path, gotCode, got, missCode, miss)
			}
		}
		// A routine grant does not open it.
		if code, body := m.do("POST", "/api/v1/reports/"+itoa(r.ID)+"/grants", m.tokens["vmt"], `{"user_id":`+itoa(m.actors["vmtX"].ID())+`}`); code != 400 {
			t.Errorf("A's VMT granting B's VMT: %d %s, want 400", code, body)
		}
		if code, _ := m.do("GET", "/api/v1/reports/"+itoa(r.ID), x, ""); code != 404 {
			t.Errorf("B's VMT reads A's report: %d", code)
		}
	})
}

// signIn gives principal p a password and a browser signed in as it.
func (m *registryMatrix) signIn(p string) *browser {
	m.t.Helper()
	m.withPassword(m.actors[p])
	b := m.browser()
	b.login(m.actors[p].User.Email)
	return b
}
