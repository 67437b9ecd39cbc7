package sqldb

import (
	"encoding/json"
	"fmt"

	"github.com/vmtproject/vmt"
)

// Advisories are kept whole as JSON in document; the columns beside it
// (project, report, id parts, kind, state, publication time) serve lookups,
// numbering and the public listing.

const advisoryCols = `id, project_id, report_id, document`

func scanAdvisory(s scanner) (*vmt.Advisory, error) {
	var id, projectID, reportID int64
	var doc string
	if err := s.Scan(&id, &projectID, idCol{&reportID}, &doc); err != nil {
		return nil, err
	}
	a := &vmt.Advisory{}
	if err := json.Unmarshal([]byte(doc), a); err != nil {
		return nil, fmt.Errorf("advisory %d: stored document: %w", id, err)
	}
	a.RecordID, a.ProjectID, a.ReportID = id, projectID, reportID
	return a, nil
}

func advisoryTaken(id vmt.AdvisoryID) *vmt.Error {
	return &vmt.Error{Code: vmt.ECONFLICT, Field: "id", Message: id.String() + " is already taken in this project"}
}

// advisoryRow is the stored form of a: its columns, then its document.
func advisoryRow(a *vmt.Advisory) ([]any, error) {
	doc, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	var pub any
	if a.Published != nil {
		pub = micros(*a.Published)
	}
	return []any{a.ProjectID, nullID(a.ReportID), a.ID.Prefix, a.ID.Year, a.ID.Number,
		string(a.Kind), string(a.State), pub, string(doc)}, nil
}

// CreateAdvisory stores a and sets its RecordID; ECONFLICT if its id is
// taken in the project (the partial unique index on numbered documents).
func (t *tx) CreateAdvisory(a *vmt.Advisory) error {
	a.RecordID = 0
	row, err := advisoryRow(a)
	if err != nil {
		return wrap("create advisory", err)
	}
	id, err := t.insert("create advisory", advisoryTaken(a.ID), `INSERT INTO advisories
		(project_id, report_id, prefix, year, number, kind, state, published_at, document)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id`, row...)
	if err != nil {
		return err
	}
	a.RecordID = id
	return nil
}

// Advisory returns the document with this record id, or ENOTFOUND.
func (t *tx) Advisory(recordID int64) (*vmt.Advisory, error) {
	a, err := scanAdvisory(t.queryRow(`SELECT `+advisoryCols+` FROM advisories WHERE id = $1`, recordID))
	if err := one("get advisory", "advisory", err); err != nil {
		return nil, err
	}
	return a, nil
}

// AdvisoryByID returns a project's document by its id, or ENOTFOUND.
func (t *tx) AdvisoryByID(projectID int64, id vmt.AdvisoryID) (*vmt.Advisory, error) {
	if id.IsZero() {
		return nil, vmt.NotFound("advisory")
	}
	a, err := scanAdvisory(t.queryRow(`SELECT `+advisoryCols+` FROM advisories
		WHERE project_id = $1 AND prefix = $2 AND year = $3 AND number = $4`, projectID, id.Prefix, id.Year, id.Number))
	if err := one("get advisory", "advisory", err); err != nil {
		return nil, err
	}
	return a, nil
}

// AdvisoriesOfReport returns the documents of a report, oldest first.
func (t *tx) AdvisoriesOfReport(reportID int64) ([]*vmt.Advisory, error) {
	as, err := list(t, scanAdvisory, `SELECT `+advisoryCols+` FROM advisories WHERE report_id = $1 ORDER BY id`, reportID)
	if err != nil {
		return nil, wrap("list advisories", err)
	}
	return as, nil
}

// PublicAdvisories returns the published and withdrawn documents, latest
// publication first. The state is tested in SQL, so a draft or an
// embargoed document never leaves the store through this method.
func (t *tx) PublicAdvisories(projectID int64) ([]*vmt.Advisory, error) {
	as, err := list(t, scanAdvisory, `SELECT `+advisoryCols+` FROM advisories
		WHERE state IN ('published', 'withdrawn') AND ($1 = 0 OR project_id = $1)
		ORDER BY published_at DESC, id DESC`, projectID)
	if err != nil {
		return nil, wrap("list public advisories", err)
	}
	return as, nil
}

// UpdateAdvisory stores a whole. ENOTFOUND if it is not stored; ECONFLICT
// if another document of the project has its id. The check comes before
// the UPDATE because writes are serialized, and it leaves a PostgreSQL
// transaction usable.
func (t *tx) UpdateAdvisory(a *vmt.Advisory) error {
	if !a.ID.IsZero() {
		var taken bool
		err := t.queryRow(`SELECT EXISTS (SELECT 1 FROM advisories WHERE project_id = $1 AND prefix = $2
			AND year = $3 AND number = $4 AND id <> $5)`, a.ProjectID, a.ID.Prefix, a.ID.Year, a.ID.Number, a.RecordID).Scan(&taken)
		if err != nil {
			return wrap("update advisory", err)
		}
		if taken {
			return advisoryTaken(a.ID)
		}
	}
	row, err := advisoryRow(a)
	if err != nil {
		return wrap("update advisory", err)
	}
	res, err := t.exec(`UPDATE advisories SET project_id = $1, report_id = $2, prefix = $3, year = $4, number = $5,
		kind = $6, state = $7, published_at = $8, document = $9 WHERE id = $10`, append(row, a.RecordID)...)
	return affected("update advisory", "advisory", res, err)
}

// NextAdvisoryNumber returns one more than the highest number of prefix
// and year in the project, 1 for the first.
func (t *tx) NextAdvisoryNumber(projectID int64, prefix string, year int) (int, error) {
	var n int
	err := t.queryRow(`SELECT COALESCE(MAX(number), 0) + 1 FROM advisories
		WHERE project_id = $1 AND prefix = $2 AND year = $3`, projectID, prefix, year).Scan(&n)
	if err != nil {
		return 0, wrap("next advisory number", err)
	}
	return n, nil
}
