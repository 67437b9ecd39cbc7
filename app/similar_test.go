package app_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/ossa"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// similarCorpus is app/testdata/similar_corpus.json: reports that restate
// an OpenStack advisory in other words, and reports about none.
type similarCorpus struct {
	Duplicates []struct {
		Of, Component, Title, Description string
	}
	Unrelated []struct {
		Component, Title, Description string
	}
}

// TestSimilarFindsTheOriginal files every OpenStack advisory of
// testdata/ossa as a report, then reports that restate ten of them in
// other words and five about none of them: for at least nine of the ten,
// the restated advisory is among the first three suggestions; the
// unrelated reports get no suggestion as strong as the weakest original
// found. Only the report's coordinators may ask (the suggestions are
// other private reports).
func TestSimilarFindsTheOriginal(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newImpactWorld(t, engine)
			ctx, rep := context.Background(), w.people["reporter"]
			files, err := filepath.Glob("../testdata/ossa/ossa/*.yaml")
			must(t, err)
			if len(files) < 180 {
				t.Fatalf("%d OSSA files", len(files))
			}
			byID := map[string]int64{}
			for _, f := range files {
				b, err := os.ReadFile(f)
				must(t, err)
				a, err := ossa.Import(b)
				must(t, err)
				var comps []string
				for _, c := range a.ComponentNames() {
					for _, part := range strings.Split(c, ",") {
						if p := strings.ToLower(strings.TrimSpace(part)); p != "" && !slices.Contains(comps, p) && len(comps) < vmt.MaxComponents {
							comps = append(comps, p)
						}
					}
				}
				v, err := w.svc.CreateReport(ctx, rep, vmt.ReportInput{Project: "p", Title: a.Title, Description: a.Description, Components: comps})
				must(t, err)
				byID[a.ID.String()] = v.ID
			}
			var corpus similarCorpus
			b, err := os.ReadFile("testdata/similar_corpus.json")
			must(t, err)
			must(t, json.Unmarshal(b, &corpus))

			coord := w.people["coord"]
			found, weakest := 0, 1e9
			for _, d := range corpus.Duplicates {
				v, err := w.svc.CreateReport(ctx, rep, vmt.ReportInput{Project: "p", Title: d.Title, Description: d.Description, Components: []string{d.Component}})
				must(t, err)
				sim, err := w.svc.SimilarReports(ctx, coord, v.ID)
				must(t, err)
				var top []string
				hit := false
				for i, s := range sim {
					if len(s.Reasons) == 0 {
						t.Errorf("%s: suggestion #%d without a reason", d.Of, s.Report.ID)
					}
					top = append(top, s.Report.Title)
					if i < 3 && s.Report.ID == byID[d.Of] {
						hit = true
						weakest = min(weakest, s.Score)
					}
				}
				if hit {
					found++
				} else {
					t.Logf("%s (%q) not in the first three: %q", d.Of, d.Title, top)
				}
			}
			t.Logf("%s: the original in the first three for %d of %d restated reports, the weakest scoring %.3f", engine, found, len(corpus.Duplicates), weakest)
			if found < 9 {
				t.Errorf("the original in the first three for %d of %d, want at least 9", found, len(corpus.Duplicates))
			}
			for _, u := range corpus.Unrelated {
				v, err := w.svc.CreateReport(ctx, rep, vmt.ReportInput{Project: "p", Title: u.Title, Description: u.Description, Components: []string{u.Component}})
				must(t, err)
				sim, err := w.svc.SimilarReports(ctx, coord, v.ID)
				must(t, err)
				if len(sim) > 0 {
					t.Logf("unrelated %q: best suggestion %.3f (%v)", u.Title, sim[0].Score, sim[0].Reasons)
				}
				if len(sim) > 0 && sim[0].Score >= weakest {
					t.Errorf("unrelated %q: suggestion %q scores %.3f, as much as the weakest original found (%.3f); reasons %v",
						u.Title, sim[0].Report.Title, sim[0].Score, weakest, sim[0].Reasons)
				}
			}

			// Who may ask: the coordinators of the report only.
			for _, who := range []string{"reporter", "reviewer", "committee", "stakeholder", "other-reporter"} {
				_, err := w.svc.SimilarReports(ctx, w.people[who], w.reportID)
				if code := vmt.ErrorCode(err); code != vmt.ENOTFOUND && code != vmt.EFORBIDDEN {
					t.Errorf("%s asked for the similar reports: %v", who, err)
				}
			}
		})
	}
}
