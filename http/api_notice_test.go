package http_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/render"
)

// Disclosure settings over the API: only the project's VMT (and
// administrators) read and set them, a bad policy is a 400 naming it; the
// notice and outbox routes of a private report are 404 to outsiders.
func TestDisclosureSettingsAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		set, err := render.NewSet(nil)
		noErr(t, err)
		e.setDeps(func(d *app.Deps) {
			d.Disclosure = vmt.DisclosureHooks{Keys: jobs.CheckKey, Planner: jobs.Plan, Notice: jobs.Site{BaseURL: "https://vmt.example.org"}.Notice(set)}
		})
		ctx := context.Background()
		coord, coordTok := e.user("coord@example.org", vmt.RoleVMT)
		_, vmtXTok := e.user("vmtx@example.org", vmt.RoleVMT)
		_, repTok := e.user("rep@example.org", vmt.RoleReporter)
		noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
		path := "/api/v1/projects/kata-containers/disclosure"
		good := `{"policy":{"window":"5-10","hour":15,"avoid":[]},"embargo_limit_days":14,"max_embargo_days":90,"lists":[]}`
		for _, tc := range []struct {
			method, token, body string
			want                int
			has                 string
		}{
			{"GET", "", "", 401, ""},
			{"GET", repTok, "", 403, ""},
			{"GET", vmtXTok, "", 403, ""},
			{"GET", coordTok, "", 200, `"embargo_limit_days":14`},
			{"PUT", vmtXTok, good, 403, ""},
			{"PUT", coordTok, `{"policy":{"window":"5-10","avoid":[]},"embargo_limit_days":14,"max_embargo_days":90}`, 400, `"field":"policy"`},
			{"PUT", coordTok, `{"embargo_limit_days":14,"max_embargo_days":120}`, 400, `"field":"max_embargo_days"`},
			{"PUT", coordTok, good, 200, `"window":"5-10"`},
			{"GET", e.token, "", 200, `"hour":15`},
		} {
			code, out := e.do(tc.method, path, tc.token, tc.body)
			if code != tc.want || !strings.Contains(out, tc.has) {
				t.Errorf("%s as %q: %d %s, want %d with %s", tc.method, tc.token, code, out, tc.want, tc.has)
			}
		}
		r, err := e.svc.CreateReport(ctx, coord, vmt.ReportInput{Project: "kata-containers", Title: "T", Description: "D"})
		noErr(t, err)
		id := "/api/v1/reports/" + itoa64(r.ID)
		if code, _ := e.do("GET", id+"/outbox", repTok, ""); code != 404 {
			t.Errorf("outbox by an outsider: %d, want 404", code)
		}
		if code, out := e.do("POST", id+"/notice", repTok, ""); code != 404 {
			t.Errorf("notice by an outsider: %d %s, want 404", code, out)
		}
		if code, out := e.do("POST", id+"/notice", coordTok, ""); code != 409 || !strings.Contains(out, "In Progress") {
			t.Errorf("notice of a new report: %d %s, want 409", code, out)
		}
		// The coordinator reads the outbox; the refused notices left in it
		// only the notification of the filing.
		if code, out := e.do("GET", id+"/outbox", coordTok, ""); code != 200 || strings.Contains(out, `"kind":"notice"`) ||
			!strings.Contains(out, `"kind":"notification_link"`) {
			t.Errorf("outbox of the coordinator: %d %s", code, out)
		}
	})
}

func itoa64(n int64) string {
	var b [20]byte
	i := len(b)
	for ; n > 0; n /= 10 {
		i--
		b[i] = byte('0' + n%10)
	}
	return string(b[i:])
}

