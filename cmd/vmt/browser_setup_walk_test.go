package main

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/vmtproject/vmt/smtp/smtptest"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

const chromiumPath = "/usr/bin/chromium"

// tab is one person's headless Chromium, with its own profile.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func newTab(t *testing.T, base string) *tab {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing", chromiumPath)
		}
		t.Skipf("%s is missing; skipping the browser test", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-extensions", true),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return &tab{t: t, ctx: ctx, base: base}
}

func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// run runs one action that returns a value.
func tabRun[T any](b *tab, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(tabRun(b, "text of "+sel, chromedp.TextContent(chromedp.CSS(sel))))
}

func (b *tab) count(sel string) int {
	b.t.Helper()
	return tabRun(b, "count "+sel, chromedp.Evaluate[int]("document.querySelectorAll("+quoteJS(sel)+").length"))
}

func quoteJS(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

func (b *tab) open(path, ready string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitVisible(chromedp.CSS(ready)))
}

// submit does the steps that fill a form, clicks button and waits for
// the page the form leads to, whose message must be no refusal; it
// returns the message.
func (b *tab) submit(what, button string, fill ...chromedp.Action[chromedp.Void]) string {
	b.t.Helper()
	// The message of the page before is gone first, so that the wait
	// below is for the next page's.
	tabRun(b, what+": clear", chromedp.Evaluate[bool](`document.querySelectorAll('main > p.flash, main > p.error').forEach(e => e.remove()); true`))
	steps := append(fill, chromedp.Click(chromedp.CSS(button)), chromedp.WaitVisible(chromedp.CSS(`main > p.flash, main > p.error`)))
	b.do(what, steps...)
	if n := b.count(`main > p.error`); n != 0 {
		b.t.Fatalf("%s: refused: %s", what, b.text(`main > p.error`))
	}
	return b.text(`main > p.flash`)
}

// shoot saves the page at 1280 and 390 pixels wide as NAME-1280.png and
// NAME-390.png, and checks that nothing overflows sideways at 390.
func (b *tab) shoot(name string) {
	b.t.Helper()
	dir := filepath.Join("testdata", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	for _, w := range []int64{1280, 390} {
		b.do("viewport for "+name, chromedp.EmulateViewport(w, 900), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("main")))
		if _, err := chromedp.Call(b.ctx, cdppage.BringToFront, cdp.Empty{}); err != nil {
			b.t.Fatalf("bring to front: %v", err)
		}
		if tabRun(b, "width", chromedp.Evaluate[bool]("document.documentElement.scrollWidth > window.innerWidth")) {
			b.t.Errorf("%s is wider than %d pixels", name, w)
		}
		png := tabRun(b, "screenshot "+name, chromedp.FullScreenshot(100))
		if err := os.WriteFile(filepath.Join(dir, name+"-"+strconv.FormatInt(w, 10)+".png"), png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
	b.do("back to 1280", chromedp.EmulateViewport(1280, 900))
}

// mailedLink is the path and query of the last one-time link the relay
// carried to addr.
func mailedLink(t *testing.T, relay *smtptest.Server, addr string) string {
	t.Helper()
	re := regexp.MustCompile(`https?://[^\s"]+/welcome\?token=vmtl_[a-z2-7]+`)
	var link string
	waitFor(t, "the invitation to "+addr, func() bool {
		for _, m := range relay.Messages() {
			if strings.Contains(strings.Join(m.To, ","), addr) {
				if l := re.FindString(mailText(t, m.Data)); l != "" {
					link = l
				}
			}
		}
		return link != ""
	})
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.RequestURI()
}

// TestBrowserSetupToNotice: a fresh install set up from the pages alone,
// and a case walked from the report form to the notice in them, on a real
// `vmt serve` with a signing key, a relay and a repository, on both
// engines, with not one API call: the administrator signs in by the one-time link the first
// start prints; the setup checklist on the first page links to the pages
// that mend it; the branches and a notice list are set on the project's
// page, three stakeholders added with their keys (one uploaded as a file,
// two pasted), a coordinator and a committee member invited, who take
// the mailed link and set their password; the checklist is then gone, and
// the coordinator gets 404 for the administration pages. A
// reporter files through the report form, the coordinator triages, both
// approve the impact description, the CVE is requested, a waiver given
// and the notice sent, which reaches each stakeholder encrypted and the
// list signed through the relay. Each administration page is shot at
// 1280 and 390 pixels.
func TestBrowserSetupToNotice(t *testing.T) {
	bin := buildVMT(t)
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) { browserSetupToNotice(t, bin, engine) })
	}
}

