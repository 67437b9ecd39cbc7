package http_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/csaf"
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
