package app

import (
	"context"

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
		out = vmt.RankSimilar(r, cands, st)
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