func browserSetupToNotice(t *testing.T, bin, engine string) {
	relay := smtptest.Start(t, smtptest.Options{})
	keyFile := filepath.Join(t.TempDir(), "vmt.sec.asc")
	if err := os.WriteFile(keyFile, secretKey(t), 0o600); err != nil {
		t.Fatal(err)
	}
	repo := newWalkRepo(t)
	var env []string
	if dsn := sqldbtest.DSN(t, engine); sqldb.IsPostgres(dsn) {
		env = append(env, "VMT_DATABASE="+dsn)
	}
	srv := startServe(t, bin, env, "--data", filepath.Join(t.TempDir(), "d"), "--signing-key", keyFile,
		"--smtp-addr", relay.Addr, "--smtp-security", "plain", "--mail-from", "Kata VMT <vmt@example.org>",
		"--worker-poll", "50ms", "--repo", "kata-containers="+repo.dir)
	linkRE := regexp.MustCompile(`https?://[^\s"]+/welcome\?token=vmtl_[a-z2-7]+`)
	var printed string
	waitFor(t, "the sign-in link on stderr", func() bool { printed = linkRE.FindString(srv.log.String()); return printed != "" })
	u, err := url.Parse(printed)
	if err != nil {
		t.Fatal(err)
	}

	// The administrator: the printed link, then the checklist.
	admin := newTab(t, srv.url)
	shoot := func(name string) { // of one engine's run: the pages are the same
		if engine == sqldbtest.Engines()[0] {
			admin.shoot(name)
		}
	}
	admin.do("the printed link",
		chromedp.Navigate(srv.url+u.RequestURI()), chromedp.WaitVisible(chromedp.CSS("#welcome-set")),
		chromedp.SendKeys(chromedp.CSS("#password"), "the administrator's password"),
		chromedp.SendKeys(chromedp.CSS("#password_again"), "the administrator's password"),
		chromedp.Click(chromedp.CSS("#welcome-set")),
		chromedp.WaitVisible(chromedp.CSS("#setup")))
	shoot("admin-home")
	for _, w := range []string{`#setup li.missing[data-check="stakeholders"] a[href="/admin/stakeholders"]`,
		`#setup li.missing[data-check="branches"] a[href="/admin/projects/kata-containers#settings"]`,
		`#setup li.done[data-check="repository"]`, `#setup li.done[data-check="signing_key"]`, `#admin-links a[href="/admin/users"]`} {
		if admin.count(w) != 1 {
			t.Errorf("the first page lacks %s:\n%s", w, admin.text("#setup"))
		}
	}
	admin.do("follow the branches entry",
		chromedp.Click(chromedp.CSS(`#setup li[data-check="branches"] a`)), chromedp.WaitVisible(chromedp.CSS("#settings-branches")))
	msg := admin.submit("set the branches", "#settings-save",
		chromedp.SetValue(chromedp.CSS("#settings-branches"), "main, stable-1"))
	if !strings.Contains(msg, "main, stable-1") {
		t.Errorf("after setting the branches: %q", msg)
	}
	admin.submit("add a notice list", "#list-add",
		chromedp.SendKeys(chromedp.CSS("#list-name"), "embargo"),
		chromedp.SendKeys(chromedp.CSS("#list-address"), "embargo@lists.example"),
		chromedp.SetValue(chromedp.CSS("#list-rules"), "private"))
	if admin.count(`#notice-lists li[data-list="embargo"]`) != 1 {
		t.Errorf("the notice list is not shown: %s", admin.text("#notice-lists"))
	}
	shoot("admin-project")

	// Three stakeholders with their keys: the first as a file.
	admin.do("follow the stakeholders entry", chromedp.Navigate(srv.url+"/"),
		chromedp.Click(chromedp.CSS(`#setup li[data-check="stakeholders"] a`)), chromedp.WaitVisible(chromedp.CSS("#sh-organisation")))
	stakeholders := []string{"sec@distro.example", "psirt@cloud.example", "security@vendor.example"}
	for i, addr := range stakeholders {
		key := armoredKey(t, newEntity(t, "Stakeholder", addr), false)
		fill := []chromedp.Action[chromedp.Void]{
			chromedp.SendKeys(chromedp.CSS("#sh-organisation"), []string{"Distro", "Cloud", "Vendor"}[i]),
			chromedp.SendKeys(chromedp.CSS("#sh-contacts"), addr),
		}
		if i == 0 {
			fill = append(fill, chromedp.SetUploadFiles(chromedp.CSS("#sh-key-file"), []string{writeFile(t, "distro.asc", key)}))
		} else {
			fill = append(fill, chromedp.SetValue(chromedp.CSS("#sh-key"), key))
		}
		if msg := admin.submit("add stakeholder "+addr, "#stakeholder-add", fill...); !strings.Contains(msg, "notices encrypted to") {
			t.Errorf("adding %s: %q", addr, msg)
		}
	}
	if n := admin.count(`#registry tr[data-stakeholder] code.fpr`); n != 3 {
		t.Errorf("%d stakeholders with a key listed, want 3", n)
	}
	shoot("admin-stakeholders")
	admin.do("open a stakeholder", chromedp.Click(chromedp.CSS(`#registry tr[data-stakeholder="Vendor"] a`)), chromedp.WaitVisible(chromedp.CSS("#stakeholder-save")))
	shoot("admin-stakeholder")

	// The people: invited, then members of the project.
	admin.open("/admin/users", "#invite-email")
	for _, p := range []struct{ addr, role string }{{"vera@example.org", "vmt"}, {"carl@example.org", "committee"}} {
		admin.submit("invite "+p.addr, "#invite-send",
			chromedp.SendKeys(chromedp.CSS("#invite-email"), p.addr),
			chromedp.SetValue(chromedp.CSS("#invite-role"), p.role))
	}
	if got := admin.text(`tr[data-user="vera@example.org"] .user-state`); !strings.HasPrefix(got, "Invited") {
		t.Errorf("vera's state: %q", got)
	}
	shoot("admin-users")
	admin.open("/admin/projects/kata-containers", "#member-email")
	for _, p := range []struct{ addr, role string }{{"vera@example.org", "vmt"}, {"carl@example.org", "committee"}} {
		admin.submit("make "+p.addr+" a member", "#member-add",
			chromedp.SendKeys(chromedp.CSS("#member-email"), p.addr),
			chromedp.SetValue(chromedp.CSS("#member-role"), p.role))
	}
	admin.open("/admin/projects", "#project-name")
	shoot("admin-projects")
	admin.open("/", "#inbox-mine")
	if admin.count("#setup") != 0 {
		t.Errorf("the checklist is still there after the set-up:\n%s", admin.text("#setup"))
	}

	// The invited take their mailed links.
	people := map[string]*tab{}
	for _, addr := range []string{"vera@example.org", "carl@example.org"} {
		b := newTab(t, srv.url)
		b.do("the invitation's link of "+addr,
			chromedp.Navigate(srv.url+mailedLink(t, relay, addr)), chromedp.WaitVisible(chromedp.CSS("#welcome-set")),
			chromedp.SendKeys(chromedp.CSS("#password"), "the password of "+addr),
			chromedp.SendKeys(chromedp.CSS("#password_again"), "the password of "+addr),
			chromedp.Click(chromedp.CSS("#welcome-set")),
			chromedp.WaitVisible(chromedp.CSS("#inbox-mine")))
		people[addr] = b
	}
	vera, carl := people["vera@example.org"], people["carl@example.org"]
	if vera.count(`a[href="/admin/users"]`) != 0 {
		t.Error("the coordinator's first page links to the administration")
	}
	for _, path := range []string{"/admin/users", "/admin/projects/kata-containers", "/admin/stakeholders"} {
		resp := tabRun(vera, "the coordinator opens "+path, chromedp.NavigateResponse(srv.url+path))
		if resp.Status != 404 || strings.Contains(vera.text("main"), "vendor.example") {
			t.Errorf("the coordinator opens %s: %d", path, resp.Status)
		}
	}

	// The case.
	ada := newTab(t, srv.url)
	ada.do("the report form",
		chromedp.Navigate(srv.url+"/report"), chromedp.WaitVisible(chromedp.CSS("#private-notice")),
		chromedp.SendKeys(chromedp.CSS("#email"), "ada@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), "the reporter's password"),
		chromedp.SendKeys(chromedp.CSS("#title"), "Agent opens any host path"),
		chromedp.SendKeys(chromedp.CSS("#description"), "A guest names a host path."),
		chromedp.SendKeys(chromedp.CSS("#components"), "agent"),
		chromedp.Click(chromedp.CSS(`form[action="/report"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#status-label")))
	lu, _ := url.Parse(tabRun(ada, "where", chromedp.Location()))
	report := lu.Path
	vera.open(report, "#class-select")
	vera.submit("classify", `form[action$="/classify"] button`, chromedp.SetValue(chromedp.CSS("#class-select"), "A"))
	// The page offers each step's actions at that step: the impact
	// description once the report is confirmed, the CVE id once triaged.
	vera.submit("confirm", `form[action$="/transition"] button[type=submit]`, chromedp.Click(chromedp.CSS("#to-confirmed")))
	vera.submit("the impact description", `form[action$="/impact"] button`,
		chromedp.SetValue(chromedp.CSS("#impact_description"), "A guest can open any host path through the agent."))
	for name, b := range map[string]*tab{"the reporter": ada, "the committee": carl} {
		b.open(report, "#approve-impact")
		b.submit(name+" approves", "#approve-impact")
	}
	vera.open(report, "#status-label")
	if vera.count(`#status-label[data-status="triaged"]`) != 1 {
		t.Errorf("after both approvals: %s", vera.text("#status-label"))
	}
	vera.submit("the CVE id", `form[action$="/cves"] button`, chromedp.SetValue(chromedp.CSS("#cves"), "CVE-2026-4343"))
	vera.submit("the CVE request", `form[action$="/cve-request"] button`)
	if vera.count(`#status-label[data-status="in_progress"]`) != 1 {
		vera.submit("to In Progress", `form[action$="/transition"] button[type=submit]`, chromedp.Click(chromedp.CSS("#to-in_progress")))
	}
	vera.submit("the waiver", `form[action$="/fixes/waive"] button`,
		chromedp.Click(chromedp.CSS("#waive summary")),
		chromedp.SendKeys(chromedp.CSS("#waive-reason"), "the fix ships with the advisory"))
	msg = vera.submit("the notice", `form[action$="/notice"] button`)
	if !strings.Contains(vera.text("#status-label"), "Fix committed") {
		t.Errorf("after the notice (%q) the report is at %q", msg, vera.text("#status-label"))
	}
	for _, addr := range stakeholders {
		waitFor(t, "the notice to "+addr, func() bool { return countTo(relay, addr, "multipart/encrypted") == 1 })
	}
	waitFor(t, "the notice to the list", func() bool { return countTo(relay, "embargo@lists.example", "multipart/signed") == 1 })
	srv.stop(t)
}
