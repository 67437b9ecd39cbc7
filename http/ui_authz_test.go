package http_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// webCast signs every principal of the API's authorization matrix in to a
// browser of their own ("anon" stays signed out).
func webCast(t *testing.T, m *matrix) map[string]*browser {
	bs := map[string]*browser{"anon": m.browser()}
	for _, p := range principals[1:] {
		m.withPassword(m.actors[p])
		bs[p] = m.browser()
		bs[p].login(m.actors[p].User.Email)
	}
	return bs
}

// TestUIPrivateReportsHidden goes through the pages as every principal of
// the API's matrix: the private report's page answers as the API does (404
// for whoever may not see it, with nothing of the report in it), and no
// list, count or search result shows it to them.
func TestUIPrivateReportsHidden(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newMatrix(t, engine)
		bs := webCast(t, m)
		priv := m.report(false) // "Guest escape via virtio-fs", by own; revS, comS, stkS subscribed
		ctx := context.Background()
		pub, err := m.svc.CreateReport(ctx, m.actors["own"], vmt.ReportInput{Project: "kata-containers", Title: "Public virtio hardening", Description: "Public."})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.svc.MakePublic(ctx, m.admin, pub.ID, "test"); err != nil {
			t.Fatal(err)
		}
		want := strings.Fields(reportRoutes[0].private) // the API's GET /reports/{id} row
		var wantPreview []string                        // and its GET notice/preview row
		for _, rt := range reportRoutes {
			if rt.method == "GET" && rt.path == "/api/v1/reports/{id}/notice/preview" {
				wantPreview = strings.Fields(rt.private)
			}
		}
		for i, p := range principals {
			b := bs[p]
			page := b.get("/reports/" + itoa(priv))
			if strconv.Itoa(page.status) != want[i] {
				t.Errorf("%s: report page %d, want %s", p, page.status, want[i])
			}
			// The notice preview page shows the registry's addresses:
			// it answers as the API's preview does.
			if pv := b.get("/reports/" + itoa(priv) + "/notice/preview"); strconv.Itoa(pv.status) != wantPreview[i] ||
				want[i] != "200" && strings.Contains(pv.body, "Guest escape") {
				t.Errorf("%s: notice preview page %d, want %s", p, pv.status, wantPreview[i])
			}
			sees := want[i] == "200"
			if !sees && strings.Contains(page.body, "Guest escape") {
				t.Errorf("%s: the 404 page shows the private title", p)
			}
			if p == "anon" {
				continue // the dashboard is for signed-in users
			}
			for _, q := range []string{"/reports", "/reports?q=virtio", "/reports?q=guest+escape", "/reports?status=new&q=virtio", "/reports?embargoed=1", "/reports?reporter=" + itoa(m.actors["own"].ID())} {
				d := b.get(q)
				if d.status != http.StatusOK {
					t.Errorf("%s: %s: %d %s", p, q, d.status, d.doc.Find(".error").Text())
					continue
				}
				listed := d.doc.Find(`.report[data-id="`+itoa(priv)+`"]`).Length() == 1
				if listed != sees {
					t.Errorf("%s: %s lists the private report: %v, want %v", p, q, listed, sees)
				}
				if !sees && strings.Contains(d.body, "Guest escape") {
					t.Errorf("%s: %s shows the private title", p, q)
				}
				if strings.Contains(q, "virtio") && !strings.Contains(q, "status") && d.doc.Find(`.report[data-id="`+itoa(pub.ID)+`"]`).Length() != 1 {
					t.Errorf("%s: %s does not find the public report", p, q)
				}
			}
			// The count of New reports holds the public one (also New)
			// and the private one only for those who may see it.
			d := b.get("/reports")
			wantNew := "New 1"
			if sees {
				wantNew = "New 2"
			}
			if got := d.doc.Find(`.counts a.st-new`).Text(); got != wantNew {
				t.Errorf("%s: count %q, want %q", p, got, wantNew)
			}
		}
	})
}

