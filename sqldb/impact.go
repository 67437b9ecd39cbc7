package sqldb

import "github.com/vmtproject/vmt"

// ImpactApprovals returns a report's approvals, the reporter's first.
func (t *tx) ImpactApprovals(reportID int64) ([]*vmt.ImpactApproval, error) {
	out, err := list(t, func(s scanner) (*vmt.ImpactApproval, error) {
		a := &vmt.ImpactApproval{}
		err := s.Scan(&a.ReportID, &a.Approver, &a.UserID, &a.TextHash, timeCol{&a.ApprovedAt})
		return a, err
	}, `SELECT report_id, approver, user_id, text_sha256, approved_at FROM impact_approvals
		WHERE report_id = $1 ORDER BY CASE approver WHEN 'reporter' THEN 0 ELSE 1 END`, reportID)
	if err != nil {
		return nil, wrap("list impact approvals", err)
	}
	return out, nil
}

// SetImpactApproval stores a, replacing the report's approval by the same
// approver.
func (t *tx) SetImpactApproval(a *vmt.ImpactApproval) error {
	_, err := t.exec(`INSERT INTO impact_approvals (report_id, approver, user_id, text_sha256, approved_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (report_id, approver) DO UPDATE SET user_id = excluded.user_id,
		text_sha256 = excluded.text_sha256, approved_at = excluded.approved_at`,
		a.ReportID, a.Approver, a.UserID, a.TextHash, micros(a.ApprovedAt))
	if err != nil {
		return wrap("set impact approval", err)
	}
	return nil
}

// DeleteImpactApprovals removes every approval of a report.
func (t *tx) DeleteImpactApprovals(reportID int64) error {
	if _, err := t.exec(`DELETE FROM impact_approvals WHERE report_id = $1`, reportID); err != nil {
		return wrap("delete impact approvals", err)
	}
	return nil
}

// ProjectTemplates returns a project's overrides, by name.
func (t *tx) ProjectTemplates(projectID int64) ([]*vmt.ProjectTemplate, error) {
	out, err := list(t, func(s scanner) (*vmt.ProjectTemplate, error) {
		p := &vmt.ProjectTemplate{}
		err := s.Scan(&p.ProjectID, &p.Name, &p.Text, timeCol{&p.UpdatedAt}, &p.UpdatedBy)
		return p, err
	}, `SELECT project_id, name, text, updated_at, updated_by FROM project_templates
		WHERE project_id = $1 ORDER BY name`, projectID)
	if err != nil {
		return nil, wrap("list project templates", err)
	}
	return out, nil
}

// SetProjectTemplate stores p, replacing the project's text of its name.
func (t *tx) SetProjectTemplate(p *vmt.ProjectTemplate) error {
	_, err := t.exec(`INSERT INTO project_templates (project_id, name, text, updated_at, updated_by)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (project_id, name) DO UPDATE SET text = excluded.text,
		updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
		p.ProjectID, p.Name, p.Text, micros(p.UpdatedAt), p.UpdatedBy)
	if err != nil {
		return wrap("set project template", err)
	}
	return nil
}

// DeleteProjectTemplate removes an override; ENOTFOUND if there is none.
func (t *tx) DeleteProjectTemplate(projectID int64, name string) error {
	res, err := t.exec(`DELETE FROM project_templates WHERE project_id = $1 AND name = $2`, projectID, name)
	return affected("delete project template", "template override", res, err)
}

// CNASettings returns a project's CVE Services settings; ENOTFOUND if none.
func (t *tx) CNASettings(projectID int64) (*vmt.CNASettings, error) {
	c := &vmt.CNASettings{ProjectID: projectID}
	err := t.queryRow(`SELECT enabled, short_name, org_id, api_user, api_key_ref, endpoint FROM cna_settings
		WHERE project_id = $1`, projectID).Scan(&c.Enabled, &c.ShortName, &c.OrgID, &c.User, &c.APIKeyRef, &c.Endpoint)
	if err := one("get CNA settings", "CNA settings", err); err != nil {
		return nil, err
	}
	return c, nil
}

// SetCNASettings stores a project's CVE Services settings, replacing any.
func (t *tx) SetCNASettings(c *vmt.CNASettings) error {
	_, err := t.exec(`INSERT INTO cna_settings (project_id, enabled, short_name, org_id, api_user, api_key_ref, endpoint)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (project_id) DO UPDATE SET enabled = excluded.enabled,
		short_name = excluded.short_name, org_id = excluded.org_id, api_user = excluded.api_user, api_key_ref = excluded.api_key_ref,
		endpoint = excluded.endpoint`,
		c.ProjectID, c.Enabled, c.ShortName, c.OrgID, c.User, c.APIKeyRef, c.Endpoint)
	if err != nil {
		return wrap("set CNA settings", err)
	}
	return nil
}
