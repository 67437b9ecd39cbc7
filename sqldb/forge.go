package sqldb

import (
	"time"

	"github.com/vmtproject/vmt"
)

const forgeCols = `project_id, enabled, owner, repo, app_id, installation_id, private_key_ref, token_ref, webhook_secret_ref, endpoint`

// ForgeSettings returns a project's forge settings; ENOTFOUND if none.
func (t *tx) ForgeSettings(projectID int64) (*vmt.ForgeSettings, error) {
	f := &vmt.ForgeSettings{}
	err := t.queryRow(`SELECT `+forgeCols+` FROM forge_settings WHERE project_id = $1`, projectID).Scan(&f.ProjectID,
		&f.Enabled, &f.Owner, &f.Repo, &f.AppID, &f.InstallationID, &f.PrivateKeyRef, &f.TokenRef, &f.WebhookSecretRef, &f.Endpoint)
	if err := one("get forge settings", "forge settings", err); err != nil {
		return nil, err
	}
	return f, nil
}

// SetForgeSettings stores a project's forge settings, replacing any.
func (t *tx) SetForgeSettings(f *vmt.ForgeSettings) error {
	_, err := t.exec(`INSERT INTO forge_settings (`+forgeCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (project_id) DO UPDATE SET enabled = excluded.enabled, owner = excluded.owner, repo = excluded.repo,
		app_id = excluded.app_id, installation_id = excluded.installation_id, private_key_ref = excluded.private_key_ref,
		token_ref = excluded.token_ref, webhook_secret_ref = excluded.webhook_secret_ref, endpoint = excluded.endpoint`,
		f.ProjectID, f.Enabled, f.Owner, f.Repo, f.AppID, f.InstallationID, f.PrivateKeyRef, f.TokenRef, f.WebhookSecretRef, f.Endpoint)
	if err != nil {
		return wrap("set forge settings", err)
	}
	return nil
}

const forgeIssueCols = `report_id, project_id, number, url, linked_at`

func scanForgeIssue(s scanner) (*vmt.ForgeIssue, error) {
	i := &vmt.ForgeIssue{}
	err := s.Scan(&i.ReportID, &i.ProjectID, &i.Number, &i.URL, timeCol{&i.LinkedAt})
	return i, err
}

// ForgeIssue returns the issue of a report; ENOTFOUND if it has none.
func (t *tx) ForgeIssue(reportID int64) (*vmt.ForgeIssue, error) {
	i, err := scanForgeIssue(t.queryRow(`SELECT `+forgeIssueCols+` FROM forge_issues WHERE report_id = $1`, reportID))
	if err := one("get forge issue", "forge issue", err); err != nil {
		return nil, err
	}
	return i, nil
}

// ForgeIssueByNumber returns a project's issue by number; ENOTFOUND if no
// report is followed in it.
func (t *tx) ForgeIssueByNumber(projectID int64, number int) (*vmt.ForgeIssue, error) {
	i, err := scanForgeIssue(t.queryRow(`SELECT `+forgeIssueCols+` FROM forge_issues
		WHERE project_id = $1 AND number = $2`, projectID, number))
	if err := one("get forge issue", "forge issue", err); err != nil {
		return nil, err
	}
	return i, nil
}

// SetForgeIssue stores i in place of the report's issue; ECONFLICT when
// another report of the project has its number (the unique key decides,
// through ON CONFLICT DO NOTHING, also between two transactions).
func (t *tx) SetForgeIssue(i *vmt.ForgeIssue) error {
	if _, err := t.exec(`DELETE FROM forge_issues WHERE report_id = $1`, i.ReportID); err != nil {
		return wrap("set forge issue", err)
	}
	_, err := t.insert("set forge issue",
		&vmt.Error{Code: vmt.ECONFLICT, Field: "number", Message: "another report is followed in this issue"},
		`INSERT INTO forge_issues (`+forgeIssueCols+`) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING report_id`,
		i.ReportID, i.ProjectID, i.Number, i.URL, micros(i.LinkedAt))
	return err
}

// RecordForgeDelivery stores a webhook delivery's id; ECONFLICT if the
// project received it before.
func (t *tx) RecordForgeDelivery(projectID int64, deliveryID string, at time.Time) error {
	_, err := t.insert("record forge delivery",
		&vmt.Error{Code: vmt.ECONFLICT, Field: "delivery", Message: "this delivery was received before"},
		`INSERT INTO forge_deliveries (project_id, delivery_id, received_at) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING RETURNING project_id`, projectID, deliveryID, micros(at))
	return err
}
