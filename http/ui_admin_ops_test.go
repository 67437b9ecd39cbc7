package http_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/vmtproject/vmt"
)

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// adminPages are the administrators' pages and forms (ui_admin_*.go).
// {item} is a failed outbox item.
var adminPages = []struct {
	method, path string
	form         url.Values
	admin        int // the administrator's answer; everyone else's is 404
}{
	{"GET", "/admin/outbox", nil, 200},
	{"GET", "/admin/outbox?state=failed", nil, 200},
	{"POST", "/admin/outbox/{item}/retry", url.Values{}, 303},
	{"GET", "/admin/audit", nil, 200},
	{"GET", "/admin/audit?action=user.invite&since=2020-01-01", nil, 200},
	{"GET", "/admin/projects/kata-containers/templates", nil, 200},
	{"GET", "/admin/projects/kata-containers/templates/impact-description", nil, 200},
	{"POST", "/admin/projects/kata-containers/templates/impact-description/preview", url.Values{"text": {"FORGED {{.Title}}"}}, 200},
	{"POST", "/admin/projects/kata-containers/templates/impact-description", url.Values{"text": {"FORGED {{.Title}}"}}, 303},
	{"POST", "/admin/projects/kata-containers/templates/impact-description/reset", url.Values{}, 303},
}

// failedInvite invites someone and has the worker fail to deliver the
// invitation for good, returning the outbox item.
func failedInvite(t *testing.T, e *env, email string) *vmt.OutboxItem {
	t.Helper()
	ctx := context.Background()
	if _, _, err := e.svc.InviteUser(ctx, e.admin, vmt.UserInput{Email: email, Role: vmt.RoleVMT}); err != nil {
		t.Fatal(err)
	}
	items, err := e.svc.ClaimDeliveries(ctx, 10, time.Minute)
	if err != nil || len(items) == 0 {
		t.Fatalf("claim: %d items, %v", len(items), err)
	}
	o := items[len(items)-1]
	if err := e.svc.DeliveryFailed(ctx, o, errors.New("550 5.1.1 "+email+": mailbox unavailable"), false, time.Now()); err != nil {
		t.Fatal(err)
	}
	return o
}

// TestUIAdminPagesOnlyForAdmins sends every administrators' page and form
// as every principal of the matrix: the administrator gets them, everyone
// else (signed out, the project's VMT included) the 404 of a missing
// page with nothing of the outbox, the log or the texts in it; and the
// forms of the others changed nothing.
func TestUIAdminPagesOnlyForAdmins(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newMatrix(t, engine)
		bs := webCast(t, m)
		o := failedInvite(t, m.env, "lost@example.org")
		miss := bs["rep"].get("/no-such-page")
		for _, p := range principals {
			if p == "admin" {
				continue
			}
			for _, pg := range adminPages {
				path := strings.ReplaceAll(pg.path, "{item}", itoa(o.ID))
				var got *page
				if pg.method == "GET" {
					got = bs[p].get(path)
				} else {
					got = bs[p].post(path, pg.form)
				}
				if got.status != http.StatusNotFound || strings.Contains(got.body, "lost@example.org") ||
					strings.Contains(got.body, "{{") || got.doc.Find("main").Text() != miss.doc.Find("main").Text() {
					t.Errorf("%s: %s %s: %d, want the 404 of a missing page", p, pg.method, path, got.status)
				}
			}
		}
		ctx := context.Background()
		if v, err := m.svc.ProjectTemplate(ctx, m.admin, "kata-containers", "impact-description"); err != nil || v.Overridden {
			t.Errorf("another's form set the template: %v", err)
		}
		if es, err := m.svc.OutboxQueue(ctx, m.admin, vmt.OutboxFailed, 0, 0); err != nil || len(es) != 1 {
			t.Errorf("another's form retried the item: %d failed, %v", len(es), err)
		}
		// The administrator, with 303s that do not follow to a 404.
		admin := bs["admin"]
		admin.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		for _, pg := range adminPages {
			path := strings.ReplaceAll(pg.path, "{item}", itoa(o.ID))
			var got *page
			if pg.method == "GET" {
				got = admin.get(path)
			} else {
				got = admin.post(path, pg.form)
			}
			if got.status != pg.admin {
				t.Errorf("admin: %s %s: %d, want %d; %s", pg.method, path, got.status, pg.admin, got.doc.Find(".error").Text())
			}
		}
	})
}