// The notice preview and the extent over the API and the pages: the
// report's VMT previews each mail (address, subject, encryption, no patch
// for the waived branch) while nothing is enqueued; another reporter and a
// stakeholder get 404, the report's own reporter 403; the notice then
// goes to exactly the previewed recipients, and the extent names each
// address mailed, to the VMT with the address and to the reporter
// without it; the page says the extent includes everyone mailed.
func TestNoticePreviewAndExtent(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		set, err := render.NewSet(nil)
		noErr(t, err)
		e.setDeps(func(d *app.Deps) {
			d.Disclosure = vmt.DisclosureHooks{Keys: jobs.CheckKey, Planner: jobs.Plan,
				Notice: jobs.Site{BaseURL: "https://vmt.example.org", Team: "Kata Containers VMT"}.Notice(set)}
		})
		ctx := context.Background()
		coord, coordTok := e.user("coord@example.org", vmt.RoleVMT)
		e.withPassword(coord)
		coordBrowser := e.browser()
		coordBrowser.login("coord@example.org")
		noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
		own, ownTok := e.user("own@example.org", vmt.RoleReporter)
		e.withPassword(own)
		ownBrowser := e.browser()
		ownBrowser.login("own@example.org")
		_, repTok := e.user("rep@example.org", vmt.RoleReporter)
		_, stkTok := e.user("sec@distro.example", vmt.RoleStakeholder)
		_, err = e.svc.CreateStakeholder(ctx, coord, vmt.StakeholderInput{Organisation: "Distro", Contacts: []string{"sec@distro.example"}})
		noErr(t, err)
		r, err := e.svc.CreateReport(ctx, own, vmt.ReportInput{Project: "kata-containers", Title: "Guest escape", Description: "D", Components: []string{"agent"}})
		noErr(t, err)
		noErr(t, e.svc.Deps().Store.Update(ctx, func(tx vmt.Tx) error {
			r, err := tx.Report(r.ID)
			if err != nil {
				return err
			}
			now := time.Now().UTC().Truncate(time.Microsecond)
			r.Status, r.CVEs, r.CVERequestedAt = vmt.StatusInProgress, []string{"CVE-2026-5555"}, &now
			r.ImpactDescription = "A guest can escape to the host."
			return tx.UpdateReport(r)
		}))
		id := "/api/v1/reports/" + itoa64(r.ID)
		if code, out := e.do("POST", id+"/fixes/waivers", coordTok, `{"reason":"the fix ships with the advisory"}`); code != 201 {
			t.Fatalf("waiver: %d %s", code, out)
		}
		for tok, want := range map[string]int{"": 404, repTok: 404, stkTok: 404, ownTok: 403} {
			if code, out := e.do("GET", id+"/notice/preview", tok, ""); code != want || strings.Contains(out, "sec@distro.example") {
				t.Errorf("preview as %q: %d %s, want %d", tok, code, out, want)
			}
		}
		code, out := e.do("POST", id+"/notice/preview", coordTok, `{}`)
		var pv vmt.NoticePreview
		if code != 200 || json.Unmarshal([]byte(out), &pv) != nil || len(pv.Mails) != 1 {
			t.Fatalf("preview as the VMT: %d %s", code, out)
		}
		if m := pv.Mails[0]; m.Recipient != "stakeholder:1" || m.To[0] != "sec@distro.example" || m.Encrypted || !m.Signed ||
			!strings.Contains(m.Body, "No approved patch is attached for main, stable-3.2.") || len(m.Attachments) != 0 {
			t.Errorf("previewed mail %+v", m)
		}
		// The report's filing told the VMT (link-only notifications);
		// the preview enqueues nothing of its own.
		code, out = e.do("GET", id+"/outbox", coordTok, "")
		var ob struct{ Items []vmt.OutboxItem }
		if err := json.Unmarshal([]byte(out), &ob); code != 200 || err != nil {
			t.Fatalf("outbox: %d %s", code, out)
		}
		for _, o := range ob.Items {
			if o.Kind != vmt.KindNotification && o.Kind != vmt.KindNotificationLink {
				t.Errorf("the preview enqueued %s (%s)", o.Key, o.Kind)
			}
		}
		page := coordBrowser.get("/reports/" + itoa64(r.ID) + "/notice/preview")
		if page.status != 200 || !strings.Contains(page.doc.Find("#preview-mails").Text(), "sec@distro.example") ||
			!strings.Contains(page.doc.Find("#preview-without").Text(), "main") {
			t.Errorf("preview page: %d %s", page.status, page.doc.Find("main").Text())
		}
		if page := coordBrowser.get("/reports/" + itoa64(r.ID)); page.doc.Find("#notice-preview").Length() != 1 {
			t.Error("the notice form does not link to the preview")
		}

		code, out = e.do("POST", id+"/notice", coordTok, "")
		var res vmt.NoticeResult
		if code != 200 || json.Unmarshal([]byte(out), &res) != nil || len(res.Recipients) != 1 || res.Recipients[0] != pv.Mails[0].Recipient ||
			res.Subject != pv.Subject {
			t.Fatalf("notice: %d %s, previewed %v", code, out, pv.Mails)
		}
		for tok, wantAddr := range map[string]bool{coordTok: true, ownTok: false} {
			code, out := e.do("GET", id+"/extent", tok, "")
			if code != 200 || !strings.Contains(out, `"reason":"mailed"`) || !strings.Contains(out, `"recipient":"stakeholder:1"`) ||
				strings.Contains(out, "sec@distro.example") != wantAddr {
				t.Errorf("extent as %q: %d %s, want the address %v", tok, code, out, wantAddr)
			}
		}
		for b, wantAddr := range map[*browser]bool{coordBrowser: true, ownBrowser: false} {
			page := b.get("/reports/" + itoa64(r.ID))
			rows := page.doc.Find("#extent-table tr.extent-mail").Text()
			if page.doc.Find("#extent-complete").Length() != 1 || !strings.Contains(rows, "Distro") ||
				strings.Contains(rows, "sec@distro.example") != wantAddr || !strings.Contains(rows, "signed, not encrypted") {
				t.Errorf("extent on the page (address shown: want %v): %q", wantAddr, rows)
			}
		}
	})
}
