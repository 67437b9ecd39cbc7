package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/vmtproject/vmt"
)

// DraftAdvisoryFromReport drafts the document of a report from the report
// itself (DraftFromReport): the coordinator then edits only what needs
// judgment. The impact description must be approved by the reporter and
// the architecture committee, as it is the text the document publishes;
// a report that already has a document that is not withdrawn is
// ECONFLICT, so that a second click does not make a second draft. The
// report's coordinators (and administrators); audited as
// advisory.draft_from_report.
func (s *Service) DraftAdvisoryFromReport(ctx context.Context, a vmt.Actor, reportID int64) (*vmt.Advisory, error) {
	var out *vmt.Advisory
	err := s.deps.Store.Update(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, vmt.ActionEdit)
		if err != nil {
			return err
		}
		ds, err := tx.AdvisoriesOfReport(r.ID)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if d.State != vmt.AdvisoryWithdrawn {
				return vmt.Errorf(vmt.ECONFLICT, "the report already has a document (%s, %s): edit it instead", vmt.OrDraft(d), d.State)
			}
		}
		out, err = s.draftFromReport(tx, a, r)
		return err
	})
	return out, err
}

// draftFromReport makes and stores the document of r from the record.
func (s *Service) draftFromReport(tx vmt.Tx, a vmt.Actor, r *vmt.Report) (*vmt.Advisory, error) {
	st, err := impactState(tx, r)
	if err != nil {
		return nil, err
	}
	if st.Text != "" {
		if who := st.Missing(); who != "" {
			return nil, &vmt.Error{Code: vmt.ECONFLICT, Field: "impact_description",
				Message: "the impact description is not approved yet (still to approve: " + who + "); the document publishes it"}
		}
	}
	p, err := tx.Project(r.ProjectID)
	if err != nil {
		return nil, err
	}
	fixes, err := tx.Fixes(r.ID)
	if err != nil {
		return nil, err
	}
	var reportURL string
	if base := strings.TrimRight(s.deps.Publication.BaseURL, "/"); base != "" {
		reportURL = fmt.Sprintf("%s/reports/%d", base, r.ID)
	}
	doc, err := vmt.DraftFromReport(vmt.DraftFacts{Report: r, Project: p, Fixes: fixes, ReportURL: reportURL})
	if err != nil {
		return nil, err
	}
	return s.storeDraft(tx, a, r, doc, vmt.AuditAdvisoryDraftFromReport)
}
