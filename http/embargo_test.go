package http_test

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
)

// noticeSent brings a report, through the store, to where the notice left
// it: Fix committed, told (its outbox items name every stakeholder of the
// registry now), a disclosure date ahead. The notice itself is
// tested with a real relay in package jobs.
func (e *env) noticeSent(id int64) {
	e.t.Helper()
	err := e.svc.Deps().Store.Update(context.Background(), func(tx vmt.Tx) error {
		r, err := tx.Report(id)
		if err != nil {
			return err
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		at := now.Add(72 * time.Hour)
		r.Status, r.NoticeSentAt, r.DisclosureAt, r.CVEs = vmt.StatusFixCommitted, &now, &at, []string{"CVE-2026-5555"}
		if err := tx.UpdateReport(r); err != nil {
			return err
		}
		// The record of who was told, as SendNotice writes it: one
		// notice item per stakeholder of the registry at this moment.
		p, err := tx.Project(r.ProjectID)
		if err != nil {
			return err
		}
		ks, err := tx.Stakeholders()
		if err != nil {
			return err
		}
		for _, k := range ks {
			if len(k.Projects) > 0 && !slices.Contains(k.Projects, p.Name) {
				continue
			}
			rcpt := "stakeholder:" + itoa(k.ID)
			b, err := json.Marshal(vmt.NoticeMail{ReportID: r.ID, Recipient: rcpt, To: k.Contacts, Organisation: k.Organisation,
				Fingerprint: k.Fingerprint, PublicKey: k.PublicKey, Subject: "notice", Body: "notice", Disclosure: at})
			if err != nil {
				return err
			}
			if err := tx.Enqueue(&vmt.OutboxItem{Key: "notice:" + itoa(r.ID) + ":" + rcpt, Kind: vmt.KindNotice, ReportID: r.ID,
				Payload: b, NextAttempt: now, CreatedAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// Stakeholder grants over the API: only the report's VMT grants, only to
// the account of a registered stakeholder, only after the notice; the
// granted account reads the report, an account not granted (or a visitor)
// gets 404, and after the revocation the granted one does too.
func TestStakeholderGrantAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		coord, coordTok := e.user("coord@example.org", vmt.RoleVMT)
		noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
		_, err := e.svc.CreateStakeholder(ctx, coord, vmt.StakeholderInput{Organisation: "Distro", Contacts: []string{"sec@distro.example"}})
		noErr(t, err)
		distro, distroTok := e.user("sec@distro.example", vmt.RoleStakeholder)
		other, otherTok := e.user("sec@elsewhere.example", vmt.RoleStakeholder)
		r, err := e.svc.CreateReport(ctx, coord, vmt.ReportInput{Project: "kata-containers", Title: "T", Description: "D"})
		noErr(t, err)
		path := "/api/v1/reports/" + itoa(r.ID)
		grant := func(tok string, uid int64) (int, string) {
			return e.do("POST", path+"/grants", tok, `{"user_id":`+itoa(uid)+`}`)
		}
		if code, out := grant(coordTok, distro.ID()); code != 409 || !strings.Contains(out, "notice") {
			t.Errorf("a grant before the notice: %d %s", code, out)
		}
		e.noticeSent(r.ID)
		for _, tc := range []struct {
			tok  string
			uid  int64
			want int
			has  string
		}{
			{"", distro.ID(), 404, ""},
			{distroTok, distro.ID(), 404, ""},
			{coordTok, other.ID(), 400, `"field":"user_id"`},
			{coordTok, 999, 400, `"field":"user_id"`},
			{coordTok, distro.ID(), 201, `"organisation":"Distro"`},
			{coordTok, distro.ID(), 409, ""},
		} {
			if code, out := grant(tc.tok, tc.uid); code != tc.want || !strings.Contains(out, tc.has) {
				t.Errorf("grant %d as %q: %d %s, want %d with %s", tc.uid, tc.tok, code, out, tc.want, tc.has)
			}
		}
		for tok, want := range map[string]int{distroTok: 200, otherTok: 404, "": 404} {
			if code, _ := e.do("GET", path, tok, ""); code != want {
				t.Errorf("GET the report as %q after the grant: %d, want %d", tok, code, want)
			}
		}
		if code, out := e.do("GET", path+"/extent", coordTok, ""); code != 200 || !strings.Contains(out, `"reason":"stakeholder"`) {
			t.Errorf("the extent after the grant: %d %s", code, out)
		}
		if code, _ := e.do("DELETE", path+"/grants/"+itoa(distro.ID()), distroTok, ""); code != 403 && code != 404 {
			t.Errorf("a stakeholder revoking through the grants route: %d", code)
		}
		if code, out := e.do("DELETE", path+"/grants/"+itoa(distro.ID()), coordTok, ""); code != 204 {
			t.Errorf("revoke: %d %s", code, out)
		}
		if code, _ := e.do("GET", path, distroTok, ""); code != 404 {
			t.Errorf("GET the report as the revoked account: %d, want 404", code)
		}
	})
}

// The reporter's requested date over the API (PATCH) and the notice's
// override: a date the notice cannot honour is a 409 naming the field.
func TestRequestedDateAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		rep, repTok := e.user("rep@example.org", vmt.RoleReporter)
		r, err := e.svc.CreateReport(ctx, rep, vmt.ReportInput{Project: "kata-containers", Title: "T", Description: "D"})
		noErr(t, err)
		path := "/api/v1/reports/" + itoa(r.ID)
		future := time.Now().UTC().AddDate(0, 0, 30).Format(time.DateOnly)
		for _, tc := range []struct {
			body string
			want int
			has  string
		}{
			{`{"requested_disclosure_at":"soon"}`, 400, `"field":"requested_disclosure_at"`},
			{`{"requested_disclosure_at":"2020-01-01"}`, 400, `"field":"requested_disclosure_at"`},
			{`{"requested_disclosure_at":"` + future + `"}`, 200, `"requested_disclosure_at":"` + future + `T00:00:00Z"`},
		} {
			if code, out := e.do("PATCH", path, repTok, tc.body); code != tc.want || !strings.Contains(out, tc.has) {
				t.Errorf("PATCH %s as the reporter: %d %s, want %d with %s", tc.body, code, out, tc.want, tc.has)
			}
		}
	})
}

// The report page: the embargo raised banner and the override are shown
// to the VMT, the grant form lists stakeholder accounts after the notice,
// and granting and revoking through the page work.
func TestUIEmbargoSection(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		coord, b := e.signedIn("coord@example.org", vmt.RoleVMT)
		noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
		_, err := e.svc.CreateStakeholder(ctx, coord, vmt.StakeholderInput{Organisation: "Distro", Contacts: []string{"sec@distro.example"}})
		noErr(t, err)
		distro, _ := e.user("sec@distro.example", vmt.RoleStakeholder)
		r, err := e.svc.CreateReport(ctx, coord, vmt.ReportInput{Project: "kata-containers", Title: "T", Description: "D"})
		noErr(t, err)
		path := "/reports/" + itoa(r.ID)
		p := b.post(path+"/requested-date", url.Values{"requested_disclosure_at": {time.Now().UTC().AddDate(0, 0, 20).Format(time.DateOnly)}})
		if !strings.Contains(p.doc.Find("#requested-disclosure").Text(), "The reporter asks for") {
			t.Errorf("the requested date is not shown: %q %s", p.doc.Find("#requested-disclosure").Text(), p.doc.Find(".error").Text())
		}
		p = b.post(path+"/raise", url.Values{"reason": {"the fix needs a complex patch"}})
		if p.doc.Find("#embargo-raised").Length() != 1 || p.doc.Find(`form[action$="/raise"]`).Length() != 0 {
			t.Errorf("after raising by hand: banner %d, form %d: %s", p.doc.Find("#embargo-raised").Length(),
				p.doc.Find(`form[action$="/raise"]`).Length(), p.doc.Find(".error").Text())
		}
		e.noticeSent(r.ID)
		err = e.svc.Deps().Store.Update(ctx, func(tx vmt.Tx) error {
			x, err := tx.Report(r.ID)
			if err != nil {
				return err
			}
			now := time.Now().UTC().Truncate(time.Microsecond)
			x.EmbargoRaisedAt = &now
			x.TermsOverride = &vmt.TermsOverride{Reason: "the reporter agreed by mail", By: coord.ID(), At: now, Requested: now, Used: now}
			return tx.UpdateReport(x)
		})
		noErr(t, err)
		p = b.get(path)
		checkLabels(t, "report page with the embargo section", p)
		if !strings.Contains(p.doc.Find("#stage-since").Text(), "Fix committed since") {
			t.Errorf("the stage entry is not shown: %q", p.doc.Find("#stage-since").Text())
		}
		if p.doc.Find("#embargo-raised").Length() != 1 || !strings.Contains(p.doc.Find("#terms-override").Text(), "the reporter agreed by mail") {
			t.Errorf("the raised banner or the override is missing")
		}
		if p.doc.Find(`#grant-user option[value="`+itoa(distro.ID())+`"]`).Length() != 1 {
			t.Fatalf("the grant form does not offer the stakeholder's account")
		}
		p = b.post(path+"/grants", url.Values{"user_id": {itoa(distro.ID())}})
		if !strings.Contains(p.doc.Find("#grant-list").Text(), "sec@distro.example") {
			t.Errorf("the grant is not listed: %s", p.doc.Find(".error").Text())
		}
		p = b.post(path+"/grants/revoke", url.Values{"user_id": {itoa(distro.ID())}})
		if strings.Contains(p.doc.Find("#grant-list").Text(), "sec@distro.example") {
			t.Errorf("the revoked grant is still listed: %s", p.doc.Find(".error").Text())
		}
		d := b.get("/reports")
		if d.doc.Find(`.report[data-id="`+itoa(r.ID)+`"] [data-raised]`).Length() != 1 {
			t.Errorf("the dashboard does not mark the raised report")
		}
	})
}

