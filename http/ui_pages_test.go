package http_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/vmtproject/vmt"
)

// TestUIPagesByRole opens every page as each kind of viewer and checks the
// structure every page owes its users: one h1, a main landmark, the
// language, labels on every field, under 100 KB, and no script but ours.
// The report's description is hostile Markdown, rendered harmless.
func TestUIPagesByRole(t *testing.T) {
	e := newEnv(t, "sqlite")
	ctx := context.Background()
	coord, vb := e.signedIn("coord@example.org", vmt.RoleVMT)
	if err := e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}); err != nil {
		t.Fatal(err)
	}
	rep, rb := e.signedIn("rep@example.org", vmt.RoleReporter)
	rev, revb := e.signedIn("rev@example.org", vmt.RoleReviewer)
	_, stkb := e.signedIn("stk@example.org", vmt.RoleStakeholder)
	hostile := "Hello <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)> <svg onload=alert(4)></svg> [d](data:text/html,<script>alert(5)</script>)"
	r, err := e.svc.CreateReport(ctx, rep, vmt.ReportInput{Title: "Hostile <b>title</b>", Description: hostile})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Subscribe(ctx, coord, r.ID, rev.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddComment(ctx, rev, r.ID, "<script>alert(6)</script> ok"); err != nil {
		t.Fatal(err)
	}
	rp := "/reports/" + itoa(r.ID)
	cases := []struct {
		who    string
		b      *browser
		path   string
		status int
	}{
		{"visitor", e.browser(), "/", 200},
		{"visitor", e.browser(), "/login", 200},
		{"visitor", e.browser(), "/report", 200},
		{"visitor", e.browser(), rp, 404},
		{"visitor", e.browser(), "/no/such/page", 404},
		{"reporter", rb, "/report", 200},
		{"reporter", rb, "/reports?reporter=me", 200},
		{"reporter", rb, rp, 200},
		{"reviewer (subscribed)", revb, rp, 200},
		{"reviewer (subscribed)", revb, "/reports", 200},
		{"reviewer (subscribed)", revb, "/account/two-factor", 200},
		{"stakeholder", stkb, rp, 404},
		{"stakeholder", stkb, "/reports", 200},
		{"vmt", vb, "/reports", 200},
		{"vmt", vb, "/reports?overdue=1&embargoed=1", 200},
		{"vmt", vb, rp, 200},
		{"vmt", vb, "/account/two-factor", 200},
	}
	for _, c := range cases {
		name := c.who + " " + c.path
		p := c.b.get(c.path)
		if p.status != c.status {
			t.Errorf("%s: %d, want %d", name, p.status, c.status)
			continue
		}
		checkLabels(t, name, p)
		if n := p.doc.Find("h1").Length(); n != 1 {
			t.Errorf("%s: %d h1", name, n)
		}
		if lang, _ := p.doc.Find("html").Attr("lang"); lang != "en" || p.doc.Find("main").Length() != 1 {
			t.Errorf("%s: lang %q, %d main", name, lang, p.doc.Find("main").Length())
		}
		p.doc.Find("script").Each(func(_ int, s *goquery.Selection) {
			if src, _ := s.Attr("src"); src != "/static/app.js" {
				t.Errorf("%s: a script other than ours: src %q", name, src)
			}
		})
		for _, bad := range []string{"javascript:", "onerror", "onload", "data:text/html", "<b>title"} {
			if strings.Contains(p.body, bad) {
				t.Errorf("%s: the page holds %q", name, bad)
			}
		}
	}
	// The headers that keep pages private and unframed.
	resp, err := http.Get(e.srv.URL + "/report")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for h, want := range map[string]string{"Cache-Control": "no-store", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff"} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
}

// TestUIReporterIdentityWithheld: a reporter who asked that their identity
// never be disclosed is named to the VMT, but not to a subscribed reviewer,
// neither as the reporter nor as the author of their comments.
func TestUIReporterIdentityWithheld(t *testing.T) {
	e := newEnv(t, "sqlite")
	ctx := context.Background()
	rep, _ := e.user("secret.finder@example.org", vmt.RoleReporter)
	name := "Secret Finder"
	if _, err := e.svc.UpdateUser(ctx, e.admin, rep.ID(), vmt.UserPatch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	r, err := e.svc.CreateReport(ctx, rep, vmt.ReportInput{Title: "T", Description: "D", NeverDisclose: []string{"reporter_identity"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddComment(ctx, rep, r.ID, "More from me."); err != nil {
		t.Fatal(err)
	}
	rev, revb := e.signedIn("rev@example.org", vmt.RoleReviewer)
	if _, err := e.svc.Subscribe(ctx, e.admin, r.ID, rev.ID()); err != nil {
		t.Fatal(err)
	}
	p := revb.get("/reports/" + itoa(r.ID))
	if p.status != http.StatusOK {
		t.Fatalf("reviewer: %d", p.status)
	}
	if strings.Contains(p.body, "Secret Finder") || strings.Contains(p.body, "secret.finder") {
		t.Errorf("the reviewer's page names the reporter")
	}
	if !strings.Contains(p.doc.Find(".comment .meta").Text(), "withheld") {
		t.Errorf("comment author shown as %q", p.doc.Find(".comment .meta").Text())
	}
	e.withPassword(e.admin)
	ab := e.browser()
	ab.login(e.admin.User.Email)
	if p := ab.get("/reports/" + itoa(r.ID)); !strings.Contains(p.doc.Find(".comment .meta").Text(), "Secret Finder") {
		t.Errorf("the administrator does not see who commented: %q", p.doc.Find(".comment .meta").Text())
	}
}
