package sqldb

import (
	"github.com/vmtproject/vmt"
)

const intakeCols = `project_id, enabled, addr, security, imap_user, password_ref, folder, key_ref, passphrase_ref`

func scanIntake(s scanner) (*vmt.IntakeSettings, error) {
	c := &vmt.IntakeSettings{}
	err := s.Scan(&c.ProjectID, &c.Enabled, &c.Addr, &c.Security, &c.User, &c.PasswordRef, &c.Folder, &c.KeyRef, &c.PassphraseRef)
	return c, err
}

// IntakeSettings returns a project's intake settings; ENOTFOUND if none.
func (t *tx) IntakeSettings(projectID int64) (*vmt.IntakeSettings, error) {
	c, err := scanIntake(t.queryRow(`SELECT `+intakeCols+` FROM intake_settings WHERE project_id = $1`, projectID))
	if err := one("get intake settings", "intake settings", err); err != nil {
		return nil, err
	}
	return c, nil
}

// SetIntakeSettings stores a project's intake settings, replacing any.
func (t *tx) SetIntakeSettings(c *vmt.IntakeSettings) error {
	_, err := t.exec(`INSERT INTO intake_settings (`+intakeCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (project_id) DO UPDATE SET enabled = excluded.enabled, addr = excluded.addr, security = excluded.security,
		imap_user = excluded.imap_user, password_ref = excluded.password_ref, folder = excluded.folder,
		key_ref = excluded.key_ref, passphrase_ref = excluded.passphrase_ref`,
		c.ProjectID, c.Enabled, c.Addr, c.Security, c.User, c.PasswordRef, c.Folder, c.KeyRef, c.PassphraseRef)
	if err != nil {
		return wrap("set intake settings", err)
	}
	return nil
}

// EnabledIntakes returns the enabled intake settings, by project.
func (t *tx) EnabledIntakes() ([]*vmt.IntakeSettings, error) {
	return list(t, scanIntake, `SELECT `+intakeCols+` FROM intake_settings WHERE enabled = $1 ORDER BY project_id`, true)
}

const intakeRecordCols = `id, project_id, message_id, report_id, sender, encrypted, sig_state, sig_fpr, sig_keyid, filed_at`

func scanIntakeRecord(s scanner) (*vmt.IntakeRecord, error) {
	r := &vmt.IntakeRecord{}
	err := s.Scan(&r.ID, &r.ProjectID, &r.MessageID, &r.ReportID, &r.From, &r.Encrypted,
		&r.Signature.State, &r.Signature.Fingerprint, &r.Signature.KeyID, timeCol{&r.FiledAt})
	return r, err
}

// CreateIntakeRecord stores r; ECONFLICT if its message was filed already.
// ON CONFLICT DO NOTHING makes the unique key the judge: on PostgreSQL a
// second instance inserting the same message waits for the first's
// commit and then inserts nothing.
func (t *tx) CreateIntakeRecord(r *vmt.IntakeRecord) error {
	id, err := t.insert("create intake record",
		&vmt.Error{Code: vmt.ECONFLICT, Field: "message_id", Message: "this message was filed already"},
		`INSERT INTO intake_messages (project_id, message_id, report_id, sender, encrypted, sig_state, sig_fpr, sig_keyid, filed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id`,
		r.ProjectID, r.MessageID, r.ReportID, r.From, r.Encrypted, r.Signature.State, r.Signature.Fingerprint,
		r.Signature.KeyID, micros(r.FiledAt))
	if err != nil {
		return err
	}
	r.ID = id
	return nil
}

// IntakeRecord returns the record of a filed message, or ENOTFOUND.
func (t *tx) IntakeRecord(projectID int64, messageID string) (*vmt.IntakeRecord, error) {
	r, err := scanIntakeRecord(t.queryRow(`SELECT `+intakeRecordCols+` FROM intake_messages
		WHERE project_id = $1 AND message_id = $2`, projectID, messageID))
	if err := one("get intake record", "intake record", err); err != nil {
		return nil, err
	}
	return r, nil
}

// ReportIntakeRecord returns the record of the message a report was
// filed from, or ENOTFOUND (a report filed on the web). One message
// files one report; the lowest id is taken should a merge ever leave two.
func (t *tx) ReportIntakeRecord(reportID int64) (*vmt.IntakeRecord, error) {
	r, err := scanIntakeRecord(t.queryRow(`SELECT `+intakeRecordCols+` FROM intake_messages
		WHERE report_id = $1 ORDER BY id LIMIT 1`, reportID))
	if err := one("get report intake record", "intake record", err); err != nil {
		return nil, err
	}
	return r, nil
}

const intakeFailureCols = `id, project_id, msg_key, sender, subject, size, reason, attempts, first_at, last_at`

func scanIntakeFailure(s scanner) (*vmt.IntakeFailure, error) {
	f := &vmt.IntakeFailure{}
	err := s.Scan(&f.ID, &f.ProjectID, &f.Key, &f.From, &f.Subject, &f.Size, &f.Reason, &f.Attempts,
		timeCol{&f.FirstAt}, timeCol{&f.LastAt})
	return f, err
}

// RecordIntakeFailure stores f, or counts one more attempt of the
// failure of its key, in one statement.
func (t *tx) RecordIntakeFailure(f *vmt.IntakeFailure) error {
	got, err := scanIntakeFailure(t.queryRow(`INSERT INTO intake_failures
		(project_id, msg_key, sender, subject, size, reason, attempts, first_at, last_at)
		VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)
		ON CONFLICT (project_id, msg_key) DO UPDATE SET attempts = intake_failures.attempts + 1,
		reason = excluded.reason, last_at = excluded.last_at, sender = excluded.sender,
		subject = excluded.subject, size = excluded.size
		RETURNING `+intakeFailureCols,
		f.ProjectID, f.Key, f.From, f.Subject, f.Size, f.Reason, micros(f.LastAt)))
	if err != nil {
		return wrap("record intake failure", err)
	}
	*f = *got
	return nil
}

// IntakeFailures returns a project's failures, latest first.
func (t *tx) IntakeFailures(projectID int64) ([]*vmt.IntakeFailure, error) {
	return list(t, scanIntakeFailure, `SELECT `+intakeFailureCols+` FROM intake_failures
		WHERE project_id = $1 ORDER BY last_at DESC, id DESC`, projectID)
}

// DeleteIntakeFailure removes the failure of a key, if there is one.
func (t *tx) DeleteIntakeFailure(projectID int64, key string) error {
	if _, err := t.exec(`DELETE FROM intake_failures WHERE project_id = $1 AND msg_key = $2`, projectID, key); err != nil {
		return wrap("delete intake failure", err)
	}
	return nil
}

// AddReportAttachment stores a and sets its id.
func (t *tx) AddReportAttachment(a *vmt.ReportAttachment) error {
	var id int64
	err := t.queryRow(`INSERT INTO report_attachments (report_id, name, content_type, size, data, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		a.ReportID, a.Name, a.ContentType, int64(len(a.Data)), a.Data, micros(a.CreatedAt)).Scan(&id)
	if err != nil {
		return wrap("add report attachment", err)
	}
	a.ID, a.Size = id, int64(len(a.Data))
	return nil
}

// ReportAttachments returns a report's attachments with their bytes, by id.
func (t *tx) ReportAttachments(reportID int64) ([]*vmt.ReportAttachment, error) {
	return list(t, func(s scanner) (*vmt.ReportAttachment, error) {
		a := &vmt.ReportAttachment{}
		err := s.Scan(&a.ID, &a.ReportID, &a.Name, &a.ContentType, &a.Size, &a.Data, timeCol{&a.CreatedAt})
		return a, err
	}, `SELECT id, report_id, name, content_type, size, data, created_at FROM report_attachments
		WHERE report_id = $1 ORDER BY id`, reportID)
}