// TestUIUnsafeRequestsRefused sends every form of the site (a) from
// another origin, with the administrator's session, (b) marked cross-site
// by the browser, and (c) without a session, and checks that each is
// refused and that nothing changed.
func TestUIUnsafeRequestsRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newMatrix(t, engine)
		priv, pub := m.report(false), m.report(true)
		m.withPassword(m.admin)
		admin := m.browser()
		admin.login(m.admin.User.Email)
		anon := m.browser()
		forms := []struct {
			path string
			form url.Values
			anon string // the answer without a session, same origin
		}{
			{"/reports/{id}/comment", url.Values{"body": {"forged"}}, "404 401"},
			{"/reports/{id}/terms", url.Values{"reporter_terms": {"forged"}}, "404 401"},
			{"/reports/{id}/transition", url.Values{"to": {"incomplete"}}, "404 401"},
			{"/reports/{id}/classify", url.Values{"class": {"E"}}, "404 401"},
			{"/reports/{id}/assign", url.Values{"coordinator_id": {itoa(m.actors["vmt"].ID())}}, "404 401"},
			{"/reports/{id}/subscribe", url.Values{"user_id": {itoa(m.actors["stk"].ID())}}, "404 401"},
			{"/reports/{id}/unsubscribe", url.Values{"user_id": {itoa(m.actors["revS"].ID())}}, "404 401"},
			{"/reports/{id}/incomplete-message", url.Values{}, "404 401"},
			{"/reports/{id}/impact", url.Values{"impact_description": {"forged"}}, "404 401"},
			{"/reports/{id}/impact/draft", url.Values{"replace": {"1"}}, "404 401"},
			{"/reports/{id}/impact/approve", url.Values{}, "404 401"},
			{"/reports/{id}/cve-request", url.Values{}, "404 401"},
			{"/reports/{id}/cves", url.Values{"cves": {"CVE-2026-1111"}}, "404 401"},
			{"/reports/{id}/publicize", url.Values{"reason": {"forged"}}, "404 401"},
			{"/reports/{id}/requested-date", url.Values{"requested_disclosure_at": {"2099-01-01"}}, "404 401"},
			{"/reports/{id}/notice", url.Values{"override_reason": {"forged"}}, "404 401"},
			{"/reports/{id}/grants", url.Values{"user_id": {itoa(m.actors["stk"].ID())}}, "404 401"},
			{"/reports/{id}/grants/revoke", url.Values{"user_id": {itoa(m.actors["stkS"].ID())}}, "404 401"},
			{"/reports/{id}/grants/decline", url.Values{"user_id": {itoa(m.actors["stk"].ID())}, "reason": {"forged"}}, "404 401"},
			{"/reports/{id}/raise", url.Values{"reason": {"forged"}}, "404 401"},
			{"/reports/{id}/access", url.Values{"note": {"forged"}}, "401 401"},
			{"/reports/{id}/fixes/waive", url.Values{"reason": {"forged"}}, "404 401"},
			{"/reports/{id}/fixes/999999/review", url.Values{"review": {"approved"}}, "404 404"},
			{"/reports/{id}/fixes/link", url.Values{"branch": {"main"}, "url": {"https://example.org/pr/9"}}, "404 401"},
			{"/reports/{id}/fixes/upload", url.Values{"branch": {"main"}, "series": {"forged"}}, "404 401"},
			{"/reports/{id}/advisory/draft", url.Values{}, "404 401"},
			{"/reports/{id}/advisory/999999/save", url.Values{"title": {"forged"}}, "404 404"},
			{"/reports/{id}/advisory/999999/embargo", url.Values{}, "404 404"},
			{"/reports/{id}/advisory/999999/publish", url.Values{}, "404 404"},
			{"/reports/{id}/advisory/999999/errata", url.Values{"change": {"forged"}}, "404 404"},
			{"/reports/{id}/advisory/999999/withdraw", url.Values{"reason": {"forged"}}, "404 404"},
			{"/reports/{id}/advisory/999999/cve-publish", url.Values{"cve": {"CVE-2026-1111"}}, "404 404"},
			{"/reports/{id}/cve/reserve", url.Values{}, "404 401"},
			// The administrators' forms (ui_admin_*.go): a 404 without a
			// session, as the pages are.
			{"/admin/outbox/999999/retry", url.Values{}, "404 404"},
			{"/admin/projects/kata-containers/templates/impact-description", url.Values{"text": {"forged"}}, "404 404"},
			{"/admin/projects/kata-containers/templates/impact-description/preview", url.Values{"text": {"forged"}}, "404 404"},
			{"/admin/projects/kata-containers/templates/impact-description/reset", url.Values{}, "404 404"},
			{"/logout/everywhere", url.Values{}, "401 401"},
			{"/account/two-factor/enable", url.Values{"code": {"123456"}}, "401 401"},
			{"/account/two-factor/disable", url.Values{"code": {"123456"}}, "401 401"},
			{"/account/openpgp-key", url.Values{"openpgp_key": {"forged"}}, "401 401"},
			{"/account/github-login", url.Values{"github_login": {"forged"}}, "401 401"},
			{"/login/code", url.Values{"code": {"123456"}}, ""},
			{"/logout", url.Values{}, ""},
			{"/login", url.Values{"email": {"admin@example.org"}, "password": {testPassword}}, ""},
			{"/report", url.Values{"email": {"forger@example.org"}, "password": {testPassword}, "title": {"forged"}, "description": {"forged"}}, ""},
		}
		for _, f := range forms {
			for i, id := range []int64{priv, pub} {
				path := strings.ReplaceAll(f.path, "{id}", itoa(id))
				if p := admin.postFrom("http://evil.example", path, f.form); p.status != http.StatusForbidden {
					t.Errorf("POST %s from another origin: %d, want 403", path, p.status)
				}
				req, _ := http.NewRequest("POST", admin.base+path, strings.NewReader(f.form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Sec-Fetch-Site", "cross-site")
				if p := admin.do(req); p.status != http.StatusForbidden {
					t.Errorf("POST %s marked cross-site: %d, want 403", path, p.status)
				}
				if f.anon != "" {
					want := strings.Fields(f.anon)[i]
					if p := anon.post(path, f.form); strconv.Itoa(p.status) != want {
						t.Errorf("POST %s without a session: %d, want %s", path, p.status, want)
					}
				}
			}
		}
		// Nothing was done: the reports are as made, the admin still
		// signed in, no account for the forger.
		for _, id := range []int64{priv, pub} {
			r, err := m.svc.Report(context.Background(), m.admin, id)
			if err != nil {
				t.Fatal(err)
			}
			if r.RequestedDisclosureAt != nil || r.NoticeSentAt != nil || r.EmbargoRaisedAt != nil {
				t.Errorf("report %d: a forged requested date or notice was recorded", id)
			}
			if r.Status != vmt.StatusNew || r.Class != "" || r.CoordinatorID != 0 || r.ReporterTerms != "" ||
				r.ImpactDescription != "" || r.CVERequestedAt != nil || len(r.CVEs) != 0 || (id == priv) != (r.Visibility == vmt.Private) {
				t.Errorf("report %d changed: %s %q %d %q", id, r.Status, r.Class, r.CoordinatorID, r.ReporterTerms)
			}
			cs, _ := m.svc.Comments(context.Background(), m.admin, id)
			subs, _ := m.svc.Subscriptions(context.Background(), m.admin, id)
			if len(cs) != 0 || len(subs) != 3 {
				t.Errorf("report %d: %d comments, %d subscriptions; want 0 and 3", id, len(cs), len(subs))
			}
			if ap, err := m.svc.PreApprovalOf(context.Background(), m.admin, id); err != nil || len(ap.Waivers) != 0 {
				t.Errorf("report %d: a forged waiver was recorded (%v)", id, err)
			}
			if fs, err := m.svc.Fixes(context.Background(), m.admin, id); err != nil || len(fs) != 0 {
				t.Errorf("report %d: a forged fix was recorded (%v)", id, err)
			}
			if ds, err := m.svc.ReportAdvisories(context.Background(), m.admin, id); err != nil || len(ds) != 0 {
				t.Errorf("report %d: a forged advisory was drafted (%v)", id, err)
			}
		}
		if p := admin.get("/reports"); p.url.Path != "/reports" {
			t.Errorf("a forged sign-out ended the session")
		}
		if v, err := m.svc.ProjectTemplate(context.Background(), m.admin, "kata-containers", "impact-description"); err != nil || v.Overridden {
			t.Errorf("a forged form set a template (%v)", err)
		}
		if _, err := m.svc.Login(context.Background(), "forger@example.org", testPassword); err == nil {
			t.Errorf("a forged report made an account")
		}
	})
}

