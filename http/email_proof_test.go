package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
)

// proofLink reads the last email proof mail to addr from the outbox, as
// the worker would send it, and returns the path of its link.
func (e *env) proofLink(addr string) string {
	e.t.Helper()
	var link string
	err := e.svc.Deps().Store.View(context.Background(), func(tx vmt.Tx) error {
		items, err := tx.OutboxItems(0)
		if err != nil {
			return err
		}
		for _, o := range items {
			if o.Kind != vmt.KindEmailProof {
				continue
			}
			var m vmt.NoticeMail
			if err := json.Unmarshal(o.Payload, &m); err != nil {
				return err
			}
			if len(m.To) == 1 && m.To[0] == addr {
				link = regexp.MustCompile(`\S*` + regexp.QuoteMeta(vmt.EmailProofPath) + `\?token=\S+`).FindString(m.Body)
			}
		}
		return nil
	})
	tbNoErr(e.t, err)
	if link == "" {
		e.t.Fatalf("no email proof mail to %s in the outbox", addr)
	}
	u, err := url.Parse(link)
	tbNoErr(e.t, err)
	return u.RequestURI()
}

// userByEmail reads an account from the store.
func (e *env) userByEmail(addr string) *vmt.User {
	e.t.Helper()
	var u *vmt.User
	tbNoErr(e.t, e.svc.Deps().Store.View(context.Background(), func(tx vmt.Tx) (err error) { u, err = tx.UserByEmail(addr); return err }))
	return u
}

// registered files a report through the report form as a newcomer with
// addr, which makes an account with an unproven address, and returns the
// signed-in browser, the account and an API token for it.
func (e *env) registered(addr string) (*browser, *vmt.User, string) {
	e.t.Helper()
	b := e.browser()
	p := b.post("/report", url.Values{"email": {addr}, "password": {testPassword}, "name": {"Newcomer"},
		"title": {"Something odd"}, "description": {"Details."}})
	if p.status != http.StatusOK || !strings.HasPrefix(p.url.Path, "/reports/") {
		e.t.Fatalf("report form as %s: %d at %s: %s", addr, p.status, p.url, p.doc.Find(".error").Text())
	}
	u := e.userByEmail(addr)
	if u.EmailVerifiedAt != nil {
		e.t.Fatalf("an account made through the report form starts proven")
	}
	tok, err := e.svc.CreateToken(context.Background(), e.admin, u.ID, "test")
	tbNoErr(e.t, err)
	return b, u, tok.Secret
}

