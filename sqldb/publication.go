package sqldb

import "github.com/vmtproject/vmt"

// PublicationSettings returns a project's publication settings, with its
// announcement lists in their order; ENOTFOUND if it has none.
func (t *tx) PublicationSettings(projectID int64) (*vmt.PublicationSettings, error) {
	p := &vmt.PublicationSettings{ProjectID: projectID, Lists: []vmt.AnnouncementList{}}
	err := t.queryRow(`SELECT webhook_url, csaf_namespace, advisory_numbering
		FROM publication_settings WHERE project_id = $1`, projectID).
		Scan(&p.WebhookURL, &p.CSAFNamespace, &p.AdvisoryNumbering)
	if err := one("get publication settings", "publication settings", err); err != nil {
		return nil, err
	}
	rows, err := t.query(`SELECT address, signing FROM publication_lists WHERE project_id = $1 ORDER BY position`, projectID)
	if err != nil {
		return nil, wrap("get announcement lists", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l vmt.AnnouncementList
		if err := rows.Scan(&l.Address, &l.Signing); err != nil {
			return nil, wrap("read announcement list", err)
		}
		p.Lists = append(p.Lists, l)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("read announcement lists", err)
	}
	return p, nil
}

// SetPublicationSettings stores a project's publication settings,
// replacing any, its lists with them.
func (t *tx) SetPublicationSettings(p *vmt.PublicationSettings) error {
	_, err := t.exec(`INSERT INTO publication_settings
		(project_id, webhook_url, csaf_namespace, advisory_numbering)
		VALUES ($1, $2, $3, $4) ON CONFLICT (project_id) DO UPDATE SET
		webhook_url = excluded.webhook_url, csaf_namespace = excluded.csaf_namespace,
		advisory_numbering = excluded.advisory_numbering`,
		p.ProjectID, p.WebhookURL, p.CSAFNamespace, numbering(p.AdvisoryNumbering))
	if err != nil {
		return wrap("set publication settings", err)
	}
	if _, err := t.exec(`DELETE FROM publication_lists WHERE project_id = $1`, p.ProjectID); err != nil {
		return wrap("replace announcement lists", err)
	}
	for i, l := range p.Lists {
		signing := l.Signing
		if signing == "" {
			signing = vmt.SignAnnouncement
		}
		if _, err := t.exec(`INSERT INTO publication_lists (project_id, position, address, signing) VALUES ($1, $2, $3, $4)`,
			p.ProjectID, i, l.Address, signing); err != nil {
			return wrap("add announcement list", err)
		}
	}
	return nil
}

// numbering stores the default for a numbering left unset.
func numbering(n vmt.AdvisoryNumbering) vmt.AdvisoryNumbering {
	if n == "" {
		return vmt.NumberAtEmbargo
	}
	return n
}
