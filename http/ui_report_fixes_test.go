package http_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/gitrepo"
)

// fixUpstream is a real repository with main and stable-3.2, and a series
// that applies to both. git runs in it with a fixed identity.
func fixUpstream(t *testing.T) (dir, series string, git func(...string) string) {
	dir = filepath.Join(t.TempDir(), "up")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	git = func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
			"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.org", "GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.org"}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, "agent.go"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("init", "-q", "-b", "main")
	write("1\n2\n3\n4\n5\n6\n7\n8\n")
	git("add", ".")
	git("commit", "-qm", "base")
	git("branch", "stable-3.2")
	write("1\n2\n3\nfour\n5\n6\n7\n8\n")
	git("commit", "-qam", "agent: bound the copy")
	series = git("format-patch", "--stdout", "HEAD~1") + "\n"
	git("reset", "-q", "--hard", "HEAD~1")
	return dir, series, git
}

// The fixes section of the report page, with real git: per branch the
// version, review and merge state; a branch deleted upstream is an error
// text, not a failed page; what lacks approval is named, a coordinator can
// waive it with the form, and a held disclosure is shown. The private
// patches are not in the 404 page an outsider gets. A public report shows
// its pull request link, not tracked without a commit.
func TestUIFixMatrix(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		e := newEnv(t, engine)
		up, series, git := fixUpstream(t)
		checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"kata-containers": up}}
		e.setDeps(func(d *app.Deps) { d.Checker, d.Tracker = checker, &gitrepo.Merges{Checker: checker} })
		coord, cb := e.signedIn("coord@example.org", vmt.RoleVMT)
		rev, _ := e.user("rev@example.org", vmt.RoleReviewer)
		_, ob := e.signedIn("out@example.org", vmt.RoleReporter)
		for _, m := range []vmt.Member{{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}, {ProjectID: e.proj.ID, UserID: rev.ID(), Role: vmt.MemberReviewer}} {
			fixMust(t, e.svc.SetMember(ctx, e.admin, m))
		}
		r, err := e.svc.CreateReport(ctx, coord, vmt.ReportInput{Project: "kata-containers", Title: "Agent overflow", Description: "It overflows."})
		fixMust(t, err)
		_, err = e.svc.Subscribe(ctx, coord, r.ID, rev.ID())
		fixMust(t, err)
		var fixes []*vmt.Fix
		for _, b := range []string{"main", "stable-3.2"} {
			f, err := e.svc.AttachFix(ctx, coord, r.ID, vmt.FixInput{Branch: b, Series: series})
			fixMust(t, err)
			fixes = append(fixes, f)
		}
		_, err = e.svc.ReviewFix(ctx, rev, fixes[0].ID, vmt.ReviewInput{Review: vmt.ReviewApproved})
		fixMust(t, err)
		// The fix lands on main; stable-3.2 is deleted upstream.
		patch := filepath.Join(t.TempDir(), "fix.patch")
		fixMust(t, os.WriteFile(patch, []byte(series), 0o644))
		git("am", "-q", patch)
		git("branch", "-D", "stable-3.2")
		fixMust(t, e.svc.TrackFixes(ctx))

		path := "/reports/" + itoa(r.ID)
		p := cb.get(path)
		if p.status != http.StatusOK {
			t.Fatalf("report page: %d", p.status)
		}
		checkLabels(t, "report page with fixes", p)
		row := func(p *page, branch, cell string) string {
			return strings.TrimSpace(p.doc.Find(`#fix-matrix tr[data-branch="` + branch + `"] td.` + cell).Text())
		}
		for _, c := range []struct{ branch, cell, want string }{
			{"main", "version", "v1"}, {"main", "review", "approved"}, {"main", "merge", "merged"},
			{"main", "fix", "agent: bound the copy"},
			{"stable-3.2", "review", "pending review"},
			{"stable-3.2", "merge", "error: branch stable-3.2 is not in the repository (deleted upstream?)"},
		} {
			if got := row(p, c.branch, c.cell); !strings.Contains(got, c.want) {
				t.Errorf("%s %s: %q, want %q", c.branch, c.cell, got, c.want)
			}
		}
		if got := p.doc.Find("#fixes-missing").Text(); !strings.Contains(got, "stable-3.2") || strings.Contains(got, "main,") {
			t.Errorf("missing approvals: %q", got)
		}
		if ob.get(path).status != http.StatusNotFound || strings.Contains(ob.get(path).body, "bound the copy") {
			t.Error("an outsider sees the private report's fixes")
		}

		// The coordinator waives stable-3.2 from the page.
		after := cb.post(path+"/fixes/waive", url.Values{"branch": {"stable-3.2"}, "reason": {"stable-3.2 reaches its end of life on Friday"}})
		if after.status != http.StatusOK || !strings.Contains(after.doc.Find(".flash, .notice, [role=status]").Text()+after.body, "Waiver recorded for branch stable-3.2") {
			t.Fatalf("waiver form: %d", after.status)
		}
		if got := row(after, "stable-3.2", "waiver"); got != "stable-3.2 reaches its end of life on Friday" {
			t.Errorf("waiver cell: %q", got)
		}
		if after.doc.Find("#fixes-missing").Length() != 0 {
			t.Error("still missing approvals after the waiver")
		}
		again := cb.post(path+"/fixes/waive", url.Values{"branch": {"stable-3.2"}, "reason": {"again"}})
		if !strings.Contains(again.body, "already waived") {
			t.Error("a second waiver of stable-3.2 is not refused on the page")
		}

		// The reviewer reads the patch and approves stable-3.2 from the page.
		e.withPassword(rev)
		rb := e.browser()
		rb.login("rev@example.org")
		patchPath := path + "/fixes/" + itoa(fixes[1].ID) + "/patch"
		pp := rb.get(patchPath)
		if pp.status != http.StatusOK || !strings.Contains(pp.body, "Subject: [PATCH] agent: bound the copy") {
			t.Fatalf("patch as the reviewer: %d", pp.status)
		}
		resp, err := rb.c.Get(rb.base + patchPath)
		fixMust(t, err)
		resp.Body.Close()
		if ct, cd := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"); ct != "text/plain; charset=utf-8" ||
			cd != `inline; filename="vmt-`+itoa(r.ID)+`-stable-3.2-v1.patch"` {
			t.Errorf("patch headers: %q, %q", ct, cd)
		}
		for name, b := range map[string]*browser{"outsider": ob, "anonymous": e.browser()} {
			if p := b.get(patchPath); p.status != http.StatusNotFound || strings.Contains(p.body, "bound the copy") {
				t.Errorf("the patch as %s: %d", name, p.status)
			}
			if p := b.post(path+"/fixes/"+itoa(fixes[1].ID)+"/review", url.Values{"review": {"approved"}}); p.status != http.StatusNotFound {
				t.Errorf("a review as %s: %d", name, p.status)
			}
		}
		if ob.get("/reports/"+itoa(r.ID)+"/fixes/"+itoa(fixes[0].ID)+"/patch").status != http.StatusNotFound {
			t.Error("outsider reads a patch")
		}
		if rp := rb.get(path); rp.doc.Find(`form[action$="/fixes/`+itoa(fixes[1].ID)+`/review"]`).Length() != 1 {
			t.Error("no review form for the reviewer")
		}
		if ob.get(path).doc.Find(".review-form").Length() != 0 {
			t.Error("review forms offered to an outsider")
		}
		reviewed := rb.post(path+"/fixes/"+itoa(fixes[1].ID)+"/review", url.Values{"review": {"approved"}, "note": {"LGTM"}})
		if got := row(reviewed, "stable-3.2", "review"); got != "approved" || !strings.Contains(reviewed.body, "Version 1 for stable-3.2: approved.") {
			t.Errorf("after the reviewer's approval: %q", got)
		}
		if bad := rb.post(path+"/fixes/"+itoa(fixes[1].ID)+"/review", url.Values{"review": {"merged"}}); !strings.Contains(bad.body, "is not a verdict") {
			t.Error("a bad verdict is not refused on the page")
		}

		// A held disclosure, as the worker records it, is shown.
		fixMust(t, e.svc.Deps().Store.Update(ctx, func(tx vmt.Tx) error {
			return tx.HoldDisclosure(&vmt.DisclosureHold{ReportID: r.ID, Branches: []string{"stable-3.2"}, HeldAt: time.Now().UTC().Truncate(time.Microsecond)})
		}))
		if got := cb.get(path).doc.Find("#disclosure-held").Text(); !strings.Contains(got, "stable-3.2") || !strings.Contains(got, "still private") {
			t.Errorf("held disclosure: %q", got)
		}

		pub, err := e.svc.CreateReport(ctx, coord, vmt.ReportInput{Project: "kata-containers", Title: "Public hardening", Description: "Public."})
		fixMust(t, err)
		_, err = e.svc.MakePublic(ctx, coord, pub.ID, "hardening")
		fixMust(t, err)
		_, err = e.svc.AttachFix(ctx, coord, pub.ID, vmt.FixInput{Branch: "main", URL: "https://github.com/kata-containers/kata-containers/pull/1"})
		fixMust(t, err)
		pp = e.browser().get("/reports/" + itoa(pub.ID)) // anonymous
		if href, _ := pp.doc.Find(`#fix-matrix tr[data-branch="main"] td.fix a`).Attr("href"); href != "https://github.com/kata-containers/kata-containers/pull/1" {
			t.Errorf("pull request link: %q", href)
		}
		if got := row(pp, "main", "merge"); got != "not tracked (no commit recorded)" {
			t.Errorf("a link without a commit: %q", got)
		}
		if pp.doc.Find("#waive, #fix-link").Length() != 0 {
			t.Error("the waiver or link form is offered on a public report to an anonymous visitor")
		}
		if cb.get(path).doc.Find("#fix-link").Length() != 0 {
			t.Error("the link form is offered on a private report")
		}
		// The coordinator records the merged commit of a stable-3.2 pull
		// request from the page; a bad commit is refused with the field.
		pubPath := "/reports/" + itoa(pub.ID)
		bad := cb.post(pubPath+"/fixes/link", url.Values{"branch": {"stable-3.2"}, "url": {"https://github.com/k/k/pull/2"}, "commit": {"1234"}})
		if !strings.Contains(bad.body, "not a full commit hash") {
			t.Error("a short commit is not refused on the page")
		}
		commit := strings.Repeat("c", 40)
		ok := cb.post(pubPath+"/fixes/link", url.Values{"branch": {"stable-3.2"}, "url": {"https://github.com/k/k/pull/2"}, "commit": {commit}})
		if !strings.Contains(ok.body, "Pull request recorded for stable-3.2") || !strings.Contains(row(ok, "stable-3.2", "fix"), commit) {
			t.Errorf("after recording a link: %q", row(ok, "stable-3.2", "fix"))
		}
		checkLabels(t, "public report with the link form", ok)
	})
}

func fixMust(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