// Leak 4 of issue 10: an account made through the report form with the
// address of a registry contact that has no account is not that
// stakeholder until it opens the link mailed to the address. Before, its
// access request is answered as for a report that does not exist, on the
// pages and the API, and the coordinator cannot grant it; after the proof
// through the mailed link it may ask, and once granted read the report.
func TestUnprovenAddressIsNoStakeholder(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		coord, coordTok := e.user("coord@example.org", vmt.RoleVMT)
		e.withPassword(coord)
		vmtB := e.browser()
		vmtB.login("coord@example.org")
		noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
		_, err := e.svc.CreateStakeholder(ctx, e.admin, vmt.StakeholderInput{Organisation: "Distro", Contacts: []string{"sec@distro.example"}})
		noErr(t, err)
		r, err := e.svc.CreateReport(ctx, coord, vmt.ReportInput{Project: "kata-containers", Title: "Guest escape via virtio-fs", Description: "D"})
		noErr(t, err)
		e.noticeSent(r.ID)
		path := "/reports/" + itoa(r.ID)
		const missing = "/reports/99999"

		b, u, tok := e.registered("sec@distro.example")
		if v := vmtB.get(path); !strings.Contains(v.doc.Find("#subscribe-select").Text(), "<sec@distro.example> (reporter, address not confirmed)") {
			t.Errorf("the coordinator's picker does not say the address is unconfirmed: %q", v.doc.Find("#subscribe-select").Text())
		}
		// The same answer as for a report that does not exist.
		want := b.post(missing+"/access", url.Values{"note": {"x"}})
		got := b.post(path+"/access", url.Values{"note": {"x"}})
		if got.status != 404 || got.status != want.status || got.doc.Find("main").Text() != want.doc.Find("main").Text() {
			t.Errorf("unproven: access page answers %d %q, a missing report %d %q", got.status, got.doc.Find("main").Text(), want.status, want.doc.Find("main").Text())
		}
		wantCode, wantBody := e.do("POST", "/api/v1"+missing+"/access-requests", tok, `{"note":"x"}`)
		code, body := e.do("POST", "/api/v1"+path+"/access-requests", tok, `{"note":"x"}`)
		if code != 404 || code != wantCode || body != wantBody || strings.Contains(body, "virtio") {
			t.Errorf("unproven: API answers %d %s, a missing report %d %s", code, body, wantCode, wantBody)
		}
		if code, body := e.do("GET", "/api/v1"+path+"/access-requests/mine", tok, ""); code != 404 {
			t.Errorf("unproven: own request: %d %s", code, body)
		}
		if code, body := e.do("POST", "/api/v1"+path+"/grants", coordTok, `{"user_id":`+itoa(u.ID)+`}`); code != 400 || !strings.Contains(body, `"field":"user_id"`) {
			t.Errorf("unproven: the coordinator grants it: %d %s", code, body)
		}
		if p := b.get("/account"); !strings.Contains(p.doc.Find("#email-state").Text(), "not confirmed") || p.doc.Find("#email-proof-send").Length() != 1 {
			t.Errorf("the account page does not say the address is unproven: %q", p.doc.Find("#email-state").Text())
		}

		// The proof: the link from the mail, opened signed in.
		link := e.proofLink("sec@distro.example")
		if p := e.browser().get(link); p.url.Path != "/login" {
			t.Errorf("the link opened signed out lands on %s, want the sign-in page", p.url)
		}
		view := b.get(link)
		if view.status != 200 || view.doc.Find(`form[action="`+vmt.EmailProofPath+`"] button`).Length() != 1 {
			t.Fatalf("the link's page: %d", view.status)
		}
		if e.userByEmail("sec@distro.example").EmailVerifiedAt != nil {
			t.Fatalf("opening the link (GET) proved the address: a mail scanner would")
		}
		token, _ := view.doc.Find(`input[name="token"]`).Attr("value")
		done := b.post(vmt.EmailProofPath, url.Values{"token": {token}})
		if done.url.Path != "/account" || !strings.Contains(done.doc.Find(".flash").Text(), "confirmed") {
			t.Fatalf("confirm: %d at %s: %s", done.status, done.url, done.doc.Find(".error").Text())
		}
		if e.userByEmail("sec@distro.example").EmailVerifiedAt == nil {
			t.Fatalf("the address is not proven after the link")
		}

		if p := b.post(path+"/access", url.Values{"note": {"we ship the agent"}}); p.status != 200 || p.doc.Find(".flash").Length() != 1 {
			t.Fatalf("proven: asking: %d %s", p.status, p.doc.Find(".error").Text())
		}
		if code, body := e.do("POST", "/api/v1"+path+"/access-requests", tok, `{}`); code != 409 {
			t.Errorf("proven: asking again over the API: %d %s, want 409 (pending)", code, body)
		}
		v := vmtB.post(path+"/grants", url.Values{"user_id": {itoa(u.ID)}})
		if !strings.Contains(v.doc.Find("#grant-list").Text(), "sec@distro.example") {
			t.Fatalf("proven: the grant: %s", v.doc.Find(".error").Text())
		}
		if p := b.get(path); p.status != 200 {
			t.Errorf("proven and granted: the report: %d", p.status)
		}
	})
}

