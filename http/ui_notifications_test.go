package http_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/vmtproject/vmt"
)

// The settings page a notification's List-Unsubscribe names shows every
// kind, checked while on; saving the form turns off the unchecked ones
// and sets the digest, as the API then reads them.
func TestUINotificationSettings(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		a, b := e.signedIn("rep@example.org", vmt.RoleReporter)
		p := b.get(vmt.NotificationsPath)
		if p.status != http.StatusOK {
			t.Fatalf("settings page: %d", p.status)
		}
		for _, k := range vmt.NotifyKinds() {
			box := p.doc.Find(`#notifications input[name="notify_` + string(k) + `"]`)
			if box.Length() != 1 || box.AttrOr("checked", "none") == "none" || p.doc.Find(`label[for="notify-`+string(k)+`"]`).Length() != 1 {
				t.Errorf("kind %s: not a checked, labelled box", k)
			}
		}
		form := url.Values{"digest": {"1"}}
		for _, k := range vmt.NotifyKinds() {
			if k != vmt.NotifyComment && k != vmt.NotifyStatusChange {
				form.Set("notify_"+string(k), "1")
			}
		}
		p = b.post(vmt.NotificationsPath, form)
		if p.status != http.StatusOK || p.url.Path != "/account" {
			t.Fatalf("saving: %d at %s", p.status, p.url)
		}
		set, err := e.svc.NotificationSettings(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range vmt.NotifyKinds() {
			if want := k != vmt.NotifyComment && k != vmt.NotifyStatusChange; set.Kinds[k] != want {
				t.Errorf("kind %s: on %v, want %v", k, set.Kinds[k], want)
			}
		}
		if !set.Digest {
			t.Error("the digest was not set")
		}
		p = b.get("/account")
		if p.doc.Find(`#notify-comment[checked]`).Length() != 0 || p.doc.Find(`#notify-new_report[checked]`).Length() != 1 ||
			p.doc.Find(`#notify-digest[checked]`).Length() != 1 {
			t.Error("the account page does not show the saved settings")
		}
	})
}