// TestUIAdminOutbox: the outbox page shows each item's state, attempts,
// recipients, subject and last error, never a mail's text (an
// invitation's secret link); the state filter keeps the failed one; its
// retry button makes it pending, and a second retry is refused in words.
func TestUIAdminOutbox(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		o := failedInvite(t, e, "carol@example.org")
		if _, _, err := e.svc.InviteUser(context.Background(), e.admin, vmt.UserInput{Email: "dan@example.org", Role: vmt.RoleReviewer}); err != nil {
			t.Fatal(err)
		}
		e.withPassword(e.admin)
		b := e.browser()
		b.login(e.admin.User.Email)
		p := b.get("/admin/outbox")
		if p.status != 200 || p.doc.Find(".outbox-item").Length() != 2 {
			t.Fatalf("outbox page: %d, %d items\n%s", p.status, p.doc.Find(".outbox-item").Length(), p.doc.Find("main").Text())
		}
		row := p.doc.Find(`.outbox-item[data-id="` + itoa(o.ID) + `"]`)
		text := strings.Join(strings.Fields(row.Text()), " ")
		for _, want := range []string{"invitation", "failed", "carol@example.org", "550 5.1.1 carol@example.org: mailbox unavailable", "not until retried"} {
			if !strings.Contains(text, want) {
				t.Errorf("the failed item's row lacks %q: %s", want, text)
			}
		}
		if row.Find("td").Eq(4).Text() != "1" || row.Find(`form[action="/admin/outbox/`+itoa(o.ID)+`/retry"] button`).Length() != 1 {
			t.Errorf("attempts or retry button: %s", text)
		}
		if strings.Contains(p.body, vmt.AccountLinkPath) || strings.Contains(p.body, "token=") {
			t.Errorf("the outbox page shows a mail's text")
		}
		if n := p.doc.Find(`.outbox-item[data-state="pending"] form`).Length(); n != 0 {
			t.Errorf("a pending item has a retry button")
		}
		f := b.get("/admin/outbox?state=failed")
		if f.doc.Find(".outbox-item").Length() != 1 || f.doc.Find(`#outbox-state option[selected]`).AttrOr("value", "") != "failed" {
			t.Errorf("the failed filter: %d items", f.doc.Find(".outbox-item").Length())
		}
		r := b.post("/admin/outbox/"+itoa(o.ID)+"/retry", url.Values{"state": {"failed"}})
		if r.url.String() != b.base+"/admin/outbox?state=failed" || !strings.Contains(r.doc.Find(".flash").Text(), "goes out again") ||
			r.doc.Find(".outbox-item").Length() != 0 {
			t.Errorf("after the retry: %s, %q, %d failed", r.url, r.doc.Find(".flash").Text(), r.doc.Find(".outbox-item").Length())
		}
		if row := b.get("/admin/outbox").doc.Find(`.outbox-item[data-id="` + itoa(o.ID) + `"]`); row.AttrOr("data-state", "") != "pending" {
			t.Errorf("the retried item is %q", row.AttrOr("data-state", ""))
		}
		again := b.post("/admin/outbox/"+itoa(o.ID)+"/retry", url.Values{})
		if !strings.Contains(again.doc.Find(".error").Text(), "not retried") {
			t.Errorf("a second retry: %d %q", again.status, again.doc.Find(".error").Text())
		}
		if p := b.post("/admin/outbox/999999/retry", url.Values{}); p.status != 404 {
			t.Errorf("retrying a missing item: %d", p.status)
		}
		if p := b.get("/admin/outbox?state=lost"); p.status != 400 || !strings.Contains(p.body, "lost") {
			t.Errorf("an unknown state: %d", p.status)
		}
	})
}