// "Told" is who the notice went to: a contact added to an organisation, or
// an organisation added to the registry, after the notice was not told,
// and its proven account cannot ask for access (the answer for a report
// that does not exist) nor be granted; a contact named by the notice can.
func TestToldIsTheNoticesRecipients(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		coord, coordTok := e.user("coord@example.org", vmt.RoleVMT)
		noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
		k, err := e.svc.CreateStakeholder(ctx, e.admin, vmt.StakeholderInput{Organisation: "Distro", Contacts: []string{"sec@distro.example"}})
		noErr(t, err)
		r, err := e.svc.CreateReport(ctx, coord, vmt.ReportInput{Project: "kata-containers", Title: "T", Description: "D"})
		noErr(t, err)
		e.noticeSent(r.ID)
		_, err = e.svc.UpdateStakeholder(ctx, e.admin, k.ID, vmt.StakeholderInput{Organisation: "Distro", Contacts: []string{"sec@distro.example", "late@distro.example"}})
		noErr(t, err)
		_, err = e.svc.CreateStakeholder(ctx, e.admin, vmt.StakeholderInput{Organisation: "Cloud", Contacts: []string{"sec@cloud.example"}})
		noErr(t, err)
		told, toldTok := e.user("sec@distro.example", vmt.RoleStakeholder)
		path := "/api/v1/reports/" + itoa(r.ID)
		_, missing := e.do("POST", "/api/v1/reports/99999/access-requests", toldTok, `{}`)
		for _, addr := range []string{"late@distro.example", "sec@cloud.example"} {
			a, tok := e.user(addr, vmt.RoleStakeholder)
			if code, body := e.do("POST", path+"/access-requests", tok, `{}`); code != 404 || body != missing {
				t.Errorf("%s, added after the notice, asks: %d %s, want the missing report's %s", addr, code, body, missing)
			}
			if code, body := e.do("POST", path+"/grants", coordTok, `{"user_id":`+itoa(a.ID())+`}`); code != 400 || !strings.Contains(body, "notice") {
				t.Errorf("%s, added after the notice, granted: %d %s", addr, code, body)
			}
		}
		if code, body := e.do("POST", path+"/access-requests", toldTok, `{}`); code != 201 {
			t.Errorf("the contact the notice went to asks: %d %s", code, body)
		}
		if code, body := e.do("POST", path+"/grants", coordTok, `{"user_id":`+itoa(told.ID())+`}`); code != 201 {
			t.Errorf("the contact the notice went to is granted: %d %s", code, body)
		}
	})
}

