package http_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/gitrepo"
)

// TestBrowserFixWaiver drives the fixes section in headless Chromium: a
// coordinator opens a private report whose main fix is approved and whose
// stable-3.2 has none, reads which branch lacks approval, opens the waiver
// form, waives stable-3.2 with a reason and sees the matrix say so and the
// missing approval gone. A screenshot goes to testdata/artifacts.
func TestBrowserFixWaiver(t *testing.T) {
	browser := newChromium(t)
	ctx := context.Background()
	e := newEnv(t, "sqlite")
	up, series, _ := fixUpstream(t)
	e.setDeps(func(d *app.Deps) {
		d.Checker = &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"kata-containers": up}}
	})
	coord, _ := e.user("coord@example.org", vmt.RoleVMT)
	e.withPassword(coord)
	fixMust(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
	r, err := e.svc.CreateReport(ctx, coord, vmt.ReportInput{Project: "kata-containers", Title: "Agent overflow", Description: "It overflows."})
	fixMust(t, err)
	f, err := e.svc.AttachFix(ctx, coord, r.ID, vmt.FixInput{Branch: "main", Series: series})
	fixMust(t, err)
	_, err = e.svc.ReviewFix(ctx, coord, f.ID, vmt.ReviewInput{Review: vmt.ReviewApproved})
	fixMust(t, err)

	p := e.person(t, browser)
	p.login("coord@example.org")
	p.do("open the report", chromedp.Navigate(e.srv.URL+"/reports/"+itoa(r.ID)), chromedp.WaitVisible(chromedp.CSS("#fix-matrix")))
	if got := p.text("#fixes-missing strong"); got != "stable-3.2" {
		t.Errorf("missing approval: %q", got)
	}
	if got := p.text(`#fix-matrix tr[data-branch="main"] td.review`); got != "approved" {
		t.Errorf("main review: %q", got)
	}
	p.do("waive stable-3.2",
		chromedp.Click(chromedp.CSS("#waive summary")),
		chromedp.WaitVisible(chromedp.CSS("#waive-reason")),
		chromedp.SetValue(chromedp.CSS("#waive-branch"), "stable-3.2"),
		chromedp.SendKeys(chromedp.CSS("#waive-reason"), "stable-3.2 reaches its end of life on Friday"),
		chromedp.Click(chromedp.CSS(`form[action$="/fixes/waive"] button[type=submit]`)),
		// The flash is only on the page after the waiver, but at its top:
		// Chromium shows a page while parsing it, and under load its parser
		// yields before the matrix below. The footer, the page's last
		// element, means the whole new page is there to be read.
		chromedp.WaitVisible(chromedp.CSS(`p.flash`)),
		chromedp.WaitVisible(chromedp.CSS(`body > footer`)),
	)
	if got := p.text(`#fix-matrix tr[data-branch="stable-3.2"] td.waiver`); got != "stable-3.2 reaches its end of life on Friday" {
		t.Errorf("waiver cell: %q", got)
	}
	if n := p.count("#fixes-missing"); n != 0 {
		t.Error("approval still missing after the waiver")
	}
	if got := p.text("p.flash"); !strings.Contains(got, "Waiver recorded for branch stable-3.2") {
		t.Errorf("confirmation: %q", got)
	}
	p.screenshot("report-fixes.png")
}
