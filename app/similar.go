package app

import (
	"context"
	"slices"

	"github.com/vmtproject/vmt"
)

// SimilarReports returns the reports of the same project most like report
// id, with why (vmt.RankSimilar), for its triage: the likely duplicates of
// a report in a flood. Only who coordinates the report may ask, since the
// suggestions are other reports of the project, private ones included;
// each carries the ids of its published documents.
func (s *Service) SimilarReports(ctx context.Context, a vmt.Actor, id int64) ([]vmt.Similar, error) {
	var out []vmt.Similar
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, id, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		cands, st, err := tx.SimilarCandidates(vmt.SimilarQuery{ProjectID: r.ProjectID, Exclude: r.ID,
			Terms: vmt.SimilarTerms(r), CVEs: r.CVEs, Limit: vmt.SimilarCandidates})
		if err != nil {
			return err
		}
		paths, err := patchPaths(tx, r, cands)
		if err != nil {
			return err
		}
		out = vmt.RankSimilar(r, cands, st, paths)
		for i := range out {
			ds, err := tx.AdvisoriesOfReport(out[i].Report.ID)
			if err != nil {
				return err
			}
			for _, d := range ds {
				if d.State == vmt.AdvisoryPublished && !d.ID.IsZero() {
					out[i].Advisories = append(out[i].Advisories, d.ID.String())
				}
			}
		}
		return nil
	})
	if out == nil {
		out = []vmt.Similar{}
	}
	return out, err
}

// patchPaths reads the files the patches of r touch and, when there are
// any, those of each candidate's patches: nothing is read for a report
// with no patch attached.
func patchPaths(tx vmt.Tx, r *vmt.Report, cands []*vmt.Report) (map[int64][]string, error) {
	of := func(id int64) ([]string, error) {
		fs, err := tx.Fixes(id)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, f := range fs {
			if f.SeriesBytes == 0 {
				continue // a link to a pull request: no series here
			}
			series, err := tx.FixSeries(f.ID)
			if err != nil {
				return nil, err
			}
			out = append(out, vmt.PatchPaths(series)...)
		}
		slices.Sort(out)
		return slices.Compact(out), nil
	}
	mine, err := of(r.ID)
	if err != nil || len(mine) == 0 {
		return nil, err
	}
	paths := map[int64][]string{r.ID: mine}
	for _, c := range cands {
		if paths[c.ID], err = of(c.ID); err != nil {
			return nil, err
		}
	}
	return paths, nil
}
