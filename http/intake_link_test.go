package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// TestIntakeLinkSignsIn: the one-time link of the reply to a mailed report
// opens the welcome page, which says it confirms the address; setting the
// password there signs the reporter in, proves the address, and shows
// the report. The reply without the reporter's key carries the number
// and the link, not the title.
func TestIntakeLinkSignsIn(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		res, err := e.svc.FileIntake(ctx, e.proj.ID, vmt.IntakeMail{MessageID: "m1@example.net", From: "Rita@Example.net",
			Subject: "Secret overflow title", Body: "Details.", Signature: vmt.IntakeSignature{State: vmt.SigNone},
			Attachments: []vmt.ReportAttachment{{Name: "x.html", ContentType: "text/html", Data: []byte("<script>alert(1)</script>")}}})
		noErr(t, err)
		var body string
		tbNoErr(t, e.svc.Deps().Store.View(ctx, func(tx vmt.Tx) error {
			items, err := tx.OutboxItems(res.ReportID)
			for _, o := range items {
				var m vmt.NoticeMail
				if o.Kind == vmt.KindIntakeReply && json.Unmarshal(o.Payload, &m) == nil && m.To[0] == "rita@example.net" {
					if m.PublicKey != "" {
						t.Errorf("a reply encrypted to a key no one gave: %s", m.PublicKey)
					}
					body = m.Body
				}
			}
			return err
		}))
		if strings.Contains(body, "Secret overflow title") || !strings.Contains(body, fmt.Sprintf("report #%d", res.ReportID)) {
			t.Errorf("unencrypted reply:\n%s", body)
		}
		l := regexp.MustCompile(regexp.QuoteMeta(vmt.AccountLinkPath) + `\?token=(vmtl_[a-z2-7]+)`).FindStringSubmatch(body)
		if l == nil {
			t.Fatalf("no link in the reply:\n%s", body)
		}
		b := e.browser()
		p := b.get(vmt.AccountLinkPath + "?token=" + l[1])
		if who := p.doc.Find("#welcome-who").Text(); p.status != http.StatusOK || !strings.Contains(who, "rita@example.net") || !strings.Contains(who, "confirms that the address is yours") {
			t.Fatalf("link page: %d %q", p.status, who)
		}
		p = b.post(vmt.AccountLinkPath, url.Values{"token": {l[1]}, "password": {"rita's long password"}, "password_again": {"rita's long password"}})
		if p.status != http.StatusOK || p.url.Path != "/" { // signed in: the inbox
			t.Fatalf("setting the password: %d at %s", p.status, p.url)
		}
		if p := b.get(fmt.Sprintf("/reports/%d", res.ReportID)); p.status != http.StatusOK || !strings.Contains(p.doc.Text(), "Secret overflow title") {
			t.Errorf("the reporter's report page: %d", p.status)
		}
		u, err := e.svc.Login(ctx, "rita@example.net", "rita's long password")
		noErr(t, err)
		if u.User.EmailVerifiedAt == nil {
			t.Error("the link did not prove the address")
		}
		// The attachment is served as a download, never as HTML.
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/reports/%d/attachments", e.srv.URL, res.ReportID), nil)
		req.Header.Set("Authorization", "Bearer "+e.token)
		resp, err := e.srv.Client().Do(req)
		noErr(t, err)
		var list struct {
			Items []vmt.ReportAttachment `json:"items"`
		}
		noErr(t, json.NewDecoder(resp.Body).Decode(&list))
		resp.Body.Close()
		if len(list.Items) != 1 || list.Items[0].Name != "x.html" {
			t.Fatalf("attachments: %+v", list.Items)
		}
		req, _ = http.NewRequest("GET", fmt.Sprintf("%s/api/v1/reports/%d/attachments/%d", e.srv.URL, res.ReportID, list.Items[0].ID), nil)
		req.Header.Set("Authorization", "Bearer "+e.token)
		resp, err = e.srv.Client().Do(req)
		noErr(t, err)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
			t.Errorf("download: %d %v", resp.StatusCode, resp.Header)
		}
	})
}
