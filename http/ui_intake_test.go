package http_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// TestUIIntakeAttachmentsAndFailures: a report filed from a mail shows,
// on its page, the files it came with and how it arrived to its VMT and
// its reporter; each file downloads as application/octet-stream with an
// attachment disposition, never as the type the sender gave. The
// project's intake page lists the messages that could not be filed and
// the settings' state, to its VMT and the administrators, and the VMT's
// first page links to it. Another reporter, a stakeholder not let in, the
// VMT of another project and the anonymous get 404 for the report page,
// the download and the intake page, with nothing of either in it.
func TestUIIntakeAttachmentsAndFailures(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		coord, cb := e.signedIn("coord@example.org", vmt.RoleVMT)
		noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}))
		_, rb := e.signedIn("mailer@example.net", vmt.RoleReporter) // proven, with a password: the reporter
		_, ob := e.signedIn("other@example.net", vmt.RoleReporter)
		_, sb := e.signedIn("sec@distro.example", vmt.RoleStakeholder)
		other, err := e.svc.CreateProject(ctx, e.admin, vmt.Project{Name: "other", AdvisoryPrefix: "OSA", NotePrefix: "OSN", Branches: []string{"main"}})
		noErr(t, err)
		vmtX, xb := e.signedIn("vmtx@example.org", vmt.RoleVMT)
		noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: other.ID, UserID: vmtX.ID(), Role: vmt.MemberVMT}))
		e.withPassword(e.admin)
		ab := e.browser()
		ab.login("admin@example.org")
		anon := e.browser()

		const fpr = "0123456789ABCDEF0123456789ABCDEF01234567"
		res, err := e.svc.FileIntake(ctx, e.proj.ID, vmt.IntakeMail{MessageID: "m1@example.net", From: "mailer@example.net",
			Subject: "Agent overflow by mail", Body: "Details.", Encrypted: true,
			Signature: vmt.IntakeSignature{State: vmt.SigValid, Fingerprint: fpr},
			Attachments: []vmt.ReportAttachment{
				{Name: "poc.html", ContentType: "text/html", Data: []byte("<script>alert(1)</script>")},
				{Name: "trace.txt", ContentType: "text/plain", Data: []byte(strings.Repeat("x", 3000))},
			}})
		noErr(t, err)
		if !res.Filed {
			t.Fatal("the mail was not filed")
		}
		for _, f := range []*vmt.IntakeFailure{
			{ProjectID: e.proj.ID, Key: "broken@example.net", From: "eve@example.net", Subject: "Secret broken mail", Size: 1234, Reason: "cannot decrypt: no key"},
			{ProjectID: e.proj.ID, Key: "broken@example.net", From: "eve@example.net", Subject: "Secret broken mail", Size: 1234, Reason: "cannot decrypt: no key"},
		} {
			noErr(t, e.svc.RecordIntakeFailure(ctx, f))
		}
		noErr(t, e.svc.Deps().Store.Update(ctx, func(tx vmt.Tx) error { // a disabled intake with a folder
			return tx.SetIntakeSettings(&vmt.IntakeSettings{ProjectID: e.proj.ID, Folder: "Security"})
		}))

		path := fmt.Sprintf("/reports/%d", res.ReportID)
		var dl string
		for name, b := range map[string]*browser{"coordinator": cb, "reporter": rb, "admin": ab} {
			p := b.get(path)
			if p.status != http.StatusOK {
				t.Fatalf("%s: report page %d", name, p.status)
			}
			rows := p.doc.Find("#attachments .attachment")
			if rows.Length() != 2 {
				t.Fatalf("%s: %d attachments listed, want 2: %s", name, rows.Length(), p.doc.Find("#attachments").Text())
			}
			first := rows.First()
			href, _ := first.Find("a").Attr("href")
			if got := first.Text(); !strings.Contains(got, "poc.html") || !strings.Contains(got, "25 B") || !strings.Contains(got, "text/html") {
				t.Errorf("%s: first attachment row %q", name, got)
			}
			if got := rows.Eq(1).Text(); !strings.Contains(got, "trace.txt") || !strings.Contains(got, "2.9 KiB") {
				t.Errorf("%s: second attachment row %q", name, got)
			}
			if !strings.HasPrefix(href, path+"/attachments/") {
				t.Errorf("%s: download link %q", name, href)
			}
			dl = href
			prov := p.doc.Find("#intake-provenance")
			if enc, _ := prov.Attr("data-encrypted"); enc != "true" || prov.Find("#intake-fingerprint").Text() != fpr ||
				!strings.Contains(prov.Text(), "good signature") {
				t.Errorf("%s: provenance %q (encrypted %q)", name, prov.Text(), enc)
			}
		}

		// A signer's fingerprint names the reporter: someone let in
		// while the reporter's identity is withheld sees the mail's
		// state and the files, not the fingerprint.
		rev, revb := e.signedIn("rev@example.org", vmt.RoleReviewer)
		_, err = e.svc.Subscribe(ctx, e.admin, res.ReportID, rev.ID())
		noErr(t, err)
		noErr(t, e.svc.Deps().Store.Update(ctx, func(tx vmt.Tx) error {
			r, err := tx.Report(res.ReportID)
			if err != nil {
				return err
			}
			r.NeverDisclose = []string{"reporter_identity"}
			return tx.UpdateReport(r)
		}))
		if p := revb.get(path); p.status != http.StatusOK || p.doc.Find("#attachments .attachment").Length() != 2 ||
			p.doc.Find("#intake-provenance").Length() != 1 || p.doc.Find("#intake-fingerprint").Length() != 0 ||
			strings.Contains(p.doc.Find("#intake-provenance").Text(), fpr) {
			t.Errorf("reviewer with the reporter withheld: %d, provenance %q", p.status, p.doc.Find("#intake-provenance").Text())
		}
		if p := cb.get(path); p.doc.Find("#intake-fingerprint").Text() != fpr {
			t.Errorf("the coordinator lost the fingerprint once the reporter is withheld: %q", p.doc.Find("#intake-provenance").Text())
		}

		// The download: the bytes as sent, as a file.
		for name, b := range map[string]*browser{"coordinator": cb, "reporter": rb} {
			resp, err := b.c.Get(b.base + dl)
			noErr(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/octet-stream" ||
				resp.Header.Get("Content-Disposition") != `attachment; filename="poc.html"` ||
				resp.Header.Get("X-Content-Type-Options") != "nosniff" || string(body) != "<script>alert(1)</script>" {
				t.Errorf("%s: download %d %v %q", name, resp.StatusCode, resp.Header, body)
			}
		}
		if p := cb.get(path + "/attachments/999999"); p.status != http.StatusNotFound {
			t.Errorf("a missing attachment: %d", p.status)
		}

		// The intake page, for the VMT and the administrators.
		for name, b := range map[string]*browser{"coordinator": cb, "admin": ab} {
			p := b.get("/projects/kata-containers/intake")
			if p.status != http.StatusOK {
				t.Fatalf("%s: intake page %d", name, p.status)
			}
			rows := p.doc.Find("#intake-failures-table .intake-failure")
			if rows.Length() != 1 {
				t.Fatalf("%s: %d failures listed, want 1", name, rows.Length())
			}
			cells := rows.First().Find("td")
			if got := []string{cells.Eq(1).Text(), cells.Eq(2).Text(), cells.Eq(3).Text(), cells.Eq(4).Text()}; strings.Join(got, "|") !=
				"eve@example.net|Secret broken mail|cannot decrypt: no key|2" {
				t.Errorf("%s: failure row %q", name, got)
			}
			if st, _ := p.doc.Find("#intake-state").Attr("data-enabled"); st != "false" || p.doc.Find("#intake-folder").Text() != "Security" ||
				p.doc.Find("#intake-last time").Length() != 1 {
				t.Errorf("%s: settings %q, folder %q, last %q", name, st, p.doc.Find("#intake-folder").Text(), p.doc.Find("#intake-last").Text())
			}
		}
		// The VMT's first page links to it; a reporter's does not.
		if l := cb.get("/").doc.Find(`#intake-failures li[data-project="kata-containers"] a`); l.Length() != 1 ||
			l.AttrOr("href", "") != "/projects/kata-containers/intake" || !strings.Contains(l.Text(), "1 message") {
			t.Errorf("the coordinator's home page: %q", l.Text())
		}
		for name, b := range map[string]*browser{"reporter": rb, "other project's VMT": xb} {
			if p := b.get("/"); p.doc.Find("#intake-failures").Length() != 0 || strings.Contains(p.body, "/intake") {
				t.Errorf("%s: the home page links to the intake failures", name)
			}
		}

		// Everyone else: the 404 of a page that does not exist.
		missing := cb.get("/no/such/page")
		for name, b := range map[string]*browser{"another reporter": ob, "stakeholder": sb, "other project's VMT": xb, "anonymous": anon, "reporter": rb} {
			for _, q := range []string{"/projects/kata-containers/intake", "/projects/nosuch/intake"} {
				p := b.get(q)
				if p.status != http.StatusNotFound || strings.Contains(p.body, "Secret broken mail") || strings.Contains(p.body, "eve@example.net") ||
					p.doc.Find("main").Text() != missing.doc.Find("main").Text() {
					t.Errorf("%s: %s: %d", name, q, p.status)
				}
			}
			if name == "reporter" {
				continue // reads their own report
			}
			for _, q := range []string{path, dl} {
				if p := b.get(q); p.status != http.StatusNotFound || strings.Contains(p.body, "alert(1)") || strings.Contains(p.body, "Agent overflow") {
					t.Errorf("%s: %s: %d", name, q, p.status)
				}
			}
		}
	})
}

