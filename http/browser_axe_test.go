package http_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/vmtproject/vmt"
)

// axeEnv names the file axe-core's axe.min.js, which .ci/run installs
// from the npm registry at a pinned version outside the clone.
const axeEnv = "VMT_AXE_JS"

// axeSource reads axe-core. Without it the test is skipped, unless
// CI=true, where it fails (as a missing Chromium does).
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv(axeEnv)
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set; .ci/run installs axe-core with npm and sets it", axeEnv)
		}
		t.Skipf("%s is not set (npm install axe-core, then %s=.../node_modules/axe-core/axe.min.js); skipping", axeEnv, axeEnv)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v", axeEnv, err)
	}
	return string(b)
}

// axeResult is what the page's run of axe returns: the rules that
// passed, and each violation with its impact and the elements at fault.
type axeResult struct {
	Version    string   `json:"version"`
	Passes     []string `json:"passes"`
	Violations []struct {
		ID     string   `json:"id"`
		Impact string   `json:"impact"`
		Help   string   `json:"help"`
		Nodes  []string `json:"nodes"`
	} `json:"violations"`
}

// axeRun is the script run on each page once axe is loaded: WCAG 2.1 A
// and AA and the best practices, on the whole document.
const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(function (r) {
  return {version: axe.version, passes: r.passes.map(function (p) { return p.id; }),
    violations: r.violations.map(function (v) {
      return {id: v.id, impact: v.impact || "", help: v.help,
        nodes: v.nodes.map(function (n) { return n.target.join(" "); })};
    })};
})`

// keyboardCheck marks every element that takes the focus and can be
// seen (links, buttons, fields, summaries; not what a folded section
// holds), and reports those with a
// positive tabindex (which breaks the page's order) and the outline style
// each takes when focused (none: the focus cannot be seen).
const keyboardCheck = `(function () {
  var sel = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]';
  var els = Array.prototype.filter.call(document.querySelectorAll(sel), function (el) {
    // checkVisibility: not in a folded details element either, whose
    // content Tab skips until it is opened.
    return el.checkVisibility({visibilityProperty: true}) && el.tabIndex >= 0;
  });
  // A group of radio buttons is one stop of Tab (the arrows move in it).
  var positive = [], unseen = [], groups = {}, n = 0;
  els.forEach(function (el) {
    var g = el.type === "radio" && el.name ? (el.form ? el.form.action : "") + "#" + el.name : "";
    if (g && g in groups) {
      el.setAttribute("data-kb", groups[g]);
    } else {
      el.setAttribute("data-kb", String(n));
      if (g) groups[g] = String(n);
      n++;
    }
    if (el.tabIndex > 0) positive.push(el.outerHTML.slice(0, 80));
    el.focus();
    var cs = getComputedStyle(el);
    if (document.activeElement === el && (cs.outlineStyle === "none" || parseFloat(cs.outlineWidth) === 0) && cs.boxShadow === "none") unseen.push(el.outerHTML.slice(0, 80));
  });
  document.activeElement && document.activeElement.blur();
  window.scrollTo(0, 0);
  return {count: n, positive: positive, unseen: unseen};
})()`

type keyboardResult struct {
	Count    int      `json:"count"`
	Positive []string `json:"positive"`
	Unseen   []string `json:"unseen"`
}

// axeFigures add up the runs for the log.
type axeFigures struct {
	pages      int
	passed     int // rule passes, summed over the pages
	rules      map[string]bool
	byImpact   map[string]int
	focusables int
	times      int // time elements read as sent
}

// axePage is one page to check: who looks at it and where.
type axePage struct {
	who, name, path, ready string
	// act, unless nil, is done on the page before it is checked (a form
	// sent wrong, to check the page that says so).
	act []chromedp.Action[chromedp.Void]
}

// TestBrowserAccessibility runs axe-core (from the npm registry, through
// VMT_AXE_JS) in headless Chromium on every kind of page, public and
// signed in as each role that has pages of its own, and fails on a
// serious or critical violation, naming the rule, its impact and the
// elements. On the same pages: no positive tabindex, every focusable
// element shows its focus, and pressing Tab reaches every one of them
// in turn; and every time is written in the HTML as sent (in UTC), so
// that it reads without JavaScript. The figures go to the log.
func TestBrowserAccessibility(t *testing.T) {
	browser := newChromium(t)
	axe := axeSource(t)
	m := newMatrix(t, "sqlite")
	ctx := context.Background()
	d := m.docIn(richDoc("", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N"), true)
	id := m.report(false)
	_, err := m.svc.Classify(ctx, m.actors["vmt"], id, "A")
	noErr(t, err)
	_, err = m.svc.AddComment(ctx, m.actors["vmt"], id, "Confirmed on **3.2**; a fix is in review.")
	noErr(t, err)
	failedInvite(t, m.env, "lost@example.org")
	welcome := vmt.AccountLinkPath + "?token=" + m.inviteSecret("lost@example.org")
	people := map[string]*person{"anon": m.person(t, browser)}
	for _, who := range []string{"admin", "vmt", "own", "stk"} {
		m.withPassword(m.actors[who])
		people[who] = m.person(t, browser)
		people[who].login(m.actors[who].User.Email)
	}
	rid := "/reports/" + itoa(id)
	pages := []axePage{
		{"anon", "landing", "/", "main", nil},
		{"anon", "sign-in", "/login", "#email", nil},
		{"anon", "new report (signed out)", "/report", "#title", nil},
		{"anon", "advisories index", "/advisories", "main", nil},
		{"anon", "advisory page", "/advisories/" + d.ID.String(), "#adv-id", nil},
		{"anon", "disclosure policy", "/projects/kata-containers/policy", "main", nil},
		{"anon", "missing page", "/no-such-page", "main", nil},
		{"anon", "welcome (invitation link)", welcome, "main", nil},
		{"anon", "sign-in refused", "/login", ".error", []chromedp.Action[chromedp.Void]{
			chromedp.SendKeys(chromedp.CSS("#email"), "own@example.org"), chromedp.SendKeys(chromedp.CSS("#password"), "wrong"),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`))}},
		{"own", "inbox (reporter)", "/", "#inbox-mine", nil},
		{"own", "report page (reporter)", rid, "main h1", nil},
		{"own", "account", "/account", "main", nil},
		{"own", "notifications", vmt.NotificationsPath, "main", nil},
		{"stk", "reports list (stakeholder)", "/reports", "#results", nil},
		{"stk", "access request", rid + "/access", "main", nil},
		{"vmt", "inbox (VMT)", "/", "#inbox-mine", nil},
		{"vmt", "reports list", "/reports", "#results", nil},
		{"vmt", "report page (VMT)", rid, "main h1", nil},
		{"vmt", "report page of a published advisory (VMT)", "/reports/" + itoa(d.ReportID), "main h1", nil},
		{"vmt", "notice preview", rid + "/notice/preview", "main", nil},
		{"vmt", "new report (signed in)", "/report", "#title", nil},
		{"vmt", "two-factor sign-in", "/account/two-factor", "main", nil},
		{"vmt", "intake", "/projects/kata-containers/intake", "main", nil},
		{"admin", "inbox and setup (admin)", "/", "#inbox-mine", nil},
		{"admin", "users and roles", "/admin/users", "main h1", nil},
		{"admin", "projects", "/admin/projects", "main h1", nil},
		{"admin", "project settings", "/admin/projects/kata-containers", "main h1", nil},
		{"admin", "stakeholders", "/admin/stakeholders", "main h1", nil},
		{"admin", "outbox", "/admin/outbox", "#outbox-table", nil},
		{"admin", "audit log", "/admin/audit", "#audit-events", nil},
		{"admin", "templates", "/admin/projects/kata-containers/templates", "#templates-table", nil},
		{"admin", "template editor", "/admin/projects/kata-containers/templates/downstream-notification", "#template-preview", nil},
		{"admin", "template refused", "/admin/projects/kata-containers/templates/downstream-notification", "#template-problem", []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(chromedp.CSS("#template-text"), "{{.Reporter}}"), chromedp.Click(chromedp.CSS("#template-preview-button"))}},
		{"admin", "error page (a filter refused)", "/admin/audit?since=yesterday", "main", nil},
	}
	axeSelfTest(t, people["anon"], axe)
	fig := axeFigures{rules: map[string]bool{}, byImpact: map[string]int{}}
	for _, pg := range pages {
		p := people[pg.who]
		steps := append([]chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(1280, 900), focusEmulation, chromedp.Navigate(m.srv.URL + pg.path)}, pg.act...)
		p.do(pg.name, append(steps, chromedp.WaitVisible(chromedp.CSS(pg.ready)))...)
		if dir := os.Getenv("VMT_SCREENSHOTS"); dir != "" {
			axeScreenshot(t, p, filepath.Join(dir, "a11y-"+strings.NewReplacer(" ", "-", "(", "", ")", "").Replace(pg.name)))
		}
		// Folded sections are checked open: what they hold is on the
		// page too, a click away.
		if _, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](`(function () { var n = 0;
			document.querySelectorAll("details:not([open])").forEach(function (d) { d.open = true; n++; }); return n; })()`)); err != nil {
			t.Fatal(err)
		}
		res := runAxe(t, p, axe)
		fig.pages++
		fig.passed += len(res.Passes)
		for _, r := range res.Passes {
			fig.rules[r] = true
		}
		for _, v := range res.Violations {
			fig.byImpact[v.Impact]++
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf("%s (%s, as %s): axe %s, %s: %s; at %s", pg.name, pg.path, pg.who, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, " | "))
			} else {
				t.Logf("%s: axe %s (%s): %s; at %s", pg.name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, " | "))
			}
		}
		checkNarrow(t, p, pg)
		fig.focusables += checkKeyboard(t, p, pg)
		fig.times += checkTimesWithoutScript(t, m, pg)
	}
	var impacts []string
	for _, imp := range []string{"critical", "serious", "moderate", "minor"} {
		impacts = append(impacts, fmt.Sprintf("%s %d", imp, fig.byImpact[imp]))
	}
	var rules []string
	for r := range fig.rules {
		rules = append(rules, r)
	}
	sort.Strings(rules)
	t.Logf("axe-core rules passed on some page: %s", strings.Join(rules, " "))
	t.Logf("axe-core: %d pages checked, %d rule passes (%d distinct rules passed), violations by impact: %s; %d focusable elements reached by Tab; %d times readable without JavaScript",
		fig.pages, fig.passed, len(fig.rules), strings.Join(impacts, ", "), fig.focusables, fig.times)
}