// A link is refused, with what is wrong and what to do, when it is not one
// we sent (tampered with), for another account, for an address the
// account no longer has, expired, or used; the refusal changes nothing.
// The same over the API, with the field "token".
func TestEmailProofRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		b, u, tok := e.registered("new@example.org")
		otherB, _, _ := e.registered("other@example.org")
		link := e.proofLink("new@example.org")
		token := strings.TrimPrefix(link, vmt.EmailProofPath+"?token=")
		// A link of the past, made through the store with a known secret.
		expired := vmt.NewEmailProofSecret()
		past := time.Now().UTC().Add(-48 * time.Hour).Truncate(time.Microsecond)
		noErr(t, e.svc.Deps().Store.Update(ctx, func(tx vmt.Tx) error {
			return tx.CreateEmailProof(&vmt.EmailProof{UserID: u.ID, Email: u.Email, Hash: vmt.HashToken(expired),
				CreatedAt: past, ExpiresAt: past.Add(vmt.EmailProofTTL)})
		}))
		tampered := token[:len(token)-1] + map[bool]string{true: "b", false: "a"}[strings.HasSuffix(token, "a")]
		unproven := func(what string) {
			t.Helper()
			if e.userByEmail("new@example.org").EmailVerifiedAt != nil {
				t.Fatalf("%s: the address was proven", what)
			}
		}
		for _, tc := range []struct {
			name  string
			b     *browser
			token string
			want  string
		}{
			{"tampered", b, tampered, "not one we sent"},
			{"empty", b, "", "open the link from the mail"},
			{"another account", otherB, token, "another account"},
			{"expired", b, expired, "expired"},
		} {
			p := tc.b.post(vmt.EmailProofPath, url.Values{"token": {tc.token}})
			if msg := p.doc.Find("#email-proof-error").Text(); p.status != 400 || !strings.Contains(msg, tc.want) {
				t.Errorf("%s: %d %q, want 400 saying %q", tc.name, p.status, msg, tc.want)
			}
			unproven(tc.name)
		}
		if code, body := e.do("POST", "/api/v1/me/email-proof/confirm", tok, `{"token":"`+tampered+`"}`); code != 400 || !strings.Contains(body, `"field":"token"`) {
			t.Errorf("API, tampered: %d %s", code, body)
		}
		if code, _ := e.do("POST", "/api/v1/me/email-proof/confirm", "", `{"token":"`+token+`"}`); code != 401 {
			t.Errorf("API, signed out: %d", code)
		}
		unproven("API")

		// For an address the account no longer has. No route changes an
		// address today; the check holds for when one does.
		noErr(t, e.svc.Deps().Store.Update(ctx, func(tx vmt.Tx) error {
			v, err := tx.User(u.ID)
			if err != nil {
				return err
			}
			v.Email = "moved@example.org"
			return tx.UpdateUser(v)
		}))
		if p := b.post(vmt.EmailProofPath, url.Values{"token": {token}}); p.status != 400 || !strings.Contains(p.doc.Find("#email-proof-error").Text(), "no longer your account's address") {
			t.Errorf("another address: %d %q", p.status, p.doc.Find("#email-proof-error").Text())
		}
		if v := e.userByEmail("moved@example.org"); v.EmailVerifiedAt != nil {
			t.Fatalf("another address: proven")
		}
		noErr(t, e.svc.Deps().Store.Update(ctx, func(tx vmt.Tx) error {
			v, err := tx.User(u.ID)
			if err != nil {
				return err
			}
			v.Email = "new@example.org"
			return tx.UpdateUser(v)
		}))

		// Used once over the API, then refused on the page.
		code, body := e.do("POST", "/api/v1/me/email-proof/confirm", tok, `{"token":"`+token+`"}`)
		if code != 200 || !strings.Contains(body, `"email_verified_at"`) {
			t.Fatalf("API, the right link: %d %s", code, body)
		}
		first := e.userByEmail("new@example.org").EmailVerifiedAt
		if p := b.post(vmt.EmailProofPath, url.Values{"token": {token}}); p.status != 400 || !strings.Contains(p.doc.Find("#email-proof-error").Text(), "already used") {
			t.Errorf("reused: %d %q", p.status, p.doc.Find("#email-proof-error").Text())
		}
		if again := e.userByEmail("new@example.org").EmailVerifiedAt; again == nil || !again.Equal(*first) {
			t.Errorf("reused: the proof time moved from %v to %v", first, again)
		}
		if code, body := e.do("POST", "/api/v1/me/email-proof", tok, ""); code != 409 || !strings.Contains(body, "proven already") {
			t.Errorf("resend once proven: %d %s", code, body)
		}
	})
}

// The account page and the API mail a new link, through the outbox, at
// most once a minute; the new link works.
func TestEmailProofResend(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		// The clock is set before the first request: the server reads it
		// in its own goroutines, which start after this write.
		var skew atomic.Int64
		e.setDeps(func(d *app.Deps) { d.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) } })
		b, _, tok := e.registered("new@example.org")
		first := e.proofLink("new@example.org")
		if p := b.post("/account/email-proof/send", nil); !strings.Contains(p.doc.Find(".flash-error, .error, [role=alert]").Text(), "less than a minute") {
			t.Errorf("resend at once from the page: %q", p.doc.Text())
		}
		if code, body := e.do("POST", "/api/v1/me/email-proof", tok, ""); code != 409 || !strings.Contains(body, "less than a minute") {
			t.Errorf("resend at once over the API: %d %s", code, body)
		}
		// A minute later (the last proof moved back in the store).
		skew.Store(int64(2 * time.Minute))
		if code, body := e.do("POST", "/api/v1/me/email-proof", tok, ""); code != 202 || strings.Contains(body, "vmtp_") {
			t.Errorf("resend over the API: %d %s (the secret must be in the mail only)", code, body)
		}
		second := e.proofLink("new@example.org")
		if second == first {
			t.Fatalf("the resent link is the first one")
		}
		if p := b.post(vmt.EmailProofPath, url.Values{"token": {strings.TrimPrefix(second, vmt.EmailProofPath+"?token=")}}); p.url.Path != "/account" {
			t.Errorf("the resent link: %d %s", p.status, p.doc.Find(".error").Text())
		}
		if p := b.get("/account"); !strings.Contains(p.doc.Find("#email-state").Text(), "is confirmed") {
			t.Errorf("the account page after the proof: %q", p.doc.Find("#email-state").Text())
		}
	})
}

func tbNoErr(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
