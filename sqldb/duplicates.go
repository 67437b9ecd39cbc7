package sqldb

import (
	"time"

	"github.com/vmtproject/vmt"
)

// ReporterRecord counts in one statement, grouped by status and by
// whether the report was marked a duplicate.
func (t *tx) ReporterRecord(projectID, reporterID int64) (vmt.ReporterRecord, error) {
	rr := vmt.ReporterRecord{ReporterID: reporterID}
	rows, err := t.query(`SELECT status, duplicate_of IS NOT NULL, COUNT(*) FROM reports
		WHERE reporter_id = $1 AND project_id = $2 GROUP BY status, duplicate_of IS NOT NULL`, reporterID, projectID)
	if err != nil {
		return rr, wrap("reporter record", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st vmt.Status
		var dup bool
		var n int
		if err := rows.Scan(&st, &dup, &n); err != nil {
			return rr, wrap("reporter record", err)
		}
		rr.Count(st, dup, n)
	}
	if err := rows.Err(); err != nil {
		return rr, wrap("reporter record", err)
	}
	return rr, nil
}

func (t *tx) DuplicatesOf(reportID int64) ([]int64, error) {
	ids, err := list(t, func(s scanner) (int64, error) {
		var id int64
		return id, s.Scan(&id)
	}, `SELECT id FROM reports WHERE duplicate_of = $1 ORDER BY id`, reportID)
	if err != nil {
		return nil, wrap("duplicates of report", err)
	}
	return ids, nil
}

func (t *tx) ReportsFiledSince(reporterID int64, since time.Time) (int, error) {
	var n int
	err := t.queryRow(`SELECT COUNT(*) FROM reports WHERE reporter_id = $1 AND created_at >= $2`, reporterID, micros(since)).Scan(&n)
	if err != nil {
		return 0, wrap("reports filed since", err)
	}
	return n, nil
}