// TestUIAdminAudit: the audit page says each event in words with the
// fields it changed (no JSON, no escapes), names the actor by address,
// and filters by actor, action, report and time.
func TestUIAdminAudit(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		coord, _ := e.user("coord@example.org", vmt.RoleVMT)
		noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
		rep, _ := e.user("rep@example.org", vmt.RoleReporter)
		r, err := e.svc.CreateReport(ctx, rep, vmt.ReportInput{Project: "kata-containers", Title: "Escape <via> \"vsock\"", Description: "D"})
		noErr(t, err)
		_, err = e.svc.Classify(ctx, coord, r.ID, "A")
		noErr(t, err)
		e.withPassword(e.admin)
		b := e.browser()
		b.login(e.admin.User.Email)

		p := b.get("/admin/audit")
		if p.status != 200 || strings.Contains(p.doc.Find("main").Text(), `\u003c`) || strings.Contains(p.doc.Find("#audit-events").Text(), `{"`) {
			t.Fatalf("audit page: %d\n%s", p.status, p.doc.Find("main").Text())
		}
		create := p.doc.Find(`.audit-event[data-action="report.create"]`)
		line := strings.Join(strings.Fields(create.Text()), " ")
		if !strings.Contains(line, "rep@example.org filed the report on report #"+itoa(r.ID)) || !strings.Contains(line, `Escape <via> "vsock"`) {
			t.Errorf("the report's creation in words: %s", line)
		}
		cl := strings.Join(strings.Fields(p.doc.Find(`.audit-event[data-action="report.classify"]`).Text()), " ")
		if !strings.Contains(cl, "coord@example.org classified the report") || !strings.Contains(cl, "class: A") {
			t.Errorf("the classification in words: %s", cl)
		}
		actions := func(p *page) []string {
			var out []string
			for _, n := range p.doc.Find(".audit-event").Nodes {
				for _, a := range n.Attr {
					if a.Key == "data-action" {
						out = append(out, a.Val)
					}
				}
			}
			return out
		}
		if got := actions(b.get("/admin/audit?actor=COORD@example.org")); strings.Join(got, " ") != "report.classify" {
			t.Errorf("the coordinator's events: %v", got)
		}
		if got := actions(b.get("/admin/audit?action=report.create,+report.classify&report=" + itoa(r.ID))); strings.Join(got, " ") != "report.classify report.create" {
			t.Errorf("two actions on the report: %v", got)
		}
		// The filter offers every action in words, and keeps the one chosen.
		f := b.get("/admin/audit?action=report.notice")
		if n := f.doc.Find(`#audit-action option`).Length(); n < 50 || f.doc.Find(`#audit-action option[selected]`).Text() != "sent the notice to the stakeholders (report.notice)" ||
			f.doc.Find(`#audit-users option[value="coord@example.org"]`).Length() != 1 {
			t.Errorf("the filter's choices: %d actions, %q chosen", n, f.doc.Find(`#audit-action option[selected]`).Text())
		}
		if got := actions(b.get("/admin/audit?since=2999-01-01")); len(got) != 0 {
			t.Errorf("events since 2999: %v", got)
		}
		if got := actions(b.get("/admin/audit?since=" + time.Now().UTC().Add(-time.Hour).Format(time.RFC3339))); len(got) < 3 {
			t.Errorf("events of the last hour: %v", got)
		}
		// Latest first, a page at a time: the older page goes on where
		// the first stopped.
		for i := range vmt.DefaultPageSize {
			_, err := e.svc.AddComment(ctx, coord, r.ID, "Comment "+strconv.Itoa(i))
			noErr(t, err)
		}
		first := b.get("/admin/audit")
		seqs := first.doc.Find(".audit-event").Map(func(_ int, s *goquery.Selection) string { return s.AttrOr("data-seq", "") })
		older := b.get(first.doc.Find("#audit-next").AttrOr("href", "none"))
		next := older.doc.Find(".audit-event").First().AttrOr("data-seq", "")
		if len(seqs) != vmt.DefaultPageSize || atoi(seqs[0]) <= atoi(seqs[1]) || atoi(next) != atoi(seqs[len(seqs)-1])-1 {
			t.Errorf("the first page %v, the older one starts at %s", seqs, next)
		}
		for q, field := range map[string]string{"actor=nobody@example.org": "nobody@example.org", "since=yesterday": "yesterday", "report=abc": "abc"} {
			if p := b.get("/admin/audit?" + q); p.status != 400 || !strings.Contains(p.doc.Find("main").Text(), field) {
				t.Errorf("%s: %d %s", q, p.status, p.doc.Find("main").Text())
			}
		}
	})
}

