package http_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/vmtproject/vmt"
)

const chromiumPath = "/usr/bin/chromium"

// stepTimeout bounds one step in the browser: generous, because CI runs
// the browser beside every other package's tests on two cores.
const stepTimeout = 60 * time.Second

// chromium starts browsers: Debian's Chromium headless, one process with a
// fresh profile per person, so that each person has their own cookies and
// their tab is always in front (a background tab of a shared browser
// sometimes never draws the frame a screenshot waits for). Without Chromium
// the test is skipped, unless CI=true, where it fails.
type chromium struct{ t *testing.T }

func newChromium(t *testing.T) chromium {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing; .ci/run installs the chromium package", chromiumPath)
		}
		t.Skipf("%s is missing (apt-get install chromium); skipping the browser test", chromiumPath)
	}
	return chromium{t}
}

// start starts one browser and returns its context.
func (c chromium) start() context.Context {
	t := c.t
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1024, 900),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-extensions", true),
	}
	ctx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	bctx, bcancel := chromedp.NewContext(ctx)
	t.Cleanup(bcancel)
	// The first run starts the browser and makes the tab, which lives as
	// long as the context of that run: so no time limit here, and one on
	// each later step.
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return bctx
}

// person is one user's browser context, with a time limit on each step.
type person struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func (e *env) person(t *testing.T, browser chromium) *person {
	return &person{t: t, ctx: browser.start(), base: e.srv.URL}
}

func (p *person) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

