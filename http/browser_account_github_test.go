package http_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vmtproject/vmt"
)

// TestBrowserAccountGitHubLogin: an administrator sets their GitHub login
// on the account page in headless Chromium and reads it back (no one else
// may: ui_account_test.go). A screenshot goes to testdata/artifacts.
func TestBrowserAccountGitHubLogin(t *testing.T) {
	browser := newChromium(t)
	e := newEnv(t, "sqlite")
	u, _ := e.user("adm@example.org", vmt.RoleAdmin)
	e.withPassword(u)
	p := e.person(t, browser)
	p.login("adm@example.org")
	p.do("set the login",
		chromedp.Navigate(p.base+"/account#github-login"),
		chromedp.SendKeys(chromedp.CSS("#github-login-text"), "octocat"),
		chromedp.Click(chromedp.CSS("#github-login-save")),
		chromedp.WaitVisible(chromedp.CSS("#github-login-remove")),
	)
	if got := p.text("#github-login-state"); got != "Linked: @octocat." {
		t.Errorf("state %q", got)
	}
	p.screenshot("account-github-login.png")
}
