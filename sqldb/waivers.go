package sqldb

import "github.com/vmtproject/vmt"

const waiverCols = `id, report_id, branch, reason, created_by, created_at`

func scanWaiver(s scanner) (*vmt.FixWaiver, error) {
	w := &vmt.FixWaiver{}
	err := s.Scan(&w.ID, &w.ReportID, &w.Branch, &w.Reason, &w.CreatedBy, timeCol{&w.CreatedAt})
	return w, err
}

// CreateFixWaiver stores w and sets its id.
func (t *tx) CreateFixWaiver(w *vmt.FixWaiver) error {
	err := t.queryRow(`INSERT INTO fix_waivers (report_id, branch, reason, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		w.ReportID, w.Branch, w.Reason, w.CreatedBy, micros(w.CreatedAt)).Scan(&w.ID)
	if err != nil {
		return wrap("create fix waiver", err)
	}
	return nil
}

// FixWaivers returns the waivers of a report, oldest first.
func (t *tx) FixWaivers(reportID int64) ([]*vmt.FixWaiver, error) {
	ws, err := list(t, scanWaiver, `SELECT `+waiverCols+` FROM fix_waivers WHERE report_id = $1 ORDER BY id`, reportID)
	if err != nil {
		return nil, wrap("list fix waivers", err)
	}
	return ws, nil
}

func scanHold(s scanner) (*vmt.DisclosureHold, error) {
	h := &vmt.DisclosureHold{}
	err := s.Scan(&h.ReportID, listCol{&h.Branches}, timeCol{&h.HeldAt})
	return h, err
}

// HoldDisclosure records a held disclosure; ECONFLICT if the report is
// held already.
func (t *tx) HoldDisclosure(h *vmt.DisclosureHold) error {
	_, err := t.insert("hold disclosure", &vmt.Error{Code: vmt.ECONFLICT, Field: "report_id", Message: "the disclosure of this report is held already"},
		`INSERT INTO disclosure_holds (report_id, branches, held_at) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING RETURNING report_id`, h.ReportID, jsonList(h.Branches), micros(h.HeldAt))
	return err
}

// DisclosureHold returns the hold of a report, or ENOTFOUND.
func (t *tx) DisclosureHold(reportID int64) (*vmt.DisclosureHold, error) {
	h, err := scanHold(t.queryRow(`SELECT report_id, branches, held_at FROM disclosure_holds WHERE report_id = $1`, reportID))
	if err := one("get disclosure hold", "disclosure hold", err); err != nil {
		return nil, err
	}
	return h, nil
}

// DisclosureHolds returns every hold, by report id.
func (t *tx) DisclosureHolds() ([]*vmt.DisclosureHold, error) {
	hs, err := list(t, scanHold, `SELECT report_id, branches, held_at FROM disclosure_holds ORDER BY report_id`)
	if err != nil {
		return nil, wrap("list disclosure holds", err)
	}
	return hs, nil
}

// ReleaseDisclosure deletes the hold of a report; ENOTFOUND if none.
func (t *tx) ReleaseDisclosure(reportID int64) error {
	res, err := t.exec(`DELETE FROM disclosure_holds WHERE report_id = $1`, reportID)
	return affected("release disclosure", "disclosure hold", res, err)
}