// focusEmulation has the page behave as the window in front, with the
// focus: a headless browser's page otherwise never matches :focus.
func focusEmulation(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
	_, err := cdp.Call(ctx, t, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
	return chromedp.Void{}, err
}

// axeSelfTest runs axe on a page made to fail (a field without a label,
// grey on grey text, an image without a text): the run finds them with
// their impact, so a page passing says something.
func axeSelfTest(t *testing.T, p *person, axe string) {
	t.Helper()
	p.do("a page made to fail", chromedp.Navigate("about:blank"))
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	const bad = `document.documentElement.lang = "en"; document.title = "bad";
document.body.innerHTML = '<main><h1>Bad</h1><p style="color:#aaa;background:#bbb">faint</p><input type="text"><img src="data:,x"></main>'; true`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](bad)); err != nil {
		t.Fatal(err)
	}
	res := runAxe(t, p, axe)
	got := map[string]string{}
	for _, v := range res.Violations {
		got[v.ID] = v.Impact
	}
	for rule, impact := range map[string]string{"label": "critical", "color-contrast": "serious", "image-alt": "critical"} {
		if got[rule] != impact {
			t.Errorf("axe on a page made to fail: %s is %q, want %s (all: %v)", rule, got[rule], impact, got)
		}
	}
	t.Logf("axe-core %s: the page made to fail has %d violations %v", res.Version, len(res.Violations), got)
}