// TestUIAdvisoryStepOnlyForTheVMT goes through the report page's advisory
// step as every principal, on a private report with a draft: only the
// project's VMT (and administrators) see the section or anything of the
// draft's text; every form of the step, posted by anyone else, is refused
// (404 to whoever may not see the report, "Not done" to the others) and
// changes nothing; the VMT's own save goes through.
func TestUIAdvisoryStepOnlyForTheVMT(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newMatrix(t, engine)
		bs := webCast(t, m)
		const mark = "DRAFTMARK41"
		d := m.advisoryIn("draft", mark, false)
		path := "/reports/" + itoa(d.ReportID)
		doc := path + "/advisory/" + itoa(d.RecordID)
		forms := []struct {
			path string
			form url.Values
		}{
			{path + "/advisory/draft", url.Values{}},
			{doc + "/save", url.Values{"title": {"forged"}, "description": {"forged"}}},
			{doc + "/embargo", url.Values{}},
			{doc + "/publish", url.Values{}},
			{doc + "/errata", url.Values{"title": {"forged"}, "description": {"forged"}, "change": {"forged"}}},
			{doc + "/withdraw", url.Values{"reason": {"forged"}}},
			{doc + "/cve-publish", url.Values{"cve": {"CVE-2026-1111"}}},
			{path + "/cve/reserve", url.Values{}},
			{path + "/cve/form", url.Values{"other_type": {"forged"}}},
		}
		want := strings.Fields(reportRoutes[0].private)
		for i, p := range principals {
			b := bs[p]
			vmtOf := p == "admin" || p == "vmt"
			page := b.get(path)
			if got := page.doc.Find("#advisory").Length() == 1; got != vmtOf {
				t.Errorf("%s: advisory section shown: %v, want %v", p, got, vmtOf)
			}
			if strings.Contains(page.body, mark) != vmtOf {
				t.Errorf("%s: the draft's text on the page: %v, want %v", p, !vmtOf, vmtOf)
			}
			if vmtOf {
				checkLabels(t, p+": report page with a draft", page)
				continue
			}
			for _, f := range forms {
				r := b.post(f.path, f.form)
				switch {
				case want[i] != "200" && r.status != http.StatusNotFound && !(p == "anon" && r.status == http.StatusUnauthorized):
					t.Errorf("%s: POST %s: %d, want 404 (the report is hidden)", p, f.path, r.status)
				case want[i] == "200" && r.status != http.StatusNotFound && r.status != http.StatusOK:
					t.Errorf("%s: POST %s: %d", p, f.path, r.status)
				case want[i] == "200" && r.status == http.StatusOK && !strings.HasSuffix(f.path, "/cve/form") && r.doc.Find(".error").Length() == 0:
					t.Errorf("%s: POST %s was not refused", p, f.path)
				}
				if strings.Contains(r.body, mark) || r.doc.Find("#advisory").Length() != 0 {
					t.Errorf("%s: POST %s shows the draft or the step", p, f.path)
				}
			}
		}
		ds, err := m.svc.ReportAdvisories(context.Background(), m.admin, d.ReportID)
		if err != nil || len(ds) != 1 || ds[0].State != vmt.AdvisoryDraft || !strings.Contains(ds[0].Title, mark) {
			t.Fatalf("the draft changed: %v %+v", err, ds)
		}
		form := url.Values{"title": {"Saved by the VMT"}, "description": {"Text."}, "affected": {"runtime: <3.2.1"}}
		if r := bs["vmt"].post(doc+"/save", form); r.doc.Find("#adv-title").AttrOr("value", "") != "Saved by the VMT" {
			t.Errorf("the VMT's save: %d %q", r.status, r.doc.Find(".error").Text())
		}
	})
}
