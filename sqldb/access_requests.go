package sqldb

import (
	"time"

	"strconv"
	"strings"

	"github.com/vmtproject/vmt"
)

const accessRequestCols = `id, report_id, user_id, stakeholder_id, organisation, note, requested_at,
	status, decided_at, decided_by, reason, ask_again_after`

func scanAccessRequest(s scanner) (*vmt.AccessRequestRecord, error) {
	q := &vmt.AccessRequestRecord{}
	var (
		decidedAt, askAgain *time.Time
		by                  int64
		reason              string
	)
	err := s.Scan(&q.ID, &q.ReportID, &q.UserID, &q.StakeholderID, &q.Organisation, &q.Note,
		timeCol{&q.At}, &q.Status, nullTimeCol{&decidedAt}, &by, &reason, nullTimeCol{&askAgain})
	if err != nil {
		return nil, err
	}
	if q.Status == vmt.AccessDeclined && decidedAt != nil && askAgain != nil {
		q.Decline = &vmt.AccessDecline{ReportID: q.ReportID, UserID: q.UserID, Reason: reason, By: by,
			At: *decidedAt, AskAgainAfter: *askAgain}
	}
	return q, nil
}

// CreateAccessRequest stores q as pending and sets its id; ECONFLICT if the
// account has a request pending on the report (the partial unique index).
func (t *tx) CreateAccessRequest(q *vmt.AccessRequestRecord) error {
	id, err := t.insert("create access request",
		&vmt.Error{Code: vmt.ECONFLICT, Message: "your request is already with the VMT"},
		`INSERT INTO access_requests (report_id, user_id, stakeholder_id, organisation, note, requested_at, status)
		VALUES ($1, $2, $3, $4, $5, $6, 'pending') ON CONFLICT DO NOTHING RETURNING id`,
		q.ReportID, q.UserID, q.StakeholderID, q.Organisation, q.Note, micros(q.At))
	if err != nil {
		return err
	}
	q.ID, q.Status, q.Decline = id, vmt.AccessPending, nil
	return nil
}

// AccessRequests returns the requests matching f, oldest first.
func (t *tx) AccessRequests(f vmt.AccessRequestFilter) ([]*vmt.AccessRequestRecord, error) {
	var where []string
	var args []any
	add := func(col string, v any) {
		args = append(args, v)
		where = append(where, col+" = $"+strconv.Itoa(len(args)))
	}
	if f.ReportID != 0 {
		add("report_id", f.ReportID)
	}
	if f.UserID != 0 {
		add("user_id", f.UserID)
	}
	if f.StakeholderID != 0 {
		add("stakeholder_id", f.StakeholderID)
	}
	if f.Status != "" {
		add("status", string(f.Status))
	}
	query := `SELECT ` + accessRequestCols + ` FROM access_requests`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	qs, err := list(t, scanAccessRequest, query+` ORDER BY id`, args...)
	if err != nil {
		return nil, wrap("list access requests", err)
	}
	return qs, nil
}

// DeclineAccessRequest records d on the account's pending request.
func (t *tx) DeclineAccessRequest(d *vmt.AccessDecline) error {
	res, err := t.exec(`UPDATE access_requests SET status = 'declined', decided_at = $3, decided_by = $4,
		reason = $5, ask_again_after = $6 WHERE report_id = $1 AND user_id = $2 AND status = 'pending'`,
		d.ReportID, d.UserID, micros(d.At), d.By, d.Reason, micros(d.AskAgainAfter))
	return affected("decline access request", "access request", res, err)
}

// settleAccessRequests ends the account's requests on a report in one of
// the states from, as to: Subscribe and Unsubscribe keep the rule of
// vmt.Tx that an account let in has nothing pending.
func (t *tx) settleAccessRequests(reportID, userID int64, at int64, to vmt.AccessRequestStatus, from ...vmt.AccessRequestStatus) error {
	args := []any{reportID, userID, at, string(to)}
	in := make([]string, len(from))
	for i, s := range from {
		args = append(args, string(s))
		in[i] = "$" + strconv.Itoa(len(args))
	}
	_, err := t.exec(`UPDATE access_requests SET status = $4, decided_at = $3
		WHERE report_id = $1 AND user_id = $2 AND status IN (`+strings.Join(in, ", ")+`)`, args...)
	if err != nil {
		return wrap("settle access requests", err)
	}
	return nil
}