// axeScreenshot saves the page at 1280 and at 390 pixels wide (name-1280.png,
// name-390.png), for a person to look at.
func axeScreenshot(t *testing.T, p *person, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	for _, w := range []int64{390, 1280} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 844)); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if err := os.WriteFile(fmt.Sprintf("%s-%d.png", name, w), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// wideElements lists the outermost elements that reach past the right
// edge of the window: what makes a phone scroll the page sideways.
const wideElements = `(function () {
  var w = document.documentElement.clientWidth, sw = document.documentElement.scrollWidth, out = [];
  if (sw <= w) return out;
  document.querySelectorAll("body *").forEach(function (el) {
    var r = el.getBoundingClientRect(), p = el.parentElement.getBoundingClientRect();
    for (var a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return; // it scrolls in its own box
    }
    if (r.right > w + 1 && p.right <= w + 1 && out.length < 5) out.push(el.outerHTML.slice(0, 120));
  });
  return out.length ? out : ["the page is " + sw + " pixels wide, and no element reaches past the edge"];
})()`

// checkNarrow checks that the page fits a phone's width (390 pixels):
// a wide table scrolls in its own box, the page does not.
func checkNarrow(t *testing.T, p *person, pg axePage) {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](wideElements))
	if err != nil {
		t.Fatal(err)
	}
	if len(wide) > 0 {
		t.Errorf("%s: wider than a phone's 390 pixels, because of %q", pg.name, wide)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
}