// TestUIAttachmentsFollowTheAPI goes through the matrix of the API's
// authorization tests: the report page lists a private report's
// attachments, and the page's download answers, exactly as the API's
// attachment list does for each principal (404 where it is 404), and the
// intake page is 200 where the API's failures are, and 404 for everyone
// else (signed out included, whom a page would otherwise send to sign in).
func TestUIAttachmentsFollowTheAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newMatrix(t, engine)
		bs := webCast(t, m)
		ctx := context.Background()
		priv := m.report(false)
		at := &vmt.ReportAttachment{ReportID: priv, Name: "poc.sh", ContentType: "text/x-sh", Data: []byte("echo pwned"), Size: 10}
		noErr(t, m.svc.Deps().Store.Update(ctx, func(tx vmt.Tx) error { return tx.AddReportAttachment(at) }))
		var wantList, wantFailures []string
		for _, rt := range reportRoutes {
			if rt.method == "GET" && rt.path == "/api/v1/reports/{id}/attachments" {
				wantList = strings.Fields(rt.private)
			}
		}
		for _, rt := range otherRoutes {
			if rt.method == "GET" && rt.path == "/api/v1/projects/kata-containers/intake/failures" {
				wantFailures = strings.Fields(rt.want)
			}
		}
		if len(wantList) != len(principals) || len(wantFailures) != len(principals) {
			t.Fatalf("the API's rows are missing: %v %v", wantList, wantFailures)
		}
		dl := "/reports/" + itoa(priv) + "/attachments/" + itoa(at.ID)
		for i, p := range principals {
			b := bs[p]
			page := b.get("/reports/" + itoa(priv))
			listed := page.doc.Find(`#attachments .attachment[data-id="` + itoa(at.ID) + `"]`).Length()
			if want := wantList[i]; want == "200" && (page.status != 200 || listed != 1) || want != "200" && (page.status != 404 || listed != 0) {
				t.Errorf("%s: report page %d with %d attachments, want %s", p, page.status, listed, want)
			}
			d := b.get(dl)
			if strconv.Itoa(d.status) != wantList[i] || wantList[i] != "200" && strings.Contains(d.body, "pwned") {
				t.Errorf("%s: download %d, want %s", p, d.status, wantList[i])
			}
			want := "404"
			if wantFailures[i] == "200" {
				want = "200"
			}
			if ip := b.get("/projects/kata-containers/intake"); strconv.Itoa(ip.status) != want {
				t.Errorf("%s: intake page %d, want %s", p, ip.status, want)
			}
		}
	})
}
