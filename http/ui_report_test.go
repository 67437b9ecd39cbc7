package http_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/vmtproject/vmt"
)

// TestUIReporterFlow: a visitor files a report with a new account, lands on
// the report page with the private notice, comments and states terms.
func TestUIReporterFlow(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		b := e.browser()
		form := b.get("/report")
		checkLabels(t, "report form (visitor)", form)
		if form.doc.Find("#private-notice").Length() != 1 || !strings.Contains(form.doc.Find("#private-notice").Text(), "vulnerability management team") {
			t.Errorf("the report form does not say who will see the report")
		}
		p := b.post("/report", url.Values{
			"email": {"finder@example.org"}, "password": {testPassword}, "name": {"Finder"},
			"title": {"Agent reads host files"}, "description": {"Steps:\r\n1. run the agent"},
			"components": {"agent, runtime"}, "never_disclose": {"reporter_identity"},
		})
		if p.status != http.StatusOK || !strings.HasPrefix(p.url.Path, "/reports/") {
			t.Fatalf("submit: %d at %s: %s", p.status, p.url, p.doc.Find(".error").Text())
		}
		if got := p.doc.Find("h1").Text(); !strings.Contains(got, "Agent reads host files") {
			t.Errorf("report page title %q", got)
		}
		if p.doc.Find("#private-notice").Length() != 1 || p.doc.Find(".flash").Length() != 1 {
			t.Errorf("no private notice or no confirmation on the new report's page")
		}
		if got := p.doc.Find("#status-label").Text(); got != "New" {
			t.Errorf("status label %q, want New", got)
		}
		if p.doc.Find("#actions").Length() != 0 || p.doc.Find("#audit").Length() != 0 {
			t.Errorf("the reporter is offered the VMT's actions or audit log")
		}
		if p.doc.Find("#extent").Length() != 1 {
			t.Errorf("the reporter does not see who knows of the report")
		}
		if p.doc.Find("time[datetime]").Length() == 0 {
			t.Errorf("no <time datetime> on the report page")
		}
		checkLabels(t, "report page (reporter)", p)
		id := strings.TrimPrefix(p.url.Path, "/reports/")
		c := b.post("/reports/"+id+"/comment", url.Values{"body": {"More details: **bold**"}})
		if got := c.doc.Find(".comment strong").Text(); got != "bold" {
			t.Errorf("comment not shown rendered: %q", got)
		}
		tm := b.post("/reports/"+id+"/terms", url.Values{"reporter_terms": {"Not before 2027-01-10"}, "never_disclose": {"credit"}})
		if !strings.Contains(tm.doc.Find("#terms").Parent().Text(), "Not before 2027-01-10") {
			t.Errorf("terms not shown after saving: %s", tm.doc.Find(".error").Text())
		}
		u, err := e.svc.Login(context.Background(), "finder@example.org", testPassword)
		if err != nil || u.User.Role != vmt.RoleReporter {
			t.Errorf("the new account: %v, %+v", err, u.User)
		}
		// A second visitor may not take over the account by filing with
		// its email.
		other := e.browser()
		bad := other.post("/report", url.Values{"email": {"finder@example.org"}, "password": {"not the password at all"},
			"title": {"x"}, "description": {"y"}})
		if bad.status != http.StatusBadRequest || !strings.Contains(bad.doc.Find(".error").Text(), "not its password") {
			t.Errorf("filing with another's email: %d %q", bad.status, bad.doc.Find(".error").Text())
		}
	})
}

