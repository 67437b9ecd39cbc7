package http_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/schematest"
)

// TestOSVDataSource reads the OSV data source as OSV.dev's REST importer
// does: the index of ids and modified times, then each record at the
// base URL plus <id>.json; and all.zip as a bucket consumer does. Only
// the published and withdrawn documents are there; the draft and the
// embargoed ones (one with its report already public) are in no file,
// and their URL is a 404, for anyone and with any token.
func TestOSVDataSource(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newMatrix(t, engine)
		m.setDeps(func(d *app.Deps) { d.Publication.BaseURL = "https://vmt.example.org" })
		if _, body := m.get("/osv/all.json", ""); strings.TrimSpace(body) != "[]" {
			t.Errorf("empty index: %s", body)
		}
		hidden := []*vmt.Advisory{
			m.advisoryIn("embargoed", "SECRET-embargoed-private", false),
			m.advisoryIn("embargoed", "SECRET-embargoed-public-report", true),
			m.advisoryIn("draft", "SECRET-draft-public-report", true),
		}
		published := m.advisoryIn("published", "PUBLIC-published", true)
		withdrawn := m.advisoryIn("withdrawn", "PUBLIC-withdrawn", true)
		public := map[string]*vmt.Advisory{published.ID.String(): published, withdrawn.ID.String(): withdrawn}

		validate := schematest.Checker(t, schematest.OSVPublished)
		resp, body := m.get("/osv/all.json", "")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("index: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		var index []struct{ ID, Modified string }
		if err := json.Unmarshal([]byte(body), &index); err != nil {
			t.Fatalf("index: %v\n%s", err, body)
		}
		if len(index) != len(public) {
			t.Errorf("index lists %d records, want %d: %s", len(index), len(public), body)
		}
		records := map[string][]byte{}
		for _, e := range index {
			d, ok := public[e.ID]
			if !ok {
				t.Errorf("index lists %s, which is not public", e.ID)
				continue
			}
			want := *d.Published
			if d.Modified != nil {
				want = *d.Modified
			}
			if got, err := time.Parse(time.RFC3339Nano, e.Modified); err != nil || !got.Equal(want) {
				t.Errorf("%s: modified %q, want %s (%v)", e.ID, e.Modified, want.UTC().Format(time.RFC3339Nano), err)
			}
			// The importer fetches base URL + id + ".json".
			resp, rec := m.get("/osv/"+e.ID+".json", "")
			if resp.StatusCode != 200 {
				t.Errorf("%s: %d %s", e.ID, resp.StatusCode, rec)
				continue
			}
			if err := validate([]byte(rec)); err != nil {
				t.Errorf("%s does not validate: %v", e.ID, err)
			}
			var v struct {
				ID, Modified string
				Withdrawn    string
				Aliases      []string
			}
			if err := json.Unmarshal([]byte(rec), &v); err != nil {
				t.Fatal(err)
			}
			if v.ID != e.ID || v.Modified != e.Modified || !slices.Equal(v.Aliases, d.CVEs) {
				t.Errorf("%s: the record says id %s modified %s aliases %v; the index %s %s", e.ID, v.ID, v.Modified, v.Aliases, e.ID, e.Modified)
			}
			if (v.Withdrawn != "") != (d.State == vmt.AdvisoryWithdrawn) {
				t.Errorf("%s: withdrawn %q in state %s", e.ID, v.Withdrawn, d.State)
			}
			records[e.ID] = []byte(rec)
		}

		// all.zip holds the same records, byte for byte, and no other.
		resp, zipBody := m.get("/osv/all.zip", "")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
			t.Fatalf("all.zip: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		zr, err := zip.NewReader(bytes.NewReader([]byte(zipBody)), int64(len(zipBody)))
		if err != nil {
			t.Fatalf("all.zip: %v", err)
		}
		if len(zr.File) != len(public) {
			t.Errorf("all.zip has %d files, want %d", len(zr.File), len(public))
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			id := strings.TrimSuffix(f.Name, ".json")
			if want, ok := records[id]; !ok || !bytes.Equal(b, want) {
				t.Errorf("all.zip %s: not the record served at its URL (listed: %v)", f.Name, ok)
			}
			if strings.Contains(string(b), "SECRET") {
				t.Errorf("all.zip %s holds a document that is not public", f.Name)
			}
		}

		_, csv := m.get("/osv/modified_id.csv", "")
		if lines := strings.Split(strings.TrimSpace(csv), "\n"); len(lines) != len(public) {
			t.Errorf("modified_id.csv: %q", csv)
		}

		// What is not public is nowhere, whoever asks.
		for _, p := range []string{"admin", "vmt", "own", ""} {
			tok := m.tokens[p]
			for _, path := range []string{"/osv/all.json", "/osv/all.zip", "/osv/modified_id.csv"} {
				if _, b := m.get(path, tok); strings.Contains(b, "SECRET") {
					t.Errorf("%s as %q shows a document that is not public", path, p)
				}
			}
			for _, d := range hidden {
				if d.ID.IsZero() {
					if strings.Contains(body, "SECRET") {
						t.Errorf("index shows the draft")
					}
					continue
				}
				for _, e := range index {
					if e.ID == d.ID.String() {
						t.Errorf("index lists the %s document %s", d.State, e.ID)
					}
				}
				if _, ok := zipHas(zr, d.ID.String()+".json"); ok {
					t.Errorf("all.zip holds the %s document %s", d.State, d.ID)
				}
				resp, b := m.get("/osv/"+d.ID.String()+".json", tok)
				if resp.StatusCode != http.StatusNotFound || strings.Contains(b, "SECRET") {
					t.Errorf("/osv/%s.json (%s) as %q: %d %.200s", d.ID, d.State, p, resp.StatusCode, b)
				}
			}
		}
		for _, path := range []string{"/osv/KCSA-2026-099.json", "/osv/x.json", "/osv/all", "/osv/" + published.ID.String()} {
			if resp, _ := m.get(path, ""); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", path, resp.StatusCode)
			}
		}
	})
}

func zipHas(zr *zip.Reader, name string) (*zip.File, bool) {
	for _, f := range zr.File {
		if f.Name == name {
			return f, true
		}
	}
	return nil, false
}
