package sqldb

import (
	"time"

	"github.com/vmtproject/vmt"
)

// Subscribe stores s. ECONFLICT if the user is already subscribed.
func (t *tx) Subscribe(s *vmt.Subscription) error {
	_, err := t.insert("subscribe", &vmt.Error{Code: vmt.ECONFLICT, Field: "user_id", Message: "the user is already subscribed"},
		`INSERT INTO subscriptions (report_id, user_id, granted_by, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING report_id`,
		s.ReportID, s.UserID, s.GrantedBy, micros(s.CreatedAt))
	if err != nil {
		return err
	}
	return t.settleAccessRequests(s.ReportID, s.UserID, micros(s.CreatedAt), vmt.AccessGranted, vmt.AccessPending, vmt.AccessDeclined)
}

// Unsubscribe ends a subscription; ENOTFOUND if there is none.
func (t *tx) Unsubscribe(reportID, userID int64) error {
	res, err := t.exec(`DELETE FROM subscriptions WHERE report_id = $1 AND user_id = $2`, reportID, userID)
	if err := affected("unsubscribe", "subscription", res, err); err != nil {
		return err
	}
	return t.settleAccessRequests(reportID, userID, micros(time.Now()), vmt.AccessClosed, vmt.AccessPending)
}

// Subscriptions returns the subscriptions of a report, oldest first.
func (t *tx) Subscriptions(reportID int64) ([]*vmt.Subscription, error) {
	ss, err := list(t, func(r scanner) (*vmt.Subscription, error) {
		s := &vmt.Subscription{}
		return s, r.Scan(&s.ReportID, &s.UserID, &s.GrantedBy, timeCol{&s.CreatedAt})
	}, `SELECT report_id, user_id, granted_by, created_at FROM subscriptions
		WHERE report_id = $1 ORDER BY created_at, user_id`, reportID)
	if err != nil {
		return nil, wrap("list subscriptions", err)
	}
	return ss, nil
}

// Subscribed reports whether userID is subscribed to reportID.
func (t *tx) Subscribed(reportID, userID int64) (bool, error) {
	var ok bool
	err := t.queryRow(`SELECT EXISTS (SELECT 1 FROM subscriptions WHERE report_id = $1 AND user_id = $2)`,
		reportID, userID).Scan(&ok)
	if err != nil {
		return false, wrap("subscribed", err)
	}
	return ok, nil
}

// CreateComment stores c and sets its id.
func (t *tx) CreateComment(c *vmt.Comment) error {
	err := t.queryRow(`INSERT INTO comments (report_id, author_id, body, created_at)
		VALUES ($1, $2, $3, $4) RETURNING id`, c.ReportID, c.AuthorID, c.Body, micros(c.CreatedAt)).Scan(&c.ID)
	if err != nil {
		return wrap("create comment", err)
	}
	return nil
}

// Comments returns the comments of a report, oldest first.
func (t *tx) Comments(reportID int64) ([]*vmt.Comment, error) {
	cs, err := list(t, func(r scanner) (*vmt.Comment, error) {
		c := &vmt.Comment{}
		return c, r.Scan(&c.ID, &c.ReportID, &c.AuthorID, &c.Body, timeCol{&c.CreatedAt})
	}, `SELECT id, report_id, author_id, body, created_at FROM comments
		WHERE report_id = $1 ORDER BY created_at, id`, reportID)
	if err != nil {
		return nil, wrap("list comments", err)
	}
	return cs, nil
}