// TestUICoordinatorActions: the VMT sees the actions the transition table
// allows from the status, and carries them out through the page.
func TestUICoordinatorActions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		coord, b := e.signedIn("coord@example.org", vmt.RoleVMT)
		if err := e.svc.SetMember(context.Background(), e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}); err != nil {
			t.Fatal(err)
		}
		rep, _ := e.user("rep@example.org", vmt.RoleReporter)
		rv, err := e.svc.CreateReport(context.Background(), rep, vmt.ReportInput{Title: "Escape via virtio-fs", Description: "Details."})
		if err != nil {
			t.Fatal(err)
		}
		path := "/reports/" + itoa(rv.ID)
		p := b.get(path)
		checkLabels(t, "report page (VMT)", p)
		var offered []vmt.Status
		p.doc.Find(`input[name="to"]`).Each(func(_ int, s *goquery.Selection) {
			v, _ := s.Attr("value")
			offered = append(offered, vmt.Status(v))
		})
		if want := vmt.NextStatuses(vmt.StatusNew); !slices.Equal(offered, want) {
			t.Errorf("moves offered %v, want the table's %v", offered, want)
		}
		for _, sel := range []string{"#audit", "#extent", "#actions", `select[name="class"]`, `select[name="coordinator_id"]`, `select[name="user_id"]`} {
			if p.doc.Find(sel).Length() == 0 {
				t.Errorf("VMT report page lacks %s", sel)
			}
		}
		// A move the guards refuse is refused with the reason, not done.
		b.post(path+"/classify", url.Values{"class": {"D"}})
		p = b.post(path+"/transition", url.Values{"to": {"confirmed"}})
		if msg := p.doc.Find(".error").Text(); !strings.Contains(msg, "class D does not lead to an advisory") || p.doc.Find("#status-label").Text() != "New" {
			t.Errorf("confirming a class D report: %q, status %q", msg, p.doc.Find("#status-label").Text())
		}
		b.post(path+"/classify", url.Values{"class": {"A"}})
		p = b.post(path+"/transition", url.Values{"to": {"confirmed"}})
		if p.doc.Find("#status-label").Text() != "Confirmed" || p.doc.Find("#class").Text() != "A" {
			t.Errorf("after classify and confirm: status %q class %q; %s", p.doc.Find("#status-label").Text(), p.doc.Find("#class").Text(), p.doc.Find(".error").Text())
		}
		p = b.post(path+"/assign", url.Values{"coordinator_id": {itoa(coord.ID())}})
		if !strings.Contains(p.doc.Find("#coordinator").Text(), "coord@example.org") {
			t.Errorf("coordinator shown %q", p.doc.Find("#coordinator").Text())
		}
		rev, _ := e.user("rev@example.org", vmt.RoleReviewer)
		p = b.post(path+"/subscribe", url.Values{"user_id": {itoa(rev.ID())}})
		if !strings.Contains(p.doc.Find("#subscribers").Next().Text(), "rev@example.org") {
			t.Errorf("subscriber not listed: %s", p.doc.Find(".error").Text())
		}
		if !strings.Contains(p.doc.Find("#extent-table").Text(), "subscribed") {
			t.Errorf("the extent does not show the subscription")
		}
		p = b.post(path+"/incomplete-message", nil)
		if !strings.Contains(p.doc.Find(".comment").Text(), "marked the advisory task Incomplete") {
			t.Errorf("the incomplete-reception message is not among the comments")
		}
		// On through the process: the guards ask for an impact
		// description before Triaged, a CVE request before In Progress.
		p = b.post(path+"/transition", url.Values{"to": {"triaged"}})
		if !strings.Contains(p.doc.Find(".error").Text(), "no impact description") {
			t.Errorf("Triaged without an impact description: %q", p.doc.Find(".error").Text())
		}
		b.post(path+"/impact", url.Values{"impact_description": {"A guest reads **host** files."}})
		p = b.post(path+"/transition", url.Values{"to": {"triaged"}})
		if msg := p.doc.Find(".error").Text(); !strings.Contains(msg, "not yet approved by the reporter and the architecture committee") {
			t.Errorf("Triaged before the approvals: %q", msg)
		}
		// The reporter and a member of the committee approve on the page.
		if p.doc.Find("#approve-impact").Length() != 0 {
			t.Error("the coordinator is offered the approval")
		}
		e.withPassword(rep)
		repB := e.browser()
		repB.login("rep@example.org")
		approveOnPage(t, repB, path, "still to approve: the architecture committee")
		com, comB := e.signedIn("com@example.org", vmt.RoleCommittee)
		b.post(path+"/subscribe", url.Values{"user_id": {itoa(com.ID())}})
		approveOnPage(t, comB, path, "the impact description is approved")
		p = b.post(path+"/transition", url.Values{"to": {"triaged"}})
		if p.doc.Find("#status-label").Text() != "Triaged" || p.doc.Find("#impact").Next().Find("strong").Text() != "host" {
			t.Errorf("after the impact description: %q %s", p.doc.Find("#status-label").Text(), p.doc.Find(".error").Text())
		}
		b.post(path+"/cve-request", nil)
		p = b.post(path+"/transition", url.Values{"to": {"in_progress"}})
		if p.doc.Find("#status-label").Text() != "In Progress" {
			t.Errorf("after the CVE request: %q %s", p.doc.Find("#status-label").Text(), p.doc.Find(".error").Text())
		}
		p = b.post(path+"/cves", url.Values{"cves": {"cve-2026-12345"}})
		if h1 := p.doc.Find("h1").Text(); !strings.HasSuffix(h1, "(CVE-2026-12345)") {
			t.Errorf("title after the CVE: %q %s", h1, p.doc.Find(".error").Text())
		}
		got, _ := e.svc.Report(context.Background(), e.admin, rv.ID)
		if got.Status != vmt.StatusInProgress || got.Class != "A" || got.CoordinatorID != coord.ID() || got.CVERequestedAt == nil {
			t.Errorf("stored: %s %s %d %v", got.Status, got.Class, got.CoordinatorID, got.CVERequestedAt)
		}
		p = b.post(path+"/publicize", url.Values{"reason": {"discussed on a public list"}})
		if p.doc.Find("#visibility").Text() != "Public" || p.doc.Find("#private-notice").Length() != 0 {
			t.Errorf("after making public: %q", p.doc.Find("#visibility").Text())
		}
		d := b.get("/reports?status=in_progress")
		checkLabels(t, "dashboard", d)
		if d.doc.Find(`.report[data-id="`+itoa(rv.ID)+`"]`).Length() != 1 {
			t.Errorf("dashboard filtered on In Progress lacks the report")
		}
		if d.doc.Find(".counts .current").Text() != "In Progress 1" {
			t.Errorf("status counts: %q", d.doc.Find(".counts").Text())
		}
	})
}

