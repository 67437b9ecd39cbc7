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

// TestRecordFeedsEveryText is issue 12's "nothing typed twice": the
// affected versions of a private report are changed once, through the
// API, after the impact description and the advisory were drafted from
// them; the impact text, the CVE request form, the advisory draft, the
// notice preview and each export then say the new versions, in the one
// way the record writes them, and none says the old ones.
func TestRecordFeedsEveryText(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		set, err := render.NewSet(nil)
		noErr(t, err)
		e.setDeps(func(d *app.Deps) {
			d.Disclosure = vmt.DisclosureHooks{Keys: jobs.CheckKey, Planner: jobs.Plan,
				Notice: jobs.Site{BaseURL: "https://vmt.example.org", Team: "Kata Containers VMT"}.Notice(set)}
			d.Publication.BaseURL = "https://vmt.example.org"
		})
		ctx := context.Background()
		coord, coordTok := e.user("coord@example.org", vmt.RoleVMT)
		noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
		_, err = e.svc.CreateStakeholder(ctx, coord, vmt.StakeholderInput{Organisation: "Distro", Contacts: []string{"sec@distro.example"}})
		noErr(t, err)
		call := func(method, path, body string, want int) string {
			t.Helper()
			code, out := e.do(method, path, coordTok, body)
			if code != want {
				t.Fatalf("%s %s: %d %s, want %d", method, path, code, out, want)
			}
			return out
		}
		_, repTok := e.user("rep@example.org", vmt.RoleReporter)
		com, comTok := e.user("com@example.org", vmt.RoleCommittee)
		noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: com.ID(), Role: vmt.MemberCommittee}))
		code, out := e.do("POST", "/api/v1/reports", repTok, `{"project":"kata-containers","title":"Guest escape","description":"The agent trusts the guest.",
			"affected":[{"component":"agent","versions":"< 3.2.1"}],"credit":"R. Eporter"}`)
		if code != 201 {
			t.Fatalf("report: %d %s", code, out)
		}
		var rep struct{ ID int64 }
		noErr(t, json.Unmarshal([]byte(out), &rep))
		id := "/api/v1/reports/" + itoa64(rep.ID)
		call("POST", id+"/classify", `{"class":"A"}`, 200)
		call("POST", id+"/transition", `{"to":"confirmed"}`, 200)
		call("POST", id+"/impact/draft", `{}`, 200)
		for _, tok := range []string{repTok, comTok} {
			if code, out := e.do("POST", id+"/impact/approve", tok, ""); code != 200 {
				t.Fatalf("approve: %d %s", code, out)
			}
		}
		// Triaged at the second approval, the advisory drafted from the
		// record; In Progress is set directly, it is not what this test is
		// about.
		var docs struct {
			Items []struct {
				RecordID int64 `json:"record_id"`
			} `json:"items"`
		}
		out = call("GET", id+"/advisories", "", 200)
		noErr(t, json.Unmarshal([]byte(out), &docs))
		if len(docs.Items) != 1 {
			t.Fatalf("advisories at Triaged: %s", out)
		}
		doc := docs.Items[0]
		noErr(t, e.svc.Deps().Store.Update(ctx, func(tx vmt.Tx) error {
			r, err := tx.Report(rep.ID)
			if err != nil {
				return err
			}
			now := time.Now().UTC().Truncate(time.Microsecond)
			r.Status, r.CVERequestedAt = vmt.StatusInProgress, &now
			return tx.UpdateReport(r)
		}))
		// The CVE, recorded after the draft, reaches it too.
		call("PATCH", id, `{"cves":["CVE-2026-5555"]}`, 200)
		call("POST", id+"/fixes/waivers", `{"reason":"the fix ships with the advisory"}`, 201)

		call("POST", "/api/v1/advisories/"+itoa64(doc.RecordID)+"/embargo", `{}`, 200)
		call("PUT", "/api/v1/projects/kata-containers/cna", `{"enabled":false,"org_id":"7a1c2d3e-4f56-4789-9abc-def012345678"}`, 200)

		// The one change.
		call("PATCH", id, `{"affected":[{"component":"agent","versions":">= 3.0.0 < 3.2.2"}]}`, 200)

		const now, old = ">=3.0.0 <3.2.2", "3.2.1"
		var v struct {
			ImpactDescription string `json:"impact_description"`
		}
		noErr(t, json.Unmarshal([]byte(call("GET", id, "", 200)), &v))
		var form struct{ Text string }
		noErr(t, json.Unmarshal([]byte(call("POST", id+"/cve-form", `{"other_type":"guest escape","openpgp_key":`+quoteJSON(armoredKey(t, "Coord", 0))+`}`, 200)), &form))
		var adv struct {
			Affected []vmt.Affected `json:"affected"`
			CVEs     []string       `json:"cves"`
		}
		noErr(t, json.Unmarshal([]byte(call("GET", "/api/v1/advisories/"+itoa64(doc.RecordID), "", 200)), &adv))
		var pv vmt.NoticePreview
		noErr(t, json.Unmarshal([]byte(call("POST", id+"/notice/preview", `{}`, 200)), &pv))
		if len(pv.Mails) != 1 {
			t.Fatalf("preview: %d mails, want 1", len(pv.Mails))
		}
		// The approved text changed with the record: the approvals given to
		// the old one are taken back, to be given to the text as it is.
		var st vmt.ImpactState
		noErr(t, json.Unmarshal([]byte(call("GET", id+"/impact", "", 200)), &st))
		if st.Text != v.ImpactDescription || st.Reporter != nil || st.Committee != nil {
			t.Errorf("impact after the change: %+v, want the new text with no approval", st)
		}
		if len(adv.CVEs) != 1 || adv.CVEs[0] != "CVE-2026-5555" {
			t.Errorf("advisory draft CVEs %v, want the one the report records", adv.CVEs)
		}
		if len(adv.Affected) != 1 || adv.Affected[0].Versions != now {
			t.Errorf("advisory draft affected %+v, want agent %s", adv.Affected, now)
		}
		for name, text := range map[string]string{
			"impact description": v.ImpactDescription,
			"CVE request form":   form.Text,
			"notice preview":     pv.Mails[0].Body,
		} {
			if !strings.Contains(text, now) || strings.Contains(text, old) {
				t.Errorf("%s does not say %q alone:\n%s", name, now, text)
			}
		}
		var diff struct{ Items []vmt.FieldDiff }
		noErr(t, json.Unmarshal([]byte(call("GET", "/api/v1/advisories/"+itoa64(doc.RecordID)+"/record-diff", "", 200)), &diff))
		if len(diff.Items) != 0 {
			t.Errorf("a document that followed its record differs from it: %+v", diff.Items)
		}

		// A field a person edited stays theirs, and the page and the API
		// say that it is behind the record, with both texts.
		d, err := e.svc.Advisory(ctx, coord, doc.RecordID)
		noErr(t, err)
		d.Title = "Our own title"
		_, err = e.svc.UpdateAdvisory(ctx, coord, doc.RecordID, *d)
		noErr(t, err)
		call("PATCH", id, `{"title":"Guest escape through the agent"}`, 200)
		noErr(t, json.Unmarshal([]byte(call("GET", "/api/v1/advisories/"+itoa64(doc.RecordID)+"/record-diff", "", 200)), &diff))
		if len(diff.Items) != 1 || diff.Items[0] != (vmt.FieldDiff{Field: "title", Document: "Our own title", Record: "Guest escape through the agent"}) {
			t.Errorf("record diff %+v, want the title alone", diff.Items)
		}
		e.withPassword(coord)
		b := e.browser()
		b.login("coord@example.org")
		page := b.get("/reports/" + itoa64(rep.ID))
		if got := page.doc.Find("#record-differs").Text(); !strings.Contains(got, "Our own title") || !strings.Contains(got, "Guest escape through the agent") {
			t.Errorf("the page does not show the draft behind its record: %q", got)
		}
		for _, f := range []string{"osv", "cve", "csaf"} {
			text := call("GET", "/api/v1/advisories/"+itoa64(doc.RecordID)+"/export?format="+f, "", 200)
			if !strings.Contains(text, "3.2.2") || strings.Contains(text, old) {
				t.Errorf("the %s export does not follow the record:\n%s", f, text)
			}
		}
	})
}

func quoteJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
