package sqldb

import "github.com/vmtproject/vmt"

// PublicationSettings returns a project's publication settings; ENOTFOUND
// if it has none.
func (t *tx) PublicationSettings(projectID int64) (*vmt.PublicationSettings, error) {
	p := &vmt.PublicationSettings{ProjectID: projectID}
	err := t.queryRow(`SELECT mailing_list, webhook_url, csaf_namespace, advisory_numbering
		FROM publication_settings WHERE project_id = $1`, projectID).
		Scan(&p.MailingList, &p.WebhookURL, &p.CSAFNamespace, &p.AdvisoryNumbering)
	if err := one("get publication settings", "publication settings", err); err != nil {
		return nil, err
	}
	return p, nil
}

// SetPublicationSettings stores a project's publication settings,
// replacing any.
func (t *tx) SetPublicationSettings(p *vmt.PublicationSettings) error {
	_, err := t.exec(`INSERT INTO publication_settings
		(project_id, mailing_list, webhook_url, csaf_namespace, advisory_numbering)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (project_id) DO UPDATE SET
		mailing_list = excluded.mailing_list, webhook_url = excluded.webhook_url, csaf_namespace = excluded.csaf_namespace,
		advisory_numbering = excluded.advisory_numbering`,
		p.ProjectID, p.MailingList, p.WebhookURL, p.CSAFNamespace, numbering(p.AdvisoryNumbering))
	if err != nil {
		return wrap("set publication settings", err)
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
