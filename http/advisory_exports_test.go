package http_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/cvss"
	"github.com/vmtproject/vmt/ossa"
	"github.com/vmtproject/vmt/schematest"
)

// publishDoc files a public report in project, drafts doc on it and
// publishes it (and withdraws it if asked).
func publishDoc(t *testing.T, m *matrix, project string, doc vmt.Advisory, withdraw bool) *vmt.Advisory {
	t.Helper()
	ctx := context.Background()
	m.setDeps(func(d *app.Deps) { d.CheckAdvisory = cvss.Check })
	r, err := m.svc.CreateReport(ctx, m.admin, vmt.ReportInput{Project: project, Title: "Escape " + doc.Title, Description: "Details."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.svc.MakePublic(ctx, m.admin, r.ID, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.svc.Classify(ctx, m.admin, r.ID, "A"); err != nil {
		t.Fatal(err)
	}
	d, err := m.svc.DraftAdvisory(ctx, m.admin, r.ID, doc)
	if err == nil {
		_, err = m.svc.EmbargoAdvisory(ctx, m.admin, d.RecordID)
	}
	if err == nil {
		d, err = m.svc.PublishAdvisory(ctx, m.admin, d.RecordID)
	}
	if err == nil && withdraw {
		d, err = m.svc.WithdrawAdvisory(ctx, m.admin, d.RecordID, "Not a flaw.")
	}
	if err != nil {
		t.Fatalf("%s: %v", doc.Title, err)
	}
	return d
}

// TestIndexedExportsExist is the rule "an export the index lists exists":
// over a varied set of public documents (with and without a vendor, with
// no, one and several CVEs, withdrawn, in a project that names a CNA and
// in one that does not), every export /advisories.json lists answers 200
// with JSON that validates against its official schema, and a JSON route's
// error is JSON, not an HTML page.
func TestIndexedExportsExist(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		m := newMatrix(t, engine)
		if _, err := m.svc.SetCNASettings(ctx, m.admin, "kata-containers", vmt.CNASettings{
			OrgID: "6d5b2f5c-0f3a-4c1e-9d7e-1b2c3d4e5f60", ShortName: "kata"}); err != nil {
			t.Fatal(err)
		}
		noVendor := func(mark string, cves ...string) vmt.Advisory {
			d := pubDoc(mark)
			d.Vendor = ""
			d.CVEs = cves
			if len(cves) == 0 {
				d.CVSS = nil
			}
			return d
		}
		docs := []*vmt.Advisory{
			publishDoc(t, m, "kata-containers", pubDoc("with-vendor"), false),
			publishDoc(t, m, "kata-containers", noVendor("no-vendor-one-cve", "CVE-2026-20001"), false),
			publishDoc(t, m, "kata-containers", noVendor("no-vendor-no-cve"), false),
			publishDoc(t, m, "kata-containers", noVendor("no-vendor-two-cves", "CVE-2026-20002", "CVE-2026-20003"), false),
			publishDoc(t, m, "kata-containers", noVendor("withdrawn-no-vendor", "CVE-2026-20004"), true),
			publishDoc(t, m, "other", noVendor("other-project-no-cna", "CVE-2026-20005"), false),
		}
		kinds := map[string]string{"osv": schematest.OSVPublished, "csaf": schematest.CSAF, "cve": schematest.CVE5}
		listed := map[string]bool{}
		for next := "/advisories.json"; next != ""; {
			resp, body := m.get(strings.TrimPrefix(next, m.srv.URL), "")
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d %.300s", next, resp.StatusCode, body)
			}
			var index struct {
				Next       string `json:"next"`
				Advisories []struct {
					ID      string            `json:"id"`
					Exports map[string]string `json:"exports"`
				} `json:"advisories"`
			}
			if err := json.Unmarshal([]byte(body), &index); err != nil {
				t.Fatal(err)
			}
			for _, it := range index.Advisories {
				listed[it.ID] = true
				if it.Exports["csaf"] == "" || it.Exports["osv"] == "" {
					t.Errorf("%s: the index lists no CSAF or OSV export: %v", it.ID, it.Exports)
				}
				for name, u := range it.Exports {
					path, ok := strings.CutPrefix(u, m.srv.URL)
					if !ok {
						t.Fatalf("%s: export %s is not on this site: %s", it.ID, name, u)
					}
					resp, body := m.get(path, "")
					if name == "ossa" || name == "kcsa" {
						checkFileExport(t, it.ID, name, resp, body)
						continue
					}
					if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
						t.Errorf("%s %s: %d %s, want 200 JSON; %.300s", it.ID, path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
						continue
					}
					kind, _, _ := strings.Cut(name, ":")
					schematest.Validate(t, kinds[kind], it.ID+" "+name, []byte(body))
				}
			}
			next = index.Next
		}
		for _, d := range docs {
			if !listed[d.ID.String()] {
				t.Errorf("%s (%s) is not in the index", d.ID, d.Title)
			}
		}
		// What the index does not list, and every error of a JSON route,
		// is a JSON error.
		for _, path := range []string{"/advisories/" + docs[2].ID.String() + "/cve.json", "/advisories/" + docs[4].ID.String() + "/cve.json",
			"/advisories/" + docs[5].ID.String() + "/cve.json", "/advisories/" + docs[1].ID.String() + "/cve.json?cve=CVE-2026-29999",
			"/advisories/KCSA-2026-999/csaf.json", "/advisories/" + docs[0].ID.String() + "/nope.json", "/advisories.json?page=99"} {
			resp, body := m.get(path, "")
			var eb struct {
				Error struct{ Code string } `json:"error"`
			}
			if resp.StatusCode != 404 || json.Unmarshal([]byte(body), &eb) != nil || eb.Error.Code != "not_found" {
				t.Errorf("%s: %d %s, want a 404 JSON error; %.200s", path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
		}
	})
}

// checkFileExport checks a listed OSSA YAML or KCSA file: served with its
// media type, and read back by the importer as the document of id.
func checkFileExport(t *testing.T, id, name string, resp *http.Response, body string) {
	t.Helper()
	want := map[string]string{"ossa": "application/yaml", "kcsa": "text/markdown"}[name]
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), want) {
		t.Errorf("%s %s: %d %s, want 200 %s; %.300s", id, name, resp.StatusCode, resp.Header.Get("Content-Type"), want, body)
		return
	}
	var a *vmt.Advisory
	var err error
	if name == "ossa" {
		a, err = ossa.Import([]byte(body))
	} else {
		a, _, err = ossa.ImportKCSA([]byte(body))
	}
	if err != nil || a.OriginalID() != id {
		t.Errorf("%s %s: does not import back (%v, id %v):\n%s", id, name, err, a, body)
	}
}
