package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/gitrepo"
)

// A fix merged on the project's (real) repository while its report is
// private, days before the disclosure date, is flagged: the report keeps
// when, where and which commit; the API's report view has possible_leak;
// the report page has a banner that offers the early disclosure; the
// dashboard marks the report; and the coordinator gets a mail that names
// the report by number only. A report already disclosed when the same
// fix lands is not flagged, and nobody is mailed.
func TestPossibleLeakFlagged(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		e := newEnv(t, engine)
		up, series, git := fixUpstream(t)
		checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"kata-containers": up}}
		e.setDeps(func(d *app.Deps) { d.Checker, d.Tracker = checker, &gitrepo.Merges{Checker: checker} })
		coord, token := e.user("coord@example.org", vmt.RoleVMT)
		e.withPassword(coord)
		cb := e.browser()
		cb.login("coord@example.org")
		_, ob := e.signedIn("out@example.org", vmt.RoleReporter)
		fixMust(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))

		// Two private reports, each with the fix for one branch; the
		// second is disclosed before its fix lands.
		disclosure := time.Now().UTC().AddDate(0, 0, 6).Truncate(time.Microsecond)
		mk := func(title, branch string) *vmt.ReportView {
			r, err := e.svc.CreateReport(ctx, coord, vmt.ReportInput{Project: "kata-containers", Title: title, Description: "It overflows."})
			fixMust(t, err)
			_, err = e.svc.AttachFix(ctx, coord, r.ID, vmt.FixInput{Branch: branch, Series: series})
			fixMust(t, err)
			fixMust(t, e.svc.Deps().Store.Update(ctx, func(tx vmt.Tx) error {
				got, err := tx.Report(r.ID)
				if err != nil {
					return err
				}
				got.CoordinatorID, got.DisclosureAt = coord.ID(), &disclosure
				return tx.UpdateReport(got)
			}))
			return r
		}
		leaked := mk("Agent overflow", "main")
		disclosed := mk("Agent overflow on stable", "stable-3.2")
		_, err := e.svc.MakePublic(ctx, coord, disclosed.ID, "disclosed")
		fixMust(t, err)
		fixMust(t, e.svc.TrackFixes(ctx))
		if got := reportLeak(t, e, token, leaked.ID); got != nil {
			t.Fatalf("flagged before any merge: %+v", got)
		}

		// The fix lands on main and on stable-3.2, in public.
		patch := filepath.Join(t.TempDir(), "fix.patch")
		fixMust(t, os.WriteFile(patch, []byte(series), 0o644))
		git("am", "-q", patch)
		onMain := git("rev-parse", "main")
		git("checkout", "-q", "stable-3.2")
		git("am", "-q", patch)
		onStable := git("rev-parse", "stable-3.2")
		git("checkout", "-q", "main")
		before := time.Now().UTC()
		fixMust(t, e.svc.TrackFixes(ctx))

		// The flag, through the API's report view.
		l := reportLeak(t, e, token, leaked.ID)
		if l == nil || l.Branch != "main" || l.Commit != onMain || l.At.Before(before.Add(-time.Second)) || !l.At.Before(disclosure) {
			t.Fatalf("possible_leak of the private report: %+v, want main at %s", l, onMain)
		}

		// The banner on the report page, with the early-disclosure action.
		path := "/reports/" + itoa(leaked.ID)
		p := cb.get(path)
		banner := p.doc.Find("#possible-leak")
		if p.status != http.StatusOK || banner.Length() != 1 {
			t.Fatalf("report page %d: %d possible-leak banners", p.status, banner.Length())
		}
		if text := banner.Text(); !strings.Contains(text, "Possible leak") || !strings.Contains(text, "main") || !strings.Contains(text, onMain) {
			t.Errorf("banner: %q", text)
		}
		if href, _ := banner.Find("a").Attr("href"); href != "#publicize-reason" || p.doc.Find(`form[action="`+path+`/publicize"] #publicize-reason`).Length() != 1 {
			t.Errorf("the banner offers %q; publicize form present: %d", href, p.doc.Find("#publicize-reason").Length())
		}
		if ob.get(path).status != http.StatusNotFound {
			t.Error("an outsider reads the flagged report")
		}

		// The dashboard marks it.
		d := cb.get("/reports")
		mark := d.doc.Find(`li.report[data-id="` + itoa(leaked.ID) + `"] .leak`)
		if mark.Length() != 1 || !strings.Contains(mark.Text(), "possible leak") || !strings.Contains(mark.Text(), "main") {
			t.Errorf("dashboard mark of the flagged report: %d, %q", mark.Length(), mark.Text())
		}
		if n := d.doc.Find(`li.report[data-id="` + itoa(disclosed.ID) + `"] .leak`).Length(); n != 0 {
			t.Errorf("the disclosed report is marked on the dashboard (%d)", n)
		}

		// The coordinator's mail: signed, not encrypted, so number, branch
		// and commit only, never the title.
		items, err := e.svc.Outbox(ctx, coord, leaked.ID)
		fixMust(t, err)
		mails := 0
		for _, o := range items {
			if !strings.HasPrefix(o.Key, "leak:") {
				continue
			}
			mails++
			var m vmt.NoticeMail
			fixMust(t, json.Unmarshal(o.Payload, &m))
			if o.Kind != vmt.KindReminder || len(m.To) != 1 || m.To[0] != "coord@example.org" || !strings.Contains(m.Subject, "Possible leak") ||
				!strings.Contains(m.Body, onMain) || strings.Contains(m.Subject+m.Body, "Agent overflow") || m.PublicKey != "" || m.Unsigned {
				t.Errorf("the coordinator's mail %s: %+v", o.Kind, m)
			}
		}
		if mails != 1 {
			t.Errorf("%d possible-leak mails, want 1", mails)
		}

		// The disclosed report: its fix was seen merged, and nothing else.
		fixes, err := e.svc.Fixes(ctx, coord, disclosed.ID)
		fixMust(t, err)
		if len(fixes) != 1 || fixes[0].Merge != vmt.MergeCompleted || fixes[0].MergeCommit != onStable {
			t.Fatalf("the disclosed report's fix was not tracked: %+v", fixes)
		}
		if got := reportLeak(t, e, token, disclosed.ID); got != nil {
			t.Errorf("the disclosed report is flagged: %+v", got)
		}
		if cb.get("/reports/"+itoa(disclosed.ID)).doc.Find("#possible-leak").Length() != 0 {
			t.Error("the disclosed report's page has a leak banner")
		}
		items, err = e.svc.Outbox(ctx, coord, disclosed.ID)
		fixMust(t, err)
		for _, o := range items {
			if strings.HasPrefix(o.Key, "leak:") {
				t.Errorf("a possible-leak mail for the disclosed report: %s", o.Key)
			}
		}

		// A later round keeps the first sighting and mails nothing new.
		fixMust(t, e.svc.TrackFixes(ctx))
		if again := reportLeak(t, e, token, leaked.ID); again == nil || !again.At.Equal(l.At) {
			t.Errorf("the flag after another round: %+v, want %+v", again, l)
		}
		items, err = e.svc.Outbox(ctx, coord, leaked.ID)
		fixMust(t, err)
		n := 0
		for _, o := range items {
			if strings.HasPrefix(o.Key, "leak:") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d possible-leak mails after another round, want 1", n)
		}

		// Once the embargo is ended, the page drops the banner; the API
		// keeps the record.
		_, err = e.svc.MakePublic(ctx, coord, leaked.ID, "the fix is public")
		fixMust(t, err)
		if cb.get(path).doc.Find("#possible-leak").Length() != 0 {
			t.Error("the banner stays after the embargo ended")
		}
		if got := reportLeak(t, e, token, leaked.ID); got == nil || got.Commit != onMain {
			t.Errorf("the record after disclosure: %+v", got)
		}
	})
}

// reportLeak is the possible_leak of the API's view of report id.
func reportLeak(t *testing.T, e *env, token string, id int64) *vmt.PossibleLeak {
	t.Helper()
	code, body := e.do("GET", "/api/v1/reports/"+itoa(id), token, "")
	if code != http.StatusOK {
		t.Fatalf("GET report %d: %d %s", id, code, body)
	}
	var v struct {
		PossibleLeak *vmt.PossibleLeak `json:"possible_leak"`
	}
	fixMust(t, json.Unmarshal([]byte(body), &v))
	return v.PossibleLeak
}
