package sqldb

import (
	"strings"

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
