package http_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/cvss"
)

// TestBrowserAdvisoryStep drives the advisory step in headless Chromium:
// on a class A report whose impact description is approved, the
// coordinator drafts the KCSA from the report with the keyboard, sets a
// CVSS vector, the summary and the mitigation, makes it final, ends the
// embargo and publishes it from the page; the public /advisories page
// lists it. Screenshots of the advisory section, as a draft and
// published, go to testdata/artifacts.
func TestBrowserAdvisoryStep(t *testing.T) {
	browser := newChromium(t)
	ctx := context.Background()
	e := newEnv(t, "sqlite")
	e.setDeps(func(d *app.Deps) {
		d.CheckAdvisory = cvss.Check
		d.Publication.BaseURL = e.srv.URL
	})
	coord, _ := e.user("coord@example.org", vmt.RoleVMT)
	rep, _ := e.user("rep@example.org", vmt.RoleReporter)
	com, _ := e.user("com@example.org", vmt.RoleCommittee)
	e.withPassword(coord)
	fixMust(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
	r, err := e.svc.CreateReport(ctx, rep, vmt.ReportInput{Project: "kata-containers", Title: "Agent overflow", Description: "The agent overflows on a long name.",
		Components: []string{"agent"}, AffectedVersions: "<3.2.1", Credit: "Rep Orter (Acme)"})
	fixMust(t, err)
	for _, step := range []func() error{
		func() error { _, err := e.svc.Classify(ctx, coord, r.ID, "A"); return err },
		func() error { _, err := e.svc.Subscribe(ctx, coord, r.ID, com.ID()); return err },
		func() error { _, err := e.svc.DraftImpact(ctx, coord, r.ID, false); return err },
		func() error { _, err := e.svc.ApproveImpact(ctx, rep, r.ID); return err },
		func() error { _, err := e.svc.ApproveImpact(ctx, com, r.ID); return err },
		func() error {
			cves := []string{"CVE-2026-4242"}
			_, err := e.svc.UpdateReport(ctx, coord, r.ID, vmt.ReportPatch{CVEs: &cves})
			return err
		},
	} {
		fixMust(t, step())
	}
	page := e.srv.URL + "/reports/" + itoa(r.ID)

	c := e.person(t, browser)
	c.login("coord@example.org")
	c.do("draft the advisory with the keyboard", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("#draft-advisory")),
		chromedp.Focus(chromedp.CSS("#draft-advisory")), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS("#advisory-form")))
	if got := c.text("p.flash"); !strings.Contains(got, "drafted from the report") {
		t.Errorf("after drafting: %q", got)
	}
	facts := c.text("#advisory dl.facts")
	for _, want := range []string{"CVE-2026-4242", "Rep Orter"} {
		if !strings.Contains(facts, want) {
			t.Errorf("the draft lacks %q from the report: %q", want, facts)
		}
	}
	const vector = "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H"
	c.do("set the CVSS vector, summary and mitigation",
		chromedp.SendKeys(chromedp.CSS("#adv-summary"), "A long name overflows the agent"),
		chromedp.Clear(chromedp.CSS("#adv-mitigation")), chromedp.SendKeys(chromedp.CSS("#adv-mitigation"), "Upgrade the agent."),
		chromedp.SendKeys(chromedp.CSS("#adv-cvss"), vector),
		chromedp.Click(chromedp.CSS("#advisory-save")), chromedp.WaitVisible(chromedp.CSS("#cvss-scores")))
	if got := c.text("#cvss-scores"); !strings.Contains(got, "8.8") || !strings.Contains(got, "HIGH") {
		t.Errorf("score shown: %q", got)
	}
	if got := c.text("#advisory-text"); !strings.Contains(got, "Upgrade the agent.") || !strings.Contains(got, "8.8") {
		t.Errorf("the preview does not carry the mitigation and score: %q", got)
	}
	screenshotOf(c, "#advisory", "report-advisory-draft.png")
	c.do("make it final", chromedp.Click(chromedp.CSS("#advisory-embargo")), chromedp.WaitVisible(chromedp.CSS("#advisory-publish")))
	id := c.text("#advisory-id")
	if !strings.HasPrefix(id, "KCSA-") {
		t.Fatalf("id after embargo: %q", id)
	}
	c.do("end the embargo", chromedp.Click(chromedp.CSS("#more-actions > summary")), chromedp.SendKeys(chromedp.CSS("#publicize-reason"), "disclosure day"),
		chromedp.Click(chromedp.CSS(`form[action$="/publicize"] button[type=submit]`)), chromedp.WaitNotPresent(chromedp.CSS("#publicize-reason")),
		// The new page, not the one being left: its flash and the section.
		chromedp.WaitReady(chromedp.CSS("body")), chromedp.WaitVisible(chromedp.CSS("p.flash")), chromedp.WaitVisible(chromedp.CSS("#advisory-state")))
	if got := c.text("p.flash"); !strings.Contains(got, "public") {
		t.Fatalf("ending the embargo: %q", got)
	}
	// The final advisory went out with the disclosure.
	c.do("see it published", chromedp.WaitVisible(chromedp.CSS("#advisory-withdraw")))
	if got := c.text("#advisory-state"); got != "published" {
		t.Errorf("state after publishing: %q (%s)", got, c.text("p.flash"))
	}
	c.do("scroll to the section", chromedp.ScrollIntoView(chromedp.CSS("#advisory")))
	screenshotOf(c, "#advisory", "report-advisory.png")

	v := e.person(t, browser)
	v.do("open the public index", chromedp.Navigate(e.srv.URL+"/advisories"), chromedp.WaitVisible(chromedp.CSS("main")))
	if got := v.text("main"); !strings.Contains(got, id) || !strings.Contains(got, "Agent overflow") {
		t.Errorf("the public index does not list %s: %q", id, got)
	}
}

// screenshotOf saves a PNG of one element of the page to testdata/artifacts.
func screenshotOf(p *person, sel, name string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("screenshot of %s: %v", sel, err)
	}
	dir := filepath.Join("testdata", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}
