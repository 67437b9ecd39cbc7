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

// status opens path and returns the status of its answer.
func (p *person) status(path string) int64 {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(p.base+path))
	if err != nil {
		p.t.Fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

// TestBrowserInboxes signs in a coordinator, a reviewer and a reporter in
// headless Chromium: each lands on their inbox, which lists the step that
// waits on them (triage, a fix to review, an approval) as the service's
// inbox says, and no private report of another reporter that they may
// not read (each listed report opens; those are a 404). Screenshots of the three inboxes go to testdata/artifacts.
func TestBrowserInboxes(t *testing.T) {
	browser := newChromium(t)
	ctx := context.Background()
	e := newEnv(t, "sqlite")
	up, series, _ := fixUpstream(t)
	e.setDeps(func(d *app.Deps) {
		d.Checker = &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"kata-containers": up}}
	})
	coord, _ := e.user("coord@example.org", vmt.RoleVMT)
	rev, _ := e.user("rev@example.org", vmt.RoleReviewer)
	rep, _ := e.user("rep@example.org", vmt.RoleReporter)
	other, _ := e.user("other@example.org", vmt.RoleReporter)
	for _, a := range []vmt.Actor{coord, rev, rep, other} {
		e.withPassword(a)
	}
	fixMust(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
	fixMust(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: rev.ID(), Role: vmt.MemberReviewer}))
	file := func(by vmt.Actor, title string) int64 {
		t.Helper()
		v, err := e.svc.CreateReport(ctx, by, vmt.ReportInput{Project: "kata-containers", Title: title, Description: "The agent trusts the guest.",
			Components: []string{"agent"}})
		fixMust(t, err)
		return v.ID
	}
	must := func(_ any, err error) {
		t.Helper()
		fixMust(t, err)
	}
	// The reporter's: confirmed, its impact description waits on their
	// approval (and the coordinator waits on it).
	approve := file(rep, "Vsock replay reaches the host agent")
	must(e.svc.Assign(ctx, coord, approve, coord.ID()))
	must(e.svc.Classify(ctx, coord, approve, "A"))
	must(e.svc.Transition(ctx, coord, approve, vmt.TransitionInput{To: vmt.StatusConfirmed}))
	impact := "A guest can replay a vsock handshake and talk to the host agent."
	must(e.svc.UpdateReport(ctx, coord, approve, vmt.ReportPatch{ImpactDescription: &impact}))
	// Another reporter's, new and private: it waits on the VMT's triage,
	// and neither the reporter nor the reviewer may read it.
	triage := file(other, "Secret shared-memory overflow")
	// Another reporter's, private, with a fix for the subscribed reviewer.
	review := file(other, "Secret 9p path traversal")
	must(e.svc.Assign(ctx, coord, review, coord.ID()))
	must(e.svc.Subscribe(ctx, coord, review, rev.ID()))
	must(e.svc.AttachFix(ctx, coord, review, vmt.FixInput{Branch: "main", Series: series}))

	titles := map[int64]string{approve: "Vsock replay reaches the host agent", triage: "Secret shared-memory overflow", review: "Secret 9p path traversal"}
	for _, c := range []struct {
		name   string
		who    vmt.Actor
		mine   int64   // the report of the step that waits on them
		unseen []int64 // private reports of others they may not read
	}{
		{"coordinator", coord, triage, nil},
		{"reviewer", rev, review, []int64{triage}},
		{"reporter", rep, approve, []int64{triage, review}},
	} {
		in, err := e.svc.Inbox(ctx, c.who)
		fixMust(t, err)
		p := e.person(t, browser)
		p.login(c.who.User.Email)
		p.do("the inbox is drawn", chromedp.WaitVisible(chromedp.CSS("body > footer")))
		if got := p.count(`#inbox-mine tr[data-report="` + itoa(c.mine) + `"]`); got < 1 {
			t.Errorf("%s: report #%d is not in what waits on them:\n%s", c.name, c.mine, p.text("main"))
		}
		if got, want := p.count("#inbox-mine tbody tr"), len(in.Mine); got != want {
			t.Errorf("%s: %d steps listed, the service's inbox has %d", c.name, got, want)
		}
		if got, want := p.count("#inbox-others tbody tr"), len(in.Others); got != want {
			t.Errorf("%s: %d waits listed, the service's inbox has %d", c.name, got, want)
		}
		for i, x := range in.Mine {
			row := `#inbox-mine tbody tr:nth-child(` + itoa(int64(i+1)) + `)`
			if got := p.text(row + " td:nth-child(3)"); got != x.Action {
				t.Errorf("%s: step %d is %q, the service says %q", c.name, i+1, got, x.Action)
			}
		}
		main := p.text("main")
		if !strings.Contains(main, titles[c.mine]) {
			t.Errorf("%s: the title of #%d is not shown", c.name, c.mine)
		}
		for _, id := range c.unseen {
			if strings.Contains(main, titles[id]) || p.count(`tr[data-report="`+itoa(id)+`"]`) != 0 {
				t.Errorf("%s: the inbox shows %q, another reporter's private report", c.name, titles[id])
			}
		}
		p.screenshot("inbox-" + c.name + ".png")
		// Every report listed is one they may open; the others' private
		// reports are a 404 to them.
		for _, x := range append(append([]vmt.InboxItem{}, in.Mine...), in.Others...) {
			if code := p.status("/reports/" + itoa(x.ReportID)); code != 200 {
				t.Errorf("%s: report #%d is in the inbox, and its page is a %d", c.name, x.ReportID, code)
			}
		}
		for _, id := range c.unseen {
			if code := p.status("/reports/" + itoa(id)); code != 404 {
				t.Errorf("%s: another reporter's private report #%d: %d, want 404", c.name, id, code)
			}
		}
	}
}
