package http_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/cvss"
	"github.com/vmtproject/vmt/gitrepo"
	"github.com/vmtproject/vmt/schematest"
)

// TestOSVGitRangeFromMergeTracking: the fix of a report lands on main
// and on stable-3.2 of the project's (real) repository while the report
// is under embargo. The embargoed document's export preview names no
// commit; once the report is public and the document published, its OSV
// record, at the data source's URL, in the index's all.zip source and
// through the API's export, has for every affected entry (with a package
// or without) one GIT range of the configured repository: introduced 0,
// fixed at the commit tracking found on each branch, which branch each
// commit fixes in the range's database_specific; and it passes the OSV
// schema.
func TestOSVGitRangeFromMergeTracking(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		const public = "https://github.com/kata-containers/kata-containers"
		m := newMatrix(t, engine)
		up, series, git := fixUpstream(t)
		checker := &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"kata-containers": up}}
		m.setDeps(func(d *app.Deps) {
			d.Checker, d.Tracker = checker, &gitrepo.Merges{Checker: checker}
			d.Repositories = map[string]string{"kata-containers": public}
			d.CheckAdvisory = cvss.Check
			d.Publication.BaseURL = "https://vmt.example.org"
		})

		id := m.report(false)
		for _, b := range []string{"main", "stable-3.2"} {
			if _, err := m.svc.AttachFix(ctx, m.admin, id, vmt.FixInput{Branch: b, Series: series}); err != nil {
				t.Fatalf("attach %s: %v", b, err)
			}
		}
		if _, err := m.svc.Classify(ctx, m.admin, id, "A"); err != nil {
			t.Fatal(err)
		}
		doc := pubDoc("git-range")
		doc.Affected = append(doc.Affected, vmt.Affected{Component: "runtime-go", Ecosystem: "Go",
			Package: "github.com/kata-containers/kata-containers/src/runtime", Versions: ">=3.0.0 <3.2.1"})
		d, err := m.svc.DraftAdvisory(ctx, m.admin, id, doc)
		if err != nil {
			t.Fatal(err)
		}
		if d, err = m.svc.EmbargoAdvisory(ctx, m.admin, d.RecordID); err != nil {
			t.Fatal(err)
		}

		// The fix lands on both branches, in public, before the date.
		patch := filepath.Join(t.TempDir(), "fix.patch")
		if err := os.WriteFile(patch, []byte(series), 0o644); err != nil {
			t.Fatal(err)
		}
		git("am", "-q", patch)
		onMain := git("rev-parse", "main")
		git("checkout", "-q", "stable-3.2")
		// A commit of its own first, so that the fix on the stable
		// branch has another parent, and another hash, than on main.
		if err := os.WriteFile(filepath.Join(up, "NEWS"), []byte("3.2.1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		git("add", "NEWS")
		git("commit", "-qm", "news")
		git("am", "-q", patch)
		onStable := git("rev-parse", "stable-3.2")
		git("checkout", "-q", "main")
		if onMain == onStable {
			t.Fatal("the two branches' fix commits are one commit: the test cannot tell them apart")
		}
		if err := m.svc.TrackFixes(ctx); err != nil {
			t.Fatal(err)
		}

		exportPath := "/api/v1/advisories/" + itoa(d.RecordID) + "/export?format=osv"
		resp, preview := m.get(exportPath, m.tokens["admin"])
		if resp.StatusCode != 200 {
			t.Fatalf("embargoed preview: %d %s", resp.StatusCode, preview)
		}
		for _, c := range []string{onMain, onStable} {
			if strings.Contains(preview, c) || strings.Contains(preview, `"GIT"`) {
				t.Fatalf("the embargoed document's preview names a fix commit:\n%s", preview)
			}
		}

		if _, err := m.svc.MakePublic(ctx, m.admin, id, "disclosed"); err != nil {
			t.Fatal(err)
		}
		// The disclosure may publish the embargoed document itself.
		if d, err = m.svc.Advisory(ctx, m.admin, d.RecordID); err != nil {
			t.Fatal(err)
		}
		if d.State == vmt.AdvisoryEmbargoed {
			if d, err = m.svc.PublishAdvisory(ctx, m.admin, d.RecordID); err != nil {
				t.Fatal(err)
			}
		}
		if d.State != vmt.AdvisoryPublished {
			t.Fatalf("the document is %s, want published", d.State)
		}

		validate := schematest.Checker(t, schematest.OSVPublished)
		_, fromExport := m.get(exportPath, m.tokens["admin"])
		_, fromSource := m.get("/osv/"+d.ID.String()+".json", "")
		_, index := m.get("/osv/all.json", "")
		if !strings.Contains(index, d.ID.String()) {
			t.Errorf("the index (made from every published document) lists no %s: %s", d.ID, index)
		}
		for name, raw := range map[string]string{"export": fromExport, "data source": fromSource} {
			if err := validate([]byte(raw)); err != nil {
				t.Errorf("%s: does not validate: %v\n%s", name, err, raw)
			}
			var rec struct {
				Affected []struct {
					Package *struct{ Ecosystem, Name string }
					Ranges  []struct {
						Type             string
						Repo             string
						Events           []map[string]string
						DatabaseSpecific struct {
							Branches []struct{ Branch, Fixed string }
						} `json:"database_specific"`
					}
				}
			}
			if err := json.Unmarshal([]byte(raw), &rec); err != nil {
				t.Fatalf("%s: %v\n%s", name, err, raw)
			}
			if len(rec.Affected) != 2 {
				t.Fatalf("%s: %d affected entries, want 2:\n%s", name, len(rec.Affected), raw)
			}
			for i, af := range rec.Affected {
				var gits int
				for _, r := range af.Ranges {
					if r.Type != "GIT" {
						continue
					}
					gits++
					want := []map[string]string{{"introduced": "0"}, {"fixed": onMain}, {"fixed": onStable}}
					if r.Repo != public || !eventsEqual(r.Events, want) {
						t.Errorf("%s: affected[%d] GIT range %s %v, want %s %v", name, i, r.Repo, r.Events, public, want)
					}
					b := r.DatabaseSpecific.Branches
					if len(b) != 2 || b[0].Branch != "main" || b[0].Fixed != onMain || b[1].Branch != "stable-3.2" || b[1].Fixed != onStable {
						t.Errorf("%s: affected[%d] branches %+v, want main %s, stable-3.2 %s", name, i, b, onMain, onStable)
					}
				}
				if gits != 1 {
					t.Errorf("%s: affected[%d] (package %v) has %d GIT ranges, want 1", name, i, af.Package, gits)
				}
			}
			if af := rec.Affected[1]; af.Package == nil || af.Package.Ecosystem != "Go" || len(af.Ranges) != 2 || af.Ranges[0].Type == "GIT" {
				t.Errorf("%s: the Go entry lost its version range beside the GIT one: %+v", name, af)
			}
		}
	})
}

func eventsEqual(got, want []map[string]string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if len(got[i]) != len(want[i]) {
			return false
		}
		for k, v := range want[i] {
			if got[i][k] != v {
				return false
			}
		}
	}
	return true
}
