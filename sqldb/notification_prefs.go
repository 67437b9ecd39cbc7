package sqldb

import (
	"strings"
	"time"

	"github.com/vmtproject/vmt"
)

// NotificationPrefs returns what userID chose to receive; ENOTFOUND when
// they chose nothing.
func (t *tx) NotificationPrefs(userID int64) (*vmt.NotificationPrefs, error) {
	p := &vmt.NotificationPrefs{UserID: userID, Off: []vmt.NotifyKind{}}
	var off string
	err := t.queryRow(`SELECT off_kinds, digest, updated_at FROM notification_prefs WHERE user_id = $1`, userID).
		Scan(&off, &p.Digest, timeCol{&p.UpdatedAt})
	if err := one("get notification prefs", "notification preferences", err); err != nil {
		return nil, err
	}
	for k := range strings.SplitSeq(off, ",") {
		if k != "" {
			p.Off = append(p.Off, vmt.NotifyKind(k))
		}
	}
	return p, nil
}

// SetNotificationPrefs stores p, replacing the user's row.
func (t *tx) SetNotificationPrefs(p *vmt.NotificationPrefs) error {
	off := make([]string, len(p.Off))
	for i, k := range p.Off {
		off[i] = string(k)
	}
	_, err := t.exec(`INSERT INTO notification_prefs (user_id, off_kinds, digest, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id) DO UPDATE SET off_kinds = excluded.off_kinds, digest = excluded.digest, updated_at = excluded.updated_at`,
		p.UserID, strings.Join(off, ","), p.Digest, micros(p.UpdatedAt))
	if err != nil {
		return wrap("set notification prefs", err)
	}
	return nil
}

// AddDigestEntry stores e and sets its id.
func (t *tx) AddDigestEntry(e *vmt.DigestEntry) error {
	err := t.queryRow(`INSERT INTO notification_digest (user_id, report_id, kind, created_at, sent_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, e.UserID, e.ReportID, string(e.Kind), micros(e.CreatedAt), nullMicros(e.SentAt)).Scan(&e.ID)
	if err != nil {
		return wrap("add digest entry", err)
	}
	return nil
}

// PendingDigests returns every unsent entry, by user then oldest first.
func (t *tx) PendingDigests() ([]*vmt.DigestEntry, error) {
	es, err := list(t, func(r scanner) (*vmt.DigestEntry, error) {
		e := &vmt.DigestEntry{}
		var kind string
		err := r.Scan(&e.ID, &e.UserID, &e.ReportID, &kind, timeCol{&e.CreatedAt}, nullTimeCol{&e.SentAt})
		e.Kind = vmt.NotifyKind(kind)
		return e, err
	}, `SELECT id, user_id, report_id, kind, created_at, sent_at FROM notification_digest
		WHERE sent_at IS NULL ORDER BY user_id, created_at, id`)
	if err != nil {
		return nil, wrap("pending digests", err)
	}
	return es, nil
}

// MarkDigestSent marks entries ids sent at at.
func (t *tx) MarkDigestSent(ids []int64, at time.Time) error {
	for _, id := range ids {
		if _, err := t.exec(`UPDATE notification_digest SET sent_at = $2 WHERE id = $1`, id, micros(at)); err != nil {
			return wrap("mark digest sent", err)
		}
	}
	return nil
}