// A stakeholder's account asks through the site to read a report the
// notice told it of; the coordinator sees the request on the report's page
// and grants it there; the account then reads the report. The asking page
// is the same for every id, and a request about a report the account was
// not told of is the 404 page.
func TestUIStakeholderAsksForAccess(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		coord, vmtB := e.signedIn("coord@example.org", vmt.RoleVMT)
		noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
		_, err := e.svc.CreateStakeholder(ctx, coord, vmt.StakeholderInput{Organisation: "Distro", Contacts: []string{"sec@distro.example"}})
		noErr(t, err)
		distro, stkB := e.signedIn("sec@distro.example", vmt.RoleStakeholder)
		r, err := e.svc.CreateReport(ctx, coord, vmt.ReportInput{Project: "kata-containers", Title: "T", Description: "D"})
		noErr(t, err)
		e.noticeSent(r.ID)
		path := "/reports/" + itoa(r.ID)
		if p := stkB.get(path); p.status != 404 {
			t.Fatalf("the stakeholder reads the report before asking: %d", p.status)
		}
		for _, id := range []int64{r.ID, 99999} {
			p := stkB.get("/reports/" + itoa(id) + "/access")
			checkLabels(t, "access page", p)
			if p.status != 200 || p.doc.Find(`form[action="/reports/`+itoa(id)+`/access"]`).Length() != 1 {
				t.Errorf("the access page for %d: %d", id, p.status)
			}
		}
		if p := stkB.post("/reports/99999/access", url.Values{"note": {"x"}}); p.status != 404 {
			t.Errorf("asking about a report never told of: %d, want 404", p.status)
		}
		p := stkB.post(path+"/access", url.Values{"note": {"we ship the agent"}})
		if p.status != 200 || p.doc.Find(".flash").Length() != 1 {
			t.Fatalf("asking: %d %s", p.status, p.doc.Find(".error").Text())
		}
		v := vmtB.get(path)
		if !strings.Contains(v.doc.Find("#access-requests").Next().Text(), "we ship the agent") {
			t.Fatalf("the coordinator does not see the request")
		}
		v = vmtB.post(path+"/grants", url.Values{"user_id": {itoa(distro.ID())}})
		if v.doc.Find("#access-requests").Length() != 0 || !strings.Contains(v.doc.Find("#grant-list").Text(), "sec@distro.example") {
			t.Errorf("after the grant: request still shown or grant not listed: %s", v.doc.Find(".error").Text())
		}
		if p := stkB.get(path); p.status != 200 {
			t.Errorf("the granted stakeholder reads the report: %d", p.status)
		}
	})
}
