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

// TestBrowserReportPageAtFixCommitted walks a case to Fix committed and
// opens its page in headless Chromium as the coordinator, the reporter
// and the stakeholder let in after the notice, at 1280×900 and 390×844:
// the page up to its timeline is at most two screen heights on the wide
// screen, nothing overflows sideways on the phone, the stepper shows the
// disclosure as the current step. A screenshot of each goes to
// testdata/artifacts (VMT_SCREENSHOTS names another directory).
func TestBrowserReportPageAtFixCommitted(t *testing.T) {
	browser := newChromium(t)
	w := newCaseWalk(t, "sqlite")
	w.toConfirmed(t)
	w.toTriaged(t)
	w.toInProgress(t)
	w.toFixCommitted(t)
	dir := os.Getenv("VMT_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, who := range []struct{ name, email string }{
		{"coordinator", w.coordEmail}, {"reporter", w.repEmail}, {"stakeholder", w.stakeEmail},
	} {
		p := w.e.person(t, browser)
		p.login(who.email)
		for _, vp := range []struct{ width, height int64 }{{1280, 900}, {390, 844}} {
			p.do("open the report page", chromedp.EmulateViewport(vp.width, vp.height), chromedp.Navigate(p.base+w.path),
				chromedp.WaitVisible(chromedp.CSS("#timeline")))
			if got := p.text(`#stepper li[aria-current="step"] .step-name`); got != "Disclosure" {
				t.Errorf("%s at %d px: the current step is %q", who.name, vp.width, got)
			}
			top, err := chromedp.Run(p.ctx, chromedp.Evaluate[float64](
				"document.querySelector('#timeline').getBoundingClientRect().top + window.scrollY"))
			if err != nil {
				t.Fatal(err)
			}
			if vp.width == 1280 && top > float64(2*vp.height) {
				t.Errorf("%s at 1280×900: the timeline starts at %.0f px, more than two screen heights", who.name, top)
			}
			t.Logf("%s at %d px: the timeline starts at %.0f px", who.name, vp.width, top)
			wide, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool]("document.documentElement.scrollWidth > window.innerWidth"))
			if err != nil || wide {
				t.Errorf("%s at %d px: the page is wider than the screen (%v)", who.name, vp.width, err)
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
			name := filepath.Join(dir, "report-fix-committed-"+who.name+"-"+itoa(vp.width)+".png")
			if err := os.WriteFile(name, png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
