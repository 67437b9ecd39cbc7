package http_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/gitrepo"
)

// uploadFix posts the report page's upload form as a browser does:
// multipart, the file under "series", from the site's own origin.
func (b *browser) uploadFix(path, branch, filename, series string) *page {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField("branch", branch); err != nil {
		b.t.Fatal(err)
	}
	fw, err := mw.CreateFormFile("series", filename)
	if err != nil {
		b.t.Fatal(err)
	}
	if _, err := fw.Write([]byte(series)); err != nil {
		b.t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		b.t.Fatal(err)
	}
	req, err := http.NewRequest("POST", b.base+path, &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.base)
	return b.do(req)
}

// The reporter attaches a real git format-patch series from the report's
// page: it lands in the branch's row as version 1, pending review. A
// series that does not apply is refused with git's reason next to the file
// field, the branch kept selected; so are an empty file, one over the
// API's 4 MiB and an unknown branch, and nothing is recorded for them. An
// outsider gets the 404 page.
func TestUIFixUpload(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		e := newEnv(t, engine)
		up, series := gitUpstream(t)
		e.setDeps(func(d *app.Deps) {
			d.Checker = &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"kata-containers": up}}
		})
		own, ownB := e.signedIn("own@example.org", vmt.RoleReporter)
		_, outB := e.signedIn("out@example.org", vmt.RoleReporter)
		r, err := e.svc.CreateReport(ctx, own, vmt.ReportInput{Title: "virtio overflow", Description: "It overflows."})
		noErr(t, err)
		path := "/reports/" + itoa(r.ID)

		p := ownB.get(path)
		checkLabels(t, "report page", p)
		form := p.doc.Find(`#fix-upload form[action="` + path + `/fixes/upload"][enctype="multipart/form-data"]`)
		if form.Length() != 1 || form.Find(`input[type=file][name=series]`).Length() != 1 {
			t.Fatalf("no upload form on the reporter's page")
		}
		var opts []string
		form.Find("#upload-branch option").Each(func(_ int, s *goquery.Selection) { opts = append(opts, s.AttrOr("value", "")) })
		if strings.Join(opts, " ") != strings.Join(e.proj.Branches, " ") {
			t.Errorf("branch options %v, want the supported branches %v", opts, e.proj.Branches)
		}

		p = ownB.uploadFix(path+"/fixes/upload", "stable-3.2", "0001-virtio-bound-the-queue.patch", series)
		row := p.doc.Find(`#fix-matrix tr[data-branch="stable-3.2"]`)
		if p.status != 200 || !strings.Contains(p.doc.Find(".flash").Text(), "Version 1") ||
			!strings.Contains(row.Find(".fix").Text(), "virtio: bound the queue") || !strings.Contains(row.Find(".review").Text(), "pending review") {
			t.Fatalf("after the upload: %d, flash %q, row %q, errors %q", p.status, p.doc.Find(".flash").Text(), row.Text(), p.doc.Find(".error").Text())
		}
		fixes, err := e.svc.Fixes(ctx, own, r.ID)
		noErr(t, err)
		if len(fixes) != 1 || fixes[0].SeriesBytes != len(series) || fixes[0].Branch != "stable-3.2" || fixes[0].UploadedBy != own.ID() {
			t.Fatalf("fixes after the upload: %+v", fixes)
		}
		patch, err := e.svc.FixPatch(ctx, own, r.ID, fixes[0].ID)
		if err != nil || patch.Series != series {
			t.Fatalf("the patch after the upload: %v, %+v", err, patch)
		}

		// A context line the branch does not have: git refuses it.
		bad := strings.Replace(series, "\n a\n", "\n z\n", 1)
		if bad == series {
			t.Fatal("the test series has no context line ' a'")
		}
		for _, tc := range []struct{ name, branch, series, want string }{
			{"does not apply", "main", bad, "virtio.go: patch does not apply"}, // git's own words
			{"empty", "main", "", "empty"},
			{"too large", "main", strings.Repeat("x", vmt.MaxFixSeriesBytes+1), "over 4 MiB"},
			{"unknown branch", "stable-9", series, "not a supported branch"},
		} {
			p := ownB.uploadFix(path+"/fixes/upload", tc.branch, "fix.patch", tc.series)
			msg := p.doc.Find("#fix-upload #upload-error").Text()
			if p.status != 200 || !strings.Contains(msg, tc.want) {
				t.Errorf("%s: %d, message next to the field %q, want %q (page errors %q)", tc.name, p.status, msg, tc.want, p.doc.Find(".error").Text())
			}
			if _, open := p.doc.Find("#fix-upload").Attr("open"); !open {
				t.Errorf("%s: the upload form is not open to show the refusal", tc.name)
			}
			if tc.branch == "main" && p.doc.Find(`#upload-branch option[value=main]`).AttrOr("selected", "x") == "x" {
				t.Errorf("%s: the branch chosen is not selected again", tc.name)
			}
		}
		if p := ownB.get(path); p.doc.Find("#upload-error").Length() != 0 {
			t.Errorf("the refusal is shown again on the next visit")
		}
		if p := outB.uploadFix(path+"/fixes/upload", "main", "fix.patch", series); p.status != 404 {
			t.Errorf("an outsider's upload: %d, want 404", p.status)
		}
		fixes, err = e.svc.Fixes(ctx, own, r.ID)
		noErr(t, err)
		if len(fixes) != 1 {
			t.Errorf("%d fixes after the refused uploads, want 1", len(fixes))
		}
	})
}
