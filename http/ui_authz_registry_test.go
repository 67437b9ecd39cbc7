package http_test

import (
	"context"
	"net/http"
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

// TestUIAdminSetupPagesOnlyForAdmins walks every administration route of the
// table (read from the source, so a page added tomorrow is walked too) as
// every principal of the matrix: to anyone signed in but an administrator
// each page and form is the page of a missing one (404) with nothing of
// the registry, the users or the settings in it; a visitor is sent to
// sign in (GET) or told to (POST, 401); every form is posted with values
// that would change something (a principal making itself administrator,
// a stakeholder renamed, the branches, a notice list, a member added),
// and nothing changes. The administrator gets every page, each field
// labelled, and each form posted from another site with the
// administrator's session is refused (403) and changes nothing either.
func TestUIAdminSetupPagesOnlyForAdmins(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newMatrix(t, engine)
		ctx := context.Background()
		bs := webCast(t, m)
		k, err := m.svc.CreateStakeholder(ctx, m.admin, vmt.StakeholderInput{Organisation: "Distro SECRETORG", Contacts: []string{"stk@example.org"}})
		noErr(t, err)
		req, err := m.svc.RequestStakeholder(ctx, m.actors["rep"], vmt.StakeholderInput{Organisation: "Applicant APPLYORG", Contacts: []string{"rep@example.org"}, Rationale: "We ship it."})
		noErr(t, err)
		membersBefore, err := m.svc.Members(ctx, m.admin, m.proj.ID)
		noErr(t, err)
		var routes []string
		for _, p := range routePatterns(t) {
			// The projects' template pages (fix/adminops) are walked by
			// their own tests.
			if _, path, _ := strings.Cut(p, " "); (strings.HasPrefix(path, "/admin/users") || strings.HasPrefix(path, "/admin/projects") ||
				strings.HasPrefix(path, "/admin/stakeholders")) && !strings.Contains(path, "/templates") {
				routes = append(routes, p)
			}
		}
		if len(routes) < 20 {
			t.Fatalf("only %d administration routes read: %v", len(routes), routes)
		}
		// The form of each route: what would change something if let through.
		forms := func(p string) url.Values {
			return url.Values{"role": {"admin"}, "disabled": {"1"}, "email": {p + "@example.org"}, "name": {"forged"},
				"organisation": {"FORGED"}, "contacts": {p + "@example.org"}, "branches": {"forged"}, "advisory_prefix": {"FORGED"},
				"note_prefix": {"FORGEDN"}, "list_name": {"forged"}, "address": {"forged@example.org"}, "rules": {"private"},
				"signing": {"sign"}, "embargo_limit_days": {"3"}, "max_embargo_days": {"9"}, "policy_text": {"forged"},
				"escalate_after_days": {"1"}, "escalation_contacts": {"forged@example.org"}, "short_name": {"FORGED"}, "note": {"forged"},
				"window": {"1-2"}, "hour": {"3"}, "webhook_url": {"https://evil.example/hook"}, "advisory_numbering": {"publication"},
				"addr": {"evil.example:993"}, "security": {"tls"}, "enabled": {"1"}}
		}
		checked := 0
		for _, p := range principals {
			b := bs[p]
			fill := strings.NewReplacer("{name}", "kata-containers", "{user}", itoa(m.actors["vmt"].ID()))
			for _, rt := range routes {
				method, path, _ := strings.Cut(rt, " ")
				switch {
				case strings.Contains(path, "/requests/{id}"):
					path = strings.Replace(path, "{id}", itoa(req.ID), 1)
				case strings.HasPrefix(path, "/admin/stakeholders/{id}"):
					path = strings.Replace(path, "{id}", itoa(k.ID), 1)
				case strings.HasPrefix(path, "/admin/users/{id}"):
					id := m.admin.ID()
					if p != "anon" {
						id = m.actors[p].ID() // its own account: made administrator?
					}
					path = strings.Replace(path, "{id}", itoa(id), 1)
				}
				path = fill.Replace(path)
				if p == "admin" {
					if method == "GET" {
						pg := b.get(path)
						if pg.status != http.StatusOK || pg.doc.Find("h1").Length() != 1 {
							t.Errorf("admin: GET %s: %d", path, pg.status)
						}
						checkLabels(t, "admin: "+path, pg)
					} else if pg := b.postFrom("http://evil.example", path, forms(p)); pg.status != http.StatusForbidden {
						// The administrator's session, from another site.
						t.Errorf("admin: POST %s from another origin: %d, want 403", path, pg.status)
					}
					continue
				}
				checked++
				var pg *page
				if method == "GET" {
					pg = b.get(path)
				} else {
					pg = b.post(path, forms(p))
				}
				switch {
				case p == "anon" && method == "GET":
					if pg.url.Path != "/login" {
						t.Errorf("anon: GET %s ends at %d %s, want the sign-in page", path, pg.status, pg.url)
					}
				case p == "anon":
					if pg.status != http.StatusUnauthorized {
						t.Errorf("anon: POST %s: %d, want 401", path, pg.status)
					}
				case pg.status != http.StatusNotFound:
					t.Errorf("%s: %s %s: %d, want 404", p, method, path, pg.status)
				}
				for _, secret := range []string{"SECRETORG", "APPLYORG", "admin@example.org", "stkS@example.org"} {
					if strings.Contains(pg.body, secret) && !(secret == "stkS@example.org" && p == "stkS") {
						t.Errorf("%s: %s %s shows %s", p, method, path, secret)
					}
				}
			}
		}
		if checked < 11*20 {
			t.Errorf("only %d refusals checked", checked)
		}
		// Nothing changed.
		us, err := m.svc.Users(ctx, m.admin)
		noErr(t, err)
		for _, u := range us {
			if (u.Role == vmt.RoleAdmin) != (u.ID == m.admin.ID()) || u.Disabled || u.Email == "anon@example.org" {
				t.Errorf("user %s: role %s, disabled %v", u.Email, u.Role, u.Disabled)
			}
		}
		ks, err := m.svc.Stakeholders(ctx, m.admin)
		noErr(t, err)
		if len(ks) != 1 || ks[0].Organisation != "Distro SECRETORG" {
			t.Errorf("the registry changed: %+v", ks)
		}
		if r, err := m.svc.StakeholderRequest(ctx, m.admin, req.ID); err != nil || r.State != vmt.RequestPending {
			t.Errorf("the application was decided: %v %+v", err, r)
		}
		p, err := m.svc.Project(ctx, m.admin, "kata-containers")
		noErr(t, err)
		if strings.Join(p.Branches, ",") != "main,stable-3.2" || p.AdvisoryPrefix != "KCSA" {
			t.Errorf("the project changed: %+v", p)
		}
		d, err := m.svc.DisclosureSettingsOf(ctx, m.admin, "kata-containers")
		noErr(t, err)
		if len(d.Lists) != 0 || d.PolicyText != "" || d.EmbargoLimitDays != vmt.DefaultEmbargoLimitDays || len(d.Policy) != 0 {
			t.Errorf("the disclosure settings changed: %+v", d)
		}
		if pub, err := m.svc.PublicationSettingsOf(ctx, m.admin, "kata-containers"); err != nil || pub.WebhookURL != "" || len(pub.Lists) != 0 || pub.AdvisoryNumbering == vmt.NumberAtPublication {
			t.Errorf("the publication settings changed: %v %+v", err, pub)
		}
		if c, err := m.svc.IntakeSettingsOf(ctx, m.admin, "kata-containers"); err != nil || c.Addr != "" || c.Enabled {
			t.Errorf("the intake settings changed: %v %+v", err, c)
		}
		if c, err := m.svc.CNASettingsOf(ctx, m.admin, "kata-containers"); err != nil || c.ShortName != "" {
			t.Errorf("the CNA settings changed: %v %+v", err, c)
		}
		ms, err := m.svc.Members(ctx, m.admin, p.ID)
		noErr(t, err)
		if len(ms) != len(membersBefore) {
			t.Errorf("the members changed: %+v", ms)
		}
		if ps, _ := m.svc.Projects(ctx, m.admin); len(ps) != 2 {
			t.Errorf("a project was made: %d projects", len(ps))
		}
	})
}
