package http_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/csaf"
	"github.com/vmtproject/vmt/cvss"
	"github.com/vmtproject/vmt/ossa"
	"github.com/vmtproject/vmt/schematest"
)

// importDoc is the JSON of one published advisory to import.
func importDoc(file, id, alias string) string {
	al := ""
	if alias != "" {
		al = `,"aliases":["` + alias + `"]`
	}
	return fmt.Sprintf(`{"file":%q,"advisory":{"id":%q%s,"kind":"advisory","state":"published","title":"Imported %s","description":"d",`+
		`"affected":[{"component":"nova","ecosystem":"PyPI","versions":">=1.0.0 <1.2.3","ranges":[{"introduced":"1.0.0","fixed":"1.2.3","type":"ECOSYSTEM"}]}],`+
		`"published":"2014-11-18T00:00:00Z"}}`, file, id, al, file)
}

// TestImportedAdvisoriesInFeeds: imported advisories are in the public
// index, the OSV data source and the CSAF trusted provider at once, on
// both engines; the import's own limits (body size, number of documents)
// are refused by name.
func TestImportedAdvisoriesInFeeds(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		e.setDeps(func(d *app.Deps) {
			d.Publication.BaseURL = e.srv.URL
			d.Publication.Signer = testSigner(t)
		})
		body := `{"documents":[` + importDoc("OSSA-2014-039.yaml", "OSSA-2014-039", "") + `,` + importDoc("GHSA-6978-vg2j-cc9q.json", "", "GHSA-6978-vg2j-cc9q") + `]}`
		resp, got := e.post("/api/v1/projects/kata-containers/advisories/import", e.token, "", body)
		if resp.StatusCode != 200 || strings.Count(got, `"outcome":"imported"`) != 2 || !strings.Contains(got, `"id":"KCSA-2014-001"`) {
			t.Fatalf("import: %d %s", resp.StatusCode, got)
		}
		for _, id := range []string{"OSSA-2014-039", "KCSA-2014-001"} {
			for _, path := range []string{"/osv/all.json", "/advisories.json", "/.well-known/csaf/white/index.txt"} {
				want := id
				if strings.HasPrefix(path, "/.well-known") {
					want = "2014/" + csaf.FileName(id)
				}
				if resp, b := e.get(path, ""); resp.StatusCode != 200 || !strings.Contains(b, want) {
					t.Errorf("%s: %d, %s not listed:\n%.400s", path, resp.StatusCode, want, b)
				}
			}
			if resp, b := e.get("/osv/"+id+".json", ""); resp.StatusCode != 200 || !strings.Contains(b, `"type": "ECOSYSTEM"`) && !strings.Contains(b, `"type":"ECOSYSTEM"`) {
				t.Errorf("/osv/%s.json: %d %.400s", id, resp.StatusCode, b)
			}
		}

		big := `{"documents":[{"file":"x","advisory":{"description":"` + strings.Repeat("a", vmt.MaxImportBytes) + `"}}]}`
		if resp, got := e.post("/api/v1/projects/kata-containers/advisories/import", e.token, "", big); resp.StatusCode != 413 || !strings.Contains(got, fmt.Sprint(vmt.MaxImportBytes)) {
			t.Errorf("a body over the limit: %d %.300s", resp.StatusCode, got)
		}
		docs := make([]string, vmt.MaxImportDocuments+1)
		for i := range docs {
			docs[i] = importDoc(fmt.Sprintf("f%d.yaml", i), fmt.Sprintf("OSSA-2015-%03d", i+1), "")
		}
		if resp, got := e.post("/api/v1/projects/kata-containers/advisories/import", e.token, "", `{"documents":[`+strings.Join(docs, ",")+`]}`); resp.StatusCode != 400 || !strings.Contains(got, `"field":"documents"`) {
			t.Errorf("too many documents: %d %.300s", resp.StatusCode, got)
		}
	})
}

