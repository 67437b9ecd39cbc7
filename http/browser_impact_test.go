package http_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vmtproject/vmt"
)

// TestBrowserImpactApproval drives the review of the impact description in
// headless Chromium: the coordinator drafts it from the template, the
// reporter and a committee member each press the approve button on the
// report page, and the coordinator moves the report to Triaged. A
// screenshot goes to testdata/artifacts.
func TestBrowserImpactApproval(t *testing.T) {
	browser := newChromium(t)
	ctx := context.Background()
	e := newEnv(t, "sqlite")
	coord, _ := e.user("coord@example.org", vmt.RoleVMT)
	rep, _ := e.user("rep@example.org", vmt.RoleReporter)
	com, _ := e.user("com@example.org", vmt.RoleCommittee)
	for _, a := range []vmt.Actor{coord, rep, com} {
		e.withPassword(a)
	}
	fixMust(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
	r, err := e.svc.CreateReport(ctx, rep, vmt.ReportInput{Project: "kata-containers", Title: "Agent overflow", Description: "The agent overflows on a long name.",
		Components: []string{"agent"}, AffectedVersions: "<3.2.1", Credit: "Rep Orter"})
	fixMust(t, err)
	_, err = e.svc.Classify(ctx, coord, r.ID, "A")
	fixMust(t, err)
	_, err = e.svc.Transition(ctx, coord, r.ID, vmt.TransitionInput{To: vmt.StatusConfirmed})
	fixMust(t, err)
	_, err = e.svc.Subscribe(ctx, coord, r.ID, com.ID())
	fixMust(t, err)
	page := e.srv.URL + "/reports/" + itoa(r.ID)

	c := e.person(t, browser)
	c.login("coord@example.org")
	c.do("draft the impact description", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#draft-impact")),
		chromedp.Click(chromedp.CSS("#draft-impact")), chromedp.WaitVisible(chromedp.CSS("p.flash")))
	if got := c.text("#impact_description"); !strings.Contains(got, "Rep Orter") {
		t.Errorf("drafted text: %q", got)
	}
	for _, who := range []struct{ email, after string }{{"rep@example.org", "still to approve: the architecture committee"}, {"com@example.org", "the impact description is approved"}} {
		p := e.person(t, browser)
		p.login(who.email)
		p.do("approve as "+who.email, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#approve-impact")),
			chromedp.Click(chromedp.CSS("#approve-impact")), chromedp.WaitVisible(chromedp.CSS("p.flash")))
		if got := p.text("p.flash"); !strings.Contains(got, who.after) {
			t.Errorf("after %s approved: %q", who.email, got)
		}
	}
	// The second approval moved the report to Triaged: the coordinator
	// has nothing to click for it.
	c.do("see the report Triaged", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#status-label")))
	if got := c.text("#status-label"); got != "Triaged" {
		t.Errorf("status after both approvals: %q (%s)", got, c.text("main"))
	}
	if got := c.text("#approval-committee"); !strings.Contains(got, "com@example.org") {
		t.Errorf("committee approval shown as %q", got)
	}
	c.screenshot("report-impact-review.png")
}
