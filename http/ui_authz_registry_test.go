package http_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// The pages that read the registry (the registry itself has none: it is
// kept through the API), for principals of the registry's matrix, on A's
// private report once its notice went out, after B's VMT tried through the
// API to put its address in A's entry and in a new entry serving every
// project: the access page is the same for every id; asking answers as for
// a missing report to whoever is no stakeholder of A (B's VMT, B's
// stakeholder, a reporter), the report page stays 404 to them, and the
// grant form on it refuses B's VMT and B's stakeholder. Statuses by hand.
func TestUIRegistryOfAnotherProject(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newRegistryMatrix(t, engine)
		ctx := context.Background()
		kA, err := m.svc.CreateStakeholder(ctx, m.actors["vmt"], vmt.StakeholderInput{Organisation: "Distro A",
			Contacts: []string{"stk@example.org"}, Projects: []string{"kata-containers"}})
		noErr(t, err)
		for _, at := range []struct{ method, path, body string }{
			{"PUT", "/api/v1/stakeholders/" + itoa(kA.ID), `{"organisation":"Distro A","contacts":["stk@example.org","vmtX@example.org"],"projects":["kata-containers"]}`},
			{"POST", "/api/v1/stakeholders", `{"organisation":"B everywhere","contacts":["vmtX@example.org"]}`},
		} {
			if code, body := m.do(at.method, at.path, m.tokens["vmtX"], at.body); code != 403 && code != 404 {
				t.Errorf("B's VMT: %s %s: %d %s, want 403 or 404", at.method, at.path, code, body)
			}
		}
		_, err = m.svc.CreateStakeholder(ctx, m.actors["vmtX"], vmt.StakeholderInput{Organisation: "Cloud B",
			Contacts: []string{"stkO@example.org", "vmtX@example.org"}, Projects: []string{"other"}})
		noErr(t, err)
		r, err := m.svc.CreateReport(ctx, m.actors["own"], vmt.ReportInput{Project: "kata-containers", Title: "Guest escape via virtio-fs", Description: "D"})
		noErr(t, err)
		m.noticeSent(r.ID)
		vmtB := m.signIn("vmtX")
		stkB := m.signIn("stkO")
		repB := m.signIn("rep")
		coord := m.signIn("vmt")
		path := "/reports/" + itoa(r.ID)
		for name, b := range map[string]*browser{"vmtX": vmtB, "stkO": stkB, "rep": repB} {
			if p := b.get(path + "/access"); p.status != 200 || strings.Contains(p.body, "virtio") {
				t.Errorf("%s: the access page: %d", name, p.status)
			}
			got := b.post(path+"/access", url.Values{"note": {"we ship it"}})
			miss := b.post("/reports/999999/access", url.Values{"note": {"we ship it"}})
			if got.status != 404 || miss.status != 404 || strings.Contains(got.body, "virtio") || got.doc.Find("main").Length() != 1 ||
				got.doc.Find("main").Text() != miss.doc.Find("main").Text() {
				t.Errorf("%s: asking for A's report: %d; for a missing one: %d", name, got.status, miss.status)
			}
			if p := b.get(path); p.status != 404 {
				t.Errorf("%s: A's report page: %d, want 404", name, p.status)
			}
		}
		for _, uid := range []int64{m.actors["vmtX"].ID(), m.actors["stkO"].ID()} {
			p := coord.post(path+"/grants", url.Values{"user_id": {itoa(uid)}})
			if p.doc.Find(".error").Length() == 0 {
				t.Errorf("A's VMT granted user %d of B: %d", uid, p.status)
			}
		}
		if p := vmtB.get(path); p.status != 404 {
			t.Errorf("B's VMT reads A's report after the grant attempts: %d", p.status)
		}
	})
}
