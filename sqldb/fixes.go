package sqldb

import "github.com/vmtproject/vmt"

// fixCols are the columns of a fix without its series, which is up to
// 4 MiB: lists and checks read its size, and only FixSeries its bytes.
// octet_length is the size in bytes on both engines.
const fixCols = `id, report_id, branch, version, octet_length(series), url, subjects, uploaded_by, created_at,
	review, reviewed_by, reviewed_at, review_note, merge_state, merge_commit, merge_error, merge_checked_at, commit_hash,
	base_commit`

func scanFix(s scanner) (*vmt.Fix, error) {
	f := &vmt.Fix{}
	err := s.Scan(&f.ID, &f.ReportID, &f.Branch, &f.Version, &f.SeriesBytes, &f.URL, listCol{&f.Subjects},
		&f.UploadedBy, timeCol{&f.CreatedAt}, &f.Review, idCol{&f.ReviewedBy}, nullTimeCol{&f.ReviewedAt},
		&f.ReviewNote, &f.Merge, &f.MergeCommit, &f.MergeError, nullTimeCol{&f.MergeCheckedAt}, &f.Commit,
		&f.BaseCommit)
	return f, err
}

// CreateFix stores f as the next version for its report and branch, and
// sets its id and version. The version is computed in the INSERT, and the
// UNIQUE (report_id, branch, version) key backs it: Updates are serialized.
func (t *tx) CreateFix(f *vmt.Fix) error {
	if f.Review == "" {
		f.Review = vmt.ReviewPending
	}
	err := t.queryRow(`INSERT INTO fixes (report_id, branch, version, series, url, subjects, uploaded_by,
		created_at, review, reviewed_by, reviewed_at, review_note, merge_state, merge_commit, merge_error,
		merge_checked_at, commit_hash, base_commit)
		VALUES ($1, $2, (SELECT COALESCE(MAX(version), 0) + 1 FROM fixes WHERE report_id = $1 AND branch = $2),
		$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
		RETURNING id, version`,
		f.ReportID, f.Branch, f.Series, f.URL, jsonList(f.Subjects), f.UploadedBy, micros(f.CreatedAt),
		f.Review, nullID(f.ReviewedBy), nullMicros(f.ReviewedAt), f.ReviewNote, f.Merge, f.MergeCommit,
		f.MergeError, nullMicros(f.MergeCheckedAt), f.Commit, f.BaseCommit).Scan(&f.ID, &f.Version)
	if err != nil {
		return wrap("create fix", err)
	}
	f.SeriesBytes = len(f.Series)
	return nil
}

// Fix returns fix id, or ENOTFOUND. Who may see it is the service's call.
func (t *tx) Fix(id int64) (*vmt.Fix, error) {
	f, err := scanFix(t.queryRow(`SELECT `+fixCols+` FROM fixes WHERE id = $1`, id))
	if err := one("get fix", "fix", err); err != nil {
		return nil, err
	}
	return f, nil
}

// FixSeries returns the patch series of fix id ("" for a link), or
// ENOTFOUND.
func (t *tx) FixSeries(id int64) (string, error) {
	var series string
	if err := one("get fix series", "fix", t.queryRow(`SELECT series FROM fixes WHERE id = $1`, id).Scan(&series)); err != nil {
		return "", err
	}
	return series, nil
}

// Fixes returns the fixes of a report by branch, then version.
func (t *tx) Fixes(reportID int64) ([]*vmt.Fix, error) {
	fs, err := list(t, scanFix, `SELECT `+fixCols+` FROM fixes WHERE report_id = $1 ORDER BY branch, version`, reportID)
	if err != nil {
		return nil, wrap("list fixes", err)
	}
	return fs, nil
}

// UpdateFix stores the review and merge fields of f; what was uploaded
// stays as it was. ENOTFOUND if f is not stored.
func (t *tx) UpdateFix(f *vmt.Fix) error {
	res, err := t.exec(`UPDATE fixes SET review = $2, reviewed_by = $3, reviewed_at = $4, review_note = $5,
		merge_state = $6, merge_commit = $7, merge_error = $8, merge_checked_at = $9 WHERE id = $1`,
		f.ID, f.Review, nullID(f.ReviewedBy), nullMicros(f.ReviewedAt), f.ReviewNote,
		f.Merge, f.MergeCommit, f.MergeError, nullMicros(f.MergeCheckedAt))
	return affected("update fix", "fix", res, err)
}