func (p *person) text(sel string) string {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func (p *person) count(sel string) int {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int]("document.querySelectorAll("+jsString(sel)+").length"))
	if err != nil {
		p.t.Fatalf("counting %s: %v", sel, err)
	}
	return n
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func (p *person) login(email string) {
	p.t.Helper()
	p.do("sign in as "+email,
		chromedp.Navigate(p.base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		// A sign-in lands on the inbox, what waits on the person.
		chromedp.WaitVisible(chromedp.CSS("#inbox-mine")),
	)
}

func (p *person) screenshot(name string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	// A tab in the background draws no frames to capture: bring it to
	// the front first.
	if _, err := chromedp.Call(ctx, cdppage.BringToFront, cdp.Empty{}); err != nil {
		p.t.Fatalf("bring to front: %v", err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG; less is JPEG
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join("testdata", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// TestBrowserReportToConfirmed drives the pages in headless Chromium: a
// reporter submits a report and sees the private notice; a coordinator
// signs in, finds it by search, classifies and confirms it; a second
// reporter can neither open it by URL nor find it; the reporter sees the
// new status. Screenshots of the report page and the dashboard go to
// testdata/artifacts.
func TestBrowserReportToConfirmed(t *testing.T) {
	chrome := newChromium(t)
	e := newEnv(t, "sqlite")
	ctx := context.Background()
	coord, _ := e.user("coord@example.org", vmt.RoleVMT)
	e.withPassword(coord)
	if err := e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}); err != nil {
		t.Fatal(err)
	}
	other, _ := e.user("other@example.org", vmt.RoleReporter)
	e.withPassword(other)

	reporter := e.person(t, chrome)
	reporter.do("submit a report",
		chromedp.Navigate(e.srv.URL+"/report"),
		chromedp.WaitVisible(chromedp.CSS("#private-notice")),
		chromedp.SendKeys(chromedp.CSS("#email"), "finder@example.org"),
		chromedp.SendKeys(chromedp.CSS("#name"), "Finder"),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.SendKeys(chromedp.CSS("#title"), "Hypervisor escape through vsock replay"),
		chromedp.SendKeys(chromedp.CSS("#description"), "Replaying a vsock handshake lets a guest talk to the host agent.\n\n1. Boot a guest.\n2. Replay."),
		chromedp.SendKeys(chromedp.CSS("#components"), "agent"),
		chromedp.Click(chromedp.CSS(`form[action="/report"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#status-label")),
	)
	if got := reporter.text("#private-notice"); !strings.Contains(got, "This report is private") {
		t.Errorf("private notice on the report page: %q", got)
	}
	if got := reporter.text(".flash"); !strings.Contains(got, "private") {
		t.Errorf("confirmation: %q", got)
	}
	loc, err := chromedp.Run(reporter.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(loc)
	reportPath := u.Path
	id := strings.TrimPrefix(reportPath, "/reports/")

	vmtp := e.person(t, chrome)
	vmtp.login("coord@example.org")
	vmtp.do("search",
		chromedp.Navigate(e.srv.URL+"/reports"), chromedp.WaitVisible(chromedp.CSS("#results")),
		chromedp.SendKeys(chromedp.CSS("#q"), "vsock replay"),
		chromedp.Submit(chromedp.CSS("#q")),
		// The dashboard before the search may list the report too: wait
		// for the results page, whose search box carries the query as its
		// value attribute (typing sets only the property), so that nothing
		// runs while the page is still navigating.
		chromedp.WaitVisible(chromedp.CSS(`#q[value="vsock replay"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.report[data-id="`+id+`"] a`)),
	)
	vmtp.screenshot("dashboard-search.png")
	vmtp.do("open, classify and confirm",
		chromedp.Click(chromedp.CSS(`.report[data-id="`+id+`"] a`)),
		chromedp.WaitVisible(chromedp.CSS("#class-select")),
		chromedp.SetValue(chromedp.CSS("#class-select"), "A"),
		chromedp.Click(chromedp.CSS(`form[action$="/classify"] button`)),
		chromedp.WaitReady(chromedp.CSS(`#class[data-class="A"]`)),
		chromedp.Click(chromedp.CSS("#to-confirmed")),
		chromedp.Click(chromedp.CSS(`form[action$="/transition"] button[type=submit]`)),
		chromedp.WaitReady(chromedp.CSS(`#status-label[data-status="confirmed"]`)),
	)
	if got := vmtp.text("#status-label"); got != "Confirmed" {
		t.Errorf("status after confirming: %q (%s)", got, vmtp.text("main"))
	}
	if got := vmtp.text("#class"); got != "A" {
		t.Errorf("class after classifying: %q", got)
	}
	vmtp.screenshot("report.png")
	// No page needs a wide screen: on a phone's width nothing overflows
	// sideways.
	vmtp.do("narrow", chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#status-label")))
	if wide, err := chromedp.Run(vmtp.ctx, chromedp.Evaluate[bool]("document.documentElement.scrollWidth > window.innerWidth")); err != nil || wide {
		t.Errorf("the report page is wider than a phone's screen: %v, %v", wide, err)
	}
	vmtp.screenshot("report-narrow.png")
	vmtp.do("wide again", chromedp.EmulateViewport(1024, 900))
	vmtp.do("dashboard", chromedp.Navigate(e.srv.URL+"/reports"), chromedp.WaitVisible(chromedp.CSS("#results")))
	vmtp.screenshot("dashboard.png")

	intruder := e.person(t, chrome)
	intruder.login("other@example.org")
	resp, err := chromedp.Run(intruder.ctx, chromedp.NavigateResponse(e.srv.URL+reportPath))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 404 {
		t.Errorf("second reporter opening %s: %d, want 404", reportPath, resp.Status)
	}
	if strings.Contains(intruder.text("body"), "vsock") {
		t.Errorf("the 404 page shows the report")
	}
	intruder.do("search as the second reporter",
		chromedp.Navigate(e.srv.URL+"/reports?q=vsock+replay"),
		chromedp.WaitVisible(chromedp.CSS("#results")),
	)
	if n := intruder.count(".report[data-id]"); n != 0 || strings.Contains(intruder.text("main"), "vsock handshake") {
		t.Errorf("second reporter's search lists %d reports", n)
	}

	// The reporter is in Paris: times read in UTC, with their own beside.
	if _, err := chromedp.Call(reporter.ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Europe/Paris"}); err != nil {
		t.Fatal(err)
	}
	reporter.do("reload", chromedp.Navigate(e.srv.URL+reportPath), chromedp.WaitVisible(chromedp.CSS("#status-label")))
	if got := reporter.text("#status-label"); got != "Confirmed" {
		t.Errorf("the reporter sees status %q, want Confirmed", got)
	}
	// Beside it, the local date and time with the zone's name.
	if got := reporter.text("time[datetime] .local"); !strings.Contains(got, "Europe/Paris") || !regexp.MustCompile(`\d{2}:\d{2}`).MatchString(got) ||
		!regexp.MustCompile(`\b20\d\d\b`).MatchString(got) {
		t.Errorf("no local date and time with the zone's name beside the UTC one: %q", got)
	}
	if got := reporter.text("time[datetime]"); !strings.Contains(got, "UTC") {
		t.Errorf("time %q is not in UTC first", got)
	}
}
