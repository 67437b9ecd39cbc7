package sqldb

import (
	"encoding/json"

	"github.com/vmtproject/vmt"
)

const stakeholderCols = `id, organisation, contacts, public_key, fingerprint, key_expires, projects, created_at, updated_at`

func scanStakeholder(s scanner) (*vmt.Stakeholder, error) {
	k := &vmt.Stakeholder{}
	err := s.Scan(&k.ID, &k.Organisation, listCol{&k.Contacts}, &k.PublicKey, &k.Fingerprint,
		nullTimeCol{&k.KeyExpires}, listCol{&k.Projects}, timeCol{&k.CreatedAt}, timeCol{&k.UpdatedAt})
	return k, err
}

// CreateStakeholder stores k and sets its id; ECONFLICT if its organisation
// is already registered.
func (t *tx) CreateStakeholder(k *vmt.Stakeholder) error {
	id, err := t.insert("create stakeholder", &vmt.Error{Code: vmt.ECONFLICT, Field: "organisation",
		Message: "the organisation " + k.Organisation + " is already registered"},
		`INSERT INTO stakeholders (organisation, contacts, public_key, fingerprint, key_expires, projects, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
		k.Organisation, jsonList(k.Contacts), k.PublicKey, k.Fingerprint, nullMicros(k.KeyExpires),
		jsonList(k.Projects), micros(k.CreatedAt), micros(k.UpdatedAt))
	if err != nil {
		return err
	}
	k.ID = id
	return nil
}

// Stakeholder returns stakeholder id, or ENOTFOUND.
func (t *tx) Stakeholder(id int64) (*vmt.Stakeholder, error) {
	k, err := scanStakeholder(t.queryRow(`SELECT `+stakeholderCols+` FROM stakeholders WHERE id = $1`, id))
	if err := one("get stakeholder", "stakeholder", err); err != nil {
		return nil, err
	}
	return k, nil
}

// Stakeholders returns the registry by organisation.
func (t *tx) Stakeholders() ([]*vmt.Stakeholder, error) {
	ks, err := list(t, scanStakeholder, `SELECT `+stakeholderCols+` FROM stakeholders ORDER BY organisation, id`)
	if err != nil {
		return nil, wrap("list stakeholders", err)
	}
	return ks, nil
}

// UpdateStakeholder stores every field of k but its creation time;
// ENOTFOUND if it is not stored, ECONFLICT if its organisation is taken.
func (t *tx) UpdateStakeholder(k *vmt.Stakeholder) error {
	var other int64
	err := t.queryRow(`SELECT id FROM stakeholders WHERE organisation = $1 AND id <> $2`, k.Organisation, k.ID).Scan(&other)
	if err == nil {
		return &vmt.Error{Code: vmt.ECONFLICT, Field: "organisation", Message: "the organisation " + k.Organisation + " is already registered"}
	}
	if err := one("update stakeholder", "stakeholder", err); vmt.ErrorCode(err) != vmt.ENOTFOUND {
		return err
	}
	res, err := t.exec(`UPDATE stakeholders SET organisation = $2, contacts = $3, public_key = $4, fingerprint = $5,
		key_expires = $6, projects = $7, updated_at = $8 WHERE id = $1`,
		k.ID, k.Organisation, jsonList(k.Contacts), k.PublicKey, k.Fingerprint, nullMicros(k.KeyExpires),
		jsonList(k.Projects), micros(k.UpdatedAt))
	return affected("update stakeholder", "stakeholder", res, err)
}

// DeleteStakeholder removes stakeholder id; ENOTFOUND if absent.
func (t *tx) DeleteStakeholder(id int64) error {
	res, err := t.exec(`DELETE FROM stakeholders WHERE id = $1`, id)
	return affected("delete stakeholder", "stakeholder", res, err)
}

const requestCols = `id, user_id, organisation, contacts, public_key, projects, rationale, state, decided_by,
	decided_at, note, stakeholder_id, created_at`

func scanRequest(s scanner) (*vmt.StakeholderRequest, error) {
	r := &vmt.StakeholderRequest{}
	err := s.Scan(&r.ID, &r.UserID, &r.Organisation, listCol{&r.Contacts}, &r.PublicKey, listCol{&r.Projects},
		&r.Rationale, &r.State, idCol{&r.DecidedBy}, nullTimeCol{&r.DecidedAt}, &r.Note, idCol{&r.StakeholderID},
		timeCol{&r.CreatedAt})
	return r, err
}

// CreateStakeholderRequest stores r and sets its id.
func (t *tx) CreateStakeholderRequest(r *vmt.StakeholderRequest) error {
	if r.State == "" {
		r.State = vmt.RequestPending
	}
	err := t.queryRow(`INSERT INTO stakeholder_requests (user_id, organisation, contacts, public_key, projects,
		rationale, state, decided_by, decided_at, note, stakeholder_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		r.UserID, r.Organisation, jsonList(r.Contacts), r.PublicKey, jsonList(r.Projects), r.Rationale, r.State,
		nullID(r.DecidedBy), nullMicros(r.DecidedAt), r.Note, nullID(r.StakeholderID), micros(r.CreatedAt)).Scan(&r.ID)
	if err != nil {
		return wrap("create stakeholder request", err)
	}
	return nil
}

// StakeholderRequest returns application id, or ENOTFOUND.
func (t *tx) StakeholderRequest(id int64) (*vmt.StakeholderRequest, error) {
	r, err := scanRequest(t.queryRow(`SELECT `+requestCols+` FROM stakeholder_requests WHERE id = $1`, id))
	if err := one("get stakeholder request", "stakeholder request", err); err != nil {
		return nil, err
	}
	return r, nil
}

// StakeholderRequests returns the applications of userID (0: all), newest
// first.
func (t *tx) StakeholderRequests(userID int64) ([]*vmt.StakeholderRequest, error) {
	rs, err := list(t, scanRequest, `SELECT `+requestCols+` FROM stakeholder_requests
		WHERE $1 = 0 OR user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, wrap("list stakeholder requests", err)
	}
	return rs, nil
}

// UpdateStakeholderRequest stores the decision fields of r.
func (t *tx) UpdateStakeholderRequest(r *vmt.StakeholderRequest) error {
	res, err := t.exec(`UPDATE stakeholder_requests SET state = $2, decided_by = $3, decided_at = $4, note = $5,
		stakeholder_id = $6 WHERE id = $1`,
		r.ID, r.State, nullID(r.DecidedBy), nullMicros(r.DecidedAt), r.Note, nullID(r.StakeholderID))
	return affected("update stakeholder request", "stakeholder request", res, err)
}

// DisclosureSettings returns a project's settings; ENOTFOUND if it has none.
func (t *tx) DisclosureSettings(projectID int64) (*vmt.DisclosureSettings, error) {
	d := &vmt.DisclosureSettings{ProjectID: projectID}
	var policy, lists, timers string
	err := t.queryRow(`SELECT policy, embargo_limit_days, max_embargo_days, lists, timers, policy_text FROM disclosure_settings
		WHERE project_id = $1`, projectID).Scan(&policy, &d.EmbargoLimitDays, &d.MaxEmbargoDays, &lists, &timers, &d.PolicyText)
	if err := one("get disclosure settings", "disclosure settings", err); err != nil {
		return nil, err
	}
	if policy != "" {
		d.Policy = json.RawMessage(policy)
	}
	if err := json.Unmarshal([]byte(lists), &d.Lists); err != nil {
		return nil, wrap("read notice lists", err)
	}
	if d.Lists == nil {
		d.Lists = []vmt.NoticeList{}
	}
	// Settings stored before the stage timers existed have the defaults.
	d.Timers = vmt.DefaultStageTimers()
	if timers != "" {
		d.Timers = vmt.StageTimers{}
		if err := json.Unmarshal([]byte(timers), &d.Timers); err != nil {
			return nil, wrap("read stage timers", err)
		}
	}
	return d, nil
}

// SetDisclosureSettings stores a project's settings, replacing any.
func (t *tx) SetDisclosureSettings(d *vmt.DisclosureSettings) error {
	lists, err := json.Marshal(d.Lists)
	if err != nil {
		return wrap("write notice lists", err)
	}
	if d.Lists == nil {
		lists = []byte("[]")
	}
	timers, err := json.Marshal(d.Timers)
	if err != nil {
		return wrap("write stage timers", err)
	}
	_, err = t.exec(`INSERT INTO disclosure_settings (project_id, policy, embargo_limit_days, max_embargo_days, lists, timers, policy_text)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (project_id) DO UPDATE SET policy = excluded.policy,
		embargo_limit_days = excluded.embargo_limit_days, max_embargo_days = excluded.max_embargo_days,
		lists = excluded.lists, timers = excluded.timers, policy_text = excluded.policy_text`,
		d.ProjectID, string(d.Policy), d.EmbargoLimitDays, d.MaxEmbargoDays, string(lists), string(timers), d.PolicyText)
	if err != nil {
		return wrap("set disclosure settings", err)
	}
	return nil
}