// TestReimportOfExportedFiles: the 183 OSSAs and the 7 KCSAs of
// testdata, imported into a server, are served as /advisories/ID.yaml
// and /advisories/ID.md; those files, imported again through the same
// endpoint, are "unchanged", every one, on both engines.
func TestReimportOfExportedFiles(t *testing.T) {
	dir := schematest.DataDir(t)
	ossaFiles, _ := filepath.Glob(filepath.Join(dir, "ossa/ossa/OSSA-*.yaml"))
	kcsaFiles, _ := filepath.Glob(filepath.Join(dir, "kata/VMT/KCSA/KCSA-*.md"))
	if len(ossaFiles) != 183 || len(kcsaFiles) != 7 {
		t.Fatalf("found %d OSSA and %d KCSA files, want 183 and 7", len(ossaFiles), len(kcsaFiles))
	}
	read := func(f string) vmt.ImportDocument {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var a *vmt.Advisory
		if strings.HasSuffix(f, ".md") {
			a, _, err = ossa.ImportKCSA(b)
		} else {
			a, err = ossa.Import(b)
		}
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		return vmt.ImportDocument{File: filepath.Base(f), Advisory: *a}
	}
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		e.setDeps(func(d *app.Deps) {
			d.Publication.BaseURL = e.srv.URL
			d.CheckAdvisory = cvss.Check // 107 OSSAs carry a CVSS 2 vector
		})
		send := func(docs []vmt.ImportDocument) vmt.ImportReport {
			t.Helper()
			body, err := json.Marshal(vmt.ImportRequest{Documents: docs})
			if err != nil {
				t.Fatal(err)
			}
			resp, got := e.post("/api/v1/projects/kata-containers/advisories/import", e.token, "", string(body))
			var rep vmt.ImportReport
			if resp.StatusCode != 200 || json.Unmarshal([]byte(got), &rep) != nil || len(rep.Results) != len(docs) {
				t.Fatalf("import: %d %.500s", resp.StatusCode, got)
			}
			return rep
		}
		var docs []vmt.ImportDocument
		for _, f := range append(append([]string{}, ossaFiles...), kcsaFiles...) {
			docs = append(docs, read(f))
		}
		first := send(docs)
		if n := first.Count(vmt.ImportImported); n != len(docs) {
			for _, r := range first.Results {
				if r.Outcome != vmt.ImportImported {
					t.Errorf("first import: %s: %s: %s", r.File, r.Outcome, r.Reason)
				}
			}
			t.Fatalf("first import: %d of %d imported", n, len(docs))
		}
		// Fetch each document's file in its own layout, as a project
		// keeping its advisories in git would, and send them again.
		var again []vmt.ImportDocument
		for i, res := range first.Results {
			suffix, kcsa := ".yaml", strings.HasSuffix(res.File, ".md")
			if kcsa {
				suffix = ".md"
			}
			resp, body := e.get("/advisories/"+res.ID+suffix, "")
			if resp.StatusCode != 200 {
				t.Fatalf("/advisories/%s%s: %d %.300s", res.ID, suffix, resp.StatusCode, body)
			}
			var a *vmt.Advisory
			var err error
			if kcsa {
				a, _, err = ossa.ImportKCSA([]byte(body))
			} else {
				a, err = ossa.Import([]byte(body))
			}
			if err != nil {
				t.Fatalf("%s (%s): the served file does not import: %v\n%s", res.ID, docs[i].File, err, body)
			}
			again = append(again, vmt.ImportDocument{File: res.ID + suffix, Advisory: *a})
		}
		second := send(again)
		for _, r := range second.Results {
			if r.Outcome != vmt.ImportUnchanged {
				t.Errorf("%s: %s: %s", r.File, r.Outcome, r.Reason)
			}
		}
		t.Logf("%s: %d imported, then %d of %d served files unchanged", engine, first.Count(vmt.ImportImported), second.Count(vmt.ImportUnchanged), len(again))
	})
}
