package http_test

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/gitrepo"
)

// The report page shows its coordinator the likely duplicates, with why,
// and the reporter's record, and marks a duplicate from the list in one
// action; the reporter sees no such section (it names other private
// reports), and once marked the page says whose duplicate it is.
func TestReportPageLikelyDuplicates(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		e := newEnv(t, engine)
		coord, _ := e.user("coord@example.org", vmt.RoleVMT)
		e.withPassword(coord)
		fixMust(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
		cb := e.browser()
		cb.login("coord@example.org")
		rep, rb := e.signedIn("rep@example.org", vmt.RoleReporter)
		orig, err := e.svc.CreateReport(ctx, coord, vmt.ReportInput{Project: "kata-containers", Title: "Agent follows symlinks out of the shared directory",
			Description: "The agent follows a symlink in the shared directory and writes on the host."})
		fixMust(t, err)
		_, err = e.svc.CreateReport(ctx, coord, vmt.ReportInput{Project: "kata-containers", Title: "Guest kernel panics on a large balloon",
			Description: "Inflating the memory balloon past the guest's memory panics its kernel."})
		fixMust(t, err)
		dup, err := e.svc.CreateReport(ctx, rep, vmt.ReportInput{Project: "kata-containers", Title: "Symlink in the shared folder lets the agent write on the host",
			Description: "A symlink placed in the shared folder makes the agent write files on the host.", Credit: "Rita Rep"})
		fixMust(t, err)
		path := "/reports/" + itoa(dup.ID)

		p := cb.get(path)
		items := p.doc.Find("#triage #similar li")
		if p.status != http.StatusOK || items.Length() == 0 {
			t.Fatalf("report page %d: %d likely duplicates", p.status, items.Length())
		}
		if id, _ := items.First().Attr("data-report"); id != itoa(orig.ID) || !strings.Contains(items.First().Text(), "words in common") {
			t.Errorf("the first likely duplicate is #%s: %q", id, items.First().Text())
		}
		if rec := p.doc.Find("#reporter-record").Text(); !strings.Contains(rec, "1 sent") {
			t.Errorf("reporter's record: %q", rec)
		}
		if q := rb.get(path); q.status != http.StatusOK || q.doc.Find("#triage").Length() != 0 || strings.Contains(q.body, "Guest kernel panics") {
			t.Errorf("the reporter's page (%d) shows the triage section or another report", q.status)
		}

		after := cb.post(path+"/duplicate", url.Values{"of": {itoa(orig.ID)}})
		if after.status != http.StatusOK {
			t.Fatalf("mark duplicate from the page: %d\n%s", after.status, after.body)
		}
		p = cb.get(path)
		if of, _ := p.doc.Find("#duplicate-of").Attr("data-of"); of != itoa(orig.ID) || p.doc.Find("#triage").Length() != 0 {
			t.Errorf("after marking: duplicate-of %q, triage sections %d", of, p.doc.Find("#triage").Length())
		}
		o, err := e.svc.Report(ctx, coord, orig.ID)
		fixMust(t, err)
		if !strings.Contains(o.Credit, "Rita Rep (also found it, report #"+itoa(dup.ID)+")") {
			t.Errorf("the original's credit: %q", o.Credit)
		}
		// A refusal is the page's message, saying why.
		if bad := cb.post(path+"/duplicate", url.Values{"of": {"seven"}}); !strings.Contains(bad.body, "Not done") || !strings.Contains(bad.body, "not a report number") {
			t.Errorf("a bad number: %d, no message saying why", bad.status)
		}
	})
}

// A report with a patch attached is matched with reports whose patches
// touch the same files: found by its words, the candidate ranks by the
// files both patches change too, and says so.
func TestSimilarByPatch(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		e := newEnv(t, engine)
		up, series, _ := fixUpstream(t)
		checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"kata-containers": up}}
		e.setDeps(func(d *app.Deps) { d.Checker = checker })
		coord, _ := e.user("coord@example.org", vmt.RoleVMT)
		fixMust(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
		mk := func(title, desc string, patched bool) int64 {
			r, err := e.svc.CreateReport(ctx, coord, vmt.ReportInput{Project: "kata-containers", Title: title, Description: desc})
			fixMust(t, err)
			if patched {
				_, err = e.svc.AttachFix(ctx, coord, r.ID, vmt.FixInput{Branch: "main", Series: series})
				fixMust(t, err)
			}
			return r.ID
		}
		// The two share one word and their patch; the third the word only.
		withPatch := mk("Crash when the agent parses a long header", "A very long header crashes it.", true)
		plain := mk("Agent crash on shutdown", "The agent exits badly.", false)
		id := mk("Agent crash seen in production", "It went down twice.", true)
		sim, err := e.svc.SimilarReports(ctx, coord, id)
		fixMust(t, err)
		if len(sim) == 0 || sim[0].Report.ID != withPatch || !strings.Contains(strings.Join(sim[0].Reasons, "; "), "patches touch the same files") {
			t.Fatalf("the report with the same patch is not first, saying so: %+v", sim)
		}
		for _, s := range sim {
			if s.Report.ID == plain && s.Score >= sim[0].Score {
				t.Errorf("the report without a patch ranks as high: %+v", sim)
			}
		}
	})
}