// TestUIMoveClassifies: the page's status form classifies with the move,
// so a report that is not a vulnerability is closed in one action, and
// the reporter reads why among the comments.
func TestUIMoveClassifies(t *testing.T) {
	e := newEnv(t, "sqlite")
	coord, b := e.signedIn("coord@example.org", vmt.RoleVMT)
	if err := e.svc.SetMember(context.Background(), e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}); err != nil {
		t.Fatal(err)
	}
	rep, _ := e.user("rep@example.org", vmt.RoleReporter)
	rv, err := e.svc.CreateReport(context.Background(), rep, vmt.ReportInput{Title: "Own cgroup limits readable", Description: "Details."})
	if err != nil {
		t.Fatal(err)
	}
	path := "/reports/" + itoa(rv.ID)
	if b.get(path).doc.Find(`form[action$="/transition"] select[name="class"] option[value="E"]`).Length() != 1 {
		t.Fatalf("the status form offers no class")
	}
	p := b.post(path+"/transition", url.Values{"to": {"invalid"}, "class": {"E"}, "reason": {"The limits are not secret."}})
	if p.doc.Find("#status-label").Text() != "Invalid" || p.doc.Find("#class").Text() != "E" {
		t.Errorf("after Invalid with class E: status %q class %q; %s", p.doc.Find("#status-label").Text(), p.doc.Find("#class").Text(), p.doc.Find(".error").Text())
	}
	if !strings.Contains(p.doc.Find(".comment").Text(), "The limits are not secret.") {
		t.Errorf("the reason is not among the comments: %q", p.doc.Find(".comment").Text())
	}
}
