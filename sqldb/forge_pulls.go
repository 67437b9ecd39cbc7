package sqldb

import (
	"github.com/vmtproject/vmt"
)

const forgePullCols = `report_id, project_id, branch, head, number, url, opened_at`

// ForgePullRequests returns the pull requests of a report, by branch.
func (t *tx) ForgePullRequests(reportID int64) ([]*vmt.ForgePullRequest, error) {
	rows, err := t.query(`SELECT `+forgePullCols+` FROM forge_pull_requests WHERE report_id = $1 ORDER BY branch`, reportID)
	if err != nil {
		return nil, wrap("list forge pull requests", err)
	}
	defer rows.Close()
	out := []*vmt.ForgePullRequest{}
	for rows.Next() {
		pr := &vmt.ForgePullRequest{}
		if err := rows.Scan(&pr.ReportID, &pr.ProjectID, &pr.Branch, &pr.Head, &pr.Number, &pr.URL, timeCol{&pr.OpenedAt}); err != nil {
			return nil, wrap("list forge pull requests", err)
		}
		out = append(out, pr)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("list forge pull requests", err)
	}
	return out, nil
}

// SetForgePullRequest stores pr in place of the report's one for its
// branch; ECONFLICT when another report of the project has its number.
func (t *tx) SetForgePullRequest(pr *vmt.ForgePullRequest) error {
	if _, err := t.exec(`DELETE FROM forge_pull_requests WHERE report_id = $1 AND branch = $2`, pr.ReportID, pr.Branch); err != nil {
		return wrap("set forge pull request", err)
	}
	_, err := t.insert("set forge pull request",
		&vmt.Error{Code: vmt.ECONFLICT, Field: "number", Message: "another report's fix is this pull request"},
		`INSERT INTO forge_pull_requests (`+forgePullCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING report_id`,
		pr.ReportID, pr.ProjectID, pr.Branch, pr.Head, pr.Number, pr.URL, micros(pr.OpenedAt))
	return err
}
