package sqldb

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/vmtproject/vmt"
)

// overrideJSON is the stored form of a terms override: JSON, empty for none.
func overrideJSON(o *vmt.TermsOverride) string {
	if o == nil {
		return ""
	}
	b, _ := json.Marshal(o) // plain fields always marshal
	return string(b)
}

// overrideCol scans a terms override; empty is none.
type overrideCol struct{ dst **vmt.TermsOverride }

func (c overrideCol) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("terms override column holds %T, want text", src)
	}
	if len(b) == 0 {
		*c.dst = nil
		return nil
	}
	o := &vmt.TermsOverride{}
	if err := json.Unmarshal(b, o); err != nil {
		return err
	}
	*c.dst = o
	return nil
}

// StageDue returns the reports of a project in status st since at or
// before enteredBy whose coordinator has not been reminded of this stage;
// a duplicate waits on no one (duplicate.go).
func (t *tx) StageDue(projectID int64, st vmt.Status, enteredBy time.Time) ([]int64, error) {
	return t.ids("stage due", `SELECT id FROM reports WHERE project_id = $1 AND status = $2
		AND status_since <= $3 AND stage_reminded_at IS NULL AND duplicate_of IS NULL ORDER BY id`, projectID, st, micros(enteredBy))
}

// EscalationDue returns the reports of a project reminded of their stage
// at or before remindedBy and not yet escalated.
func (t *tx) EscalationDue(projectID int64, remindedBy time.Time) ([]int64, error) {
	return t.ids("escalation due", `SELECT id FROM reports WHERE project_id = $1
		AND stage_reminded_at <= $2 AND stage_escalated_at IS NULL AND duplicate_of IS NULL ORDER BY id`, projectID, micros(remindedBy))
}

// OverdueEmbargoes returns the private reports of a project created at or
// before createdBy that have not been raised for going public.
func (t *tx) OverdueEmbargoes(projectID int64, createdBy time.Time) ([]int64, error) {
	return t.ids("overdue embargoes", `SELECT id FROM reports WHERE project_id = $1 AND visibility = 'private'
		AND embargo_raised_at IS NULL AND created_at <= $2 ORDER BY id`, projectID, micros(createdBy))
}

func (t *tx) ids(op, query string, args ...any) ([]int64, error) {
	out, err := list(t, scanID, query, args...)
	if err != nil {
		return nil, wrap(op, err)
	}
	return out, nil
}

// scanID reads a row of one id.
func scanID(s scanner) (int64, error) {
	var id int64
	err := s.Scan(&id)
	return id, err
}
