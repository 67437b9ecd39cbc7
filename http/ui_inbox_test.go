package http_test

import (
	"context"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/vmtproject/vmt"
)

// Signed in, the home page is the inbox: the same items, in the same
// order, as the API's, for the coordinator (an untriaged report waits on
// the VMT) and for the reporter (who waits on it); signed out it is the
// page that asks for a report.
func TestUIHomeIsTheInbox(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		coord, cb := e.signedIn("coord@example.org", vmt.RoleVMT)
		if err := e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}); err != nil {
			t.Fatal(err)
		}
		rep, rb := e.signedIn("rep@example.org", vmt.RoleReporter)
		for _, title := range []string{"Escape via virtio-fs", "Escape via the agent"} {
			if _, err := e.svc.CreateReport(ctx, rep, vmt.ReportInput{Title: title, Description: "A guest escapes.", Components: []string{"runtime"}}); err != nil {
				t.Fatal(err)
			}
		}
		rows := func(p *page, section string) []string {
			var out []string
			p.doc.Find(section + " tbody tr").Each(func(_ int, s *goquery.Selection) {
				out = append(out, s.AttrOr("data-report", "")+" "+strings.TrimSpace(s.Find("td").Eq(2).Text()))
			})
			return out
		}
		want := func(items []vmt.InboxItem) []string {
			var out []string
			for _, x := range items {
				out = append(out, strconv.FormatInt(x.ReportID, 10)+" "+x.Action)
			}
			return out
		}
		for _, c := range []struct {
			name  string
			a     vmt.Actor
			b     *browser
			mine  int
			other int
		}{{"coordinator", coord, cb, 2, 0}, {"reporter", rep, rb, 0, 2}} {
			in, err := e.svc.Inbox(ctx, c.a)
			if err != nil {
				t.Fatal(err)
			}
			if len(in.Mine) != c.mine || len(in.Others) != c.other {
				t.Fatalf("%s: inbox %+v", c.name, in)
			}
			p := c.b.get("/")
			if p.status != http.StatusOK || p.url.Path != "/" {
				t.Fatalf("%s: home %d at %s", c.name, p.status, p.url)
			}
			if got := rows(p, "#inbox-mine"); !reflect.DeepEqual(got, want(in.Mine)) {
				t.Errorf("%s: the page's next steps %q, the API's %q", c.name, got, want(in.Mine))
			}
			if got := rows(p, "#inbox-others"); !reflect.DeepEqual(got, want(in.Others)) {
				t.Errorf("%s: the page's waits %q, the API's %q", c.name, got, want(in.Others))
			}
		}
		if p := e.browser().get("/"); p.doc.Find("#inbox-mine").Length() != 0 || !strings.Contains(p.body, "Report a vulnerability") {
			t.Errorf("signed out, the home page is not the report page")
		}
	})
}
