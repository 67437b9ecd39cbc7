package http_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowserPublicAdvisoryPage opens a published advisory's page in
// headless Chromium at 1280 and at 390 pixels: nothing overflows
// sideways, the facts stand beside the text on the wide screen and under
// it on the phone; the index filtered by severity fits too; a screenshot
// of each goes to a temporary directory (VMT_SCREENSHOTS names another,
// to keep them).
func TestBrowserPublicAdvisoryPage(t *testing.T) {
	browser := newChromium(t)
	m := newMatrix(t, "sqlite")
	d := m.docIn(richDoc("", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N"), true)
	dir := os.Getenv("VMT_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	p := m.person(t, browser)
	for _, w := range []struct {
		width, height int64
		side          bool // the facts beside the text
	}{{1280, 900, true}, {390, 844, false}} {
		p.do("open the page", chromedp.EmulateViewport(w.width, w.height), chromedp.Navigate(m.srv.URL+"/advisories/"+d.ID.String()),
			chromedp.WaitVisible(chromedp.CSS("#adv-id")))
		wide, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool]("document.documentElement.scrollWidth > window.innerWidth"))
		if err != nil || wide {
			t.Errorf("%d px: the page is wider than the screen: %v, %v", w.width, wide, err)
		}
		beside, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](
			"document.querySelector('.adv-side').getBoundingClientRect().left > document.querySelector('.adv-main').getBoundingClientRect().right - 1"))
		if err != nil || beside != w.side {
			t.Errorf("%d px: facts beside the text = %v, want %v (%v)", w.width, beside, w.side, err)
		}
		if got := p.text(".adv-head .sev"); got != "Medium" {
			t.Errorf("%d px: severity label %q", w.width, got)
		}
		ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
		if _, err := chromedp.Call(ctx, cdppage.BringToFront, cdp.Empty{}); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		cancel()
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		name := filepath.Join(dir, "advisory-"+itoa(w.width)+".png")
		if err := os.WriteFile(name, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %s (%d bytes)", name, len(png))

		// The index, filtered, at the same width.
		p.do("open the index", chromedp.Navigate(m.srv.URL+"/advisories?severity=medium"), chromedp.WaitVisible(chromedp.CSS("#f-severity")))
		if n := p.count("li.advisory"); n != 1 {
			t.Errorf("%d px: index by severity shows %d documents", w.width, n)
		}
		if wide, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool]("document.documentElement.scrollWidth > window.innerWidth")); err != nil || wide {
			t.Errorf("%d px: the index is wider than the screen: %v, %v", w.width, wide, err)
		}
		png, err = chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if err := os.WriteFile(filepath.Join(dir, "advisories-"+itoa(w.width)+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