// runAxe loads axe into the page (DevTools evaluation: the page's own
// Content-Security-Policy admits no other script) and runs it.
func runAxe(t *testing.T, p *person, axe string) axeResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+"\n;typeof axe === 'object'")); err != nil {
		t.Fatalf("loading axe: %v", err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("running axe: %v", err)
	}
	if res.Version == "" || len(res.Passes) == 0 {
		t.Fatalf("axe ran no rule: %+v", res)
	}
	return res
}

// checkKeyboard checks the focus on the page and then presses Tab until
// every focusable element was reached, in the document's order;
// it returns how many there are.
func checkKeyboard(t *testing.T, p *person, pg axePage) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	kb, err := chromedp.Run(ctx, chromedp.Evaluate[keyboardResult](keyboardCheck))
	cancel()
	if err != nil {
		t.Fatalf("%s: keyboard check: %v", pg.name, err)
	}
	for _, el := range kb.Positive {
		t.Errorf("%s: a positive tabindex breaks the order: %s", pg.name, el)
	}
	for _, el := range kb.Unseen {
		t.Errorf("%s: focus is not visible on %s", pg.name, el)
	}
	reached := map[string]bool{}
	var order []int
	// Chromium also stops on scrolled boxes (a wide table, a long
	// document) and on the window itself: a few more presses than there
	// are elements.
	var seen []string
	for i := 0; i < 2*kb.Count+10 && len(reached) < kb.Count; i++ {
		// A time limit per press: a page has a hundred of them, on a
		// busy machine.
		pctx, pcancel := context.WithTimeout(p.ctx, stepTimeout)
		if err := chromedp.Do(pctx, chromedp.KeyEvent("\t")); err != nil {
			t.Fatal(err)
		}
		at, err := chromedp.Run(pctx, chromedp.Evaluate[string](`document.activeElement ? (document.activeElement.getAttribute("data-kb") || document.activeElement.tagName) : ""`))
		pcancel()
		if err != nil {
			t.Fatal(err)
		}
		seen = append(seen, at)
		if at != "" && (at[0] < '0' || at[0] > '9') {
			continue
		}
		if at != "" && !reached[at] {
			reached[at] = true
			var n int
			fmt.Sscan(at, &n)
			order = append(order, n)
		}
	}
	if len(reached) < kb.Count {
		ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
		defer cancel()
		missed, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.prototype.filter.call(document.querySelectorAll("[data-kb]"),
			function (el) { return !(`+jsSet(reached)+`)[el.getAttribute("data-kb")]; }).map(function (el) { return el.outerHTML.slice(0, 100); })`))
		t.Errorf("%s: Tab reached %d of %d focusable elements; not %q (%v); went %v", pg.name, len(reached), kb.Count, missed, err, seen)
	}
	if !sort.IntsAreSorted(order) {
		t.Errorf("%s: Tab does not follow the document's order: %v", pg.name, order)
	}
	return kb.Count
}

// jsSet writes a set of strings as a JavaScript object literal.
func jsSet(m map[string]bool) string {
	var parts []string
	for k := range m {
		parts = append(parts, jsString(k)+": true")
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

var utcTimeRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}( \d{2}:\d{2} UTC)?$`)

// checkTimesWithoutScript reads the page as sent, before any script:
// every time element holds its time in words (UTC), not only in its
// datetime attribute for a script to write out.
func checkTimesWithoutScript(t *testing.T, m *matrix, pg axePage) int {
	t.Helper()
	b := m.browser()
	if pg.who != "anon" {
		b.login(m.actors[pg.who].User.Email)
	}
	got := b.get(pg.path)
	n := 0
	got.doc.Find("time").Each(func(_ int, s *goquery.Selection) {
		n++
		if txt := strings.TrimSpace(s.Text()); !utcTimeRE.MatchString(txt) {
			t.Errorf("%s: a time reads %q without JavaScript (datetime %q)", pg.name, txt, s.AttrOr("datetime", ""))
		}
	})
	return n
}