// TestUIAdminTemplates: the templates page lists the eight with the text
// in use; a template's editor previews the text in use against the sample
// report; a posted text is previewed without being stored; a refused one
// says why; a saved one is the project's own and previews as such; the
// reset goes back to the shipped text.
func TestUIAdminTemplates(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		e.withPassword(e.admin)
		b := e.browser()
		b.login(e.admin.User.Email)
		base := "/admin/projects/kata-containers/templates"
		p := b.get(base)
		if p.status != 200 || p.doc.Find(".template").Length() != len(vmt.TemplateNames) || p.doc.Find(`.template[data-overridden="true"]`).Length() != 0 {
			t.Fatalf("templates page: %d, %d templates", p.status, p.doc.Find(".template").Length())
		}
		ed := b.get(base + "/downstream-notification")
		if ed.status != 200 || ed.doc.Find("#template-preview-subject").Text() == "" ||
			!strings.Contains(ed.doc.Find("#template-preview-body").Text(), "CVE-2026-12345") ||
			!strings.Contains(ed.doc.Find("#template-text").Text(), "{{") {
			t.Errorf("the editor: %d %q", ed.status, ed.doc.Find("#template-preview").Text())
		}
		own := "{{define \"subject\"}}[{{.Prefix}}] embargoed{{end}}To {{.Project}}: {{join .CVEs \", \"}}\n"
		pv := b.post(base+"/downstream-notification/preview", url.Values{"text": {own}})
		if pv.doc.Find("#template-preview-subject").Text() != "[KCSA] embargoed" || pv.doc.Find("#template-preview-body").Text() != "To Kata Containers: CVE-2026-12345\n" ||
			pv.doc.Find("#template-text").Text() != own {
			t.Errorf("the preview of a posted text: %q %q", pv.doc.Find("#template-preview-subject").Text(), pv.doc.Find("#template-preview-body").Text())
		}
		bad := b.post(base+"/downstream-notification/preview", url.Values{"text": {"{{.Reporter}}"}})
		if !strings.Contains(bad.doc.Find("#template-problem").Text(), "subject") || bad.doc.Find("#template-preview").Length() != 0 ||
			bad.doc.Find(`#template-text[aria-invalid="true"][aria-describedby="template-problem"]`).Length() != 1 {
			t.Errorf("the preview of a refused text: %q", bad.doc.Find("#template-problem").Text())
		}
		nosave := b.post(base+"/impact-description", url.Values{"text": {"{{.Reporter}}"}})
		if nosave.status != 422 || !strings.Contains(nosave.doc.Find("#template-problem").Text(), "Reporter") {
			t.Errorf("saving a refused text: %d %q", nosave.status, nosave.doc.Find("#template-problem").Text())
		}
		if v, _ := e.svc.ProjectTemplate(ctx, e.admin, "kata-containers", "impact-description"); v.Overridden {
			t.Errorf("a refused text was stored")
		}
		saved := b.post(base+"/downstream-notification", url.Values{"text": {own}})
		if saved.url.Path != base+"/downstream-notification" || !strings.Contains(saved.doc.Find(".flash").Text(), "now uses its own") ||
			saved.doc.Find("#template-preview-body").Text() != "To Kata Containers: CVE-2026-12345\n" ||
			saved.doc.Find(`.template[data-name="downstream-notification"][data-overridden="true"]`).Length() != 1 {
			t.Errorf("after saving: %s %q", saved.url, saved.doc.Find(".flash").Text())
		}
		reset := b.post(base+"/downstream-notification/reset", url.Values{})
		if !strings.Contains(reset.doc.Find(".flash").Text(), "shipped") || reset.doc.Find(`.template[data-overridden="true"]`).Length() != 0 {
			t.Errorf("after the reset: %q", reset.doc.Find(".flash").Text())
		}
		if p := b.get(base + "/kcsb"); p.status != 404 {
			t.Errorf("an unknown template: %d", p.status)
		}
		if p := b.get("/admin/projects/nope/templates"); p.status != 404 {
			t.Errorf("an unknown project: %d", p.status)
		}
	})
}
