package vmt

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// NoticeRecipient is one addressee of a report's notice as it was sent:
// the record of who was told. It is read from the notice's own outbox
// items, written in the transaction that sent the notice and never
// changed but for their delivery state, so it is the recipients that
// notice addressed whatever the registry says later.
type NoticeRecipient struct {
	Recipient     string    `json:"recipient"`                // "stakeholder:3", "list:linux-distros"
	StakeholderID int64     `json:"stakeholder_id,omitempty"` // 0 for a list
	Organisation  string    `json:"organisation,omitempty"`   // as it was then; "" in notices sent before it was recorded
	Addresses     []string  `json:"addresses"`
	Fingerprint   string    `json:"fingerprint,omitempty"` // of the key it was encrypted to
	Encrypted     bool      `json:"encrypted"`
	At            time.Time `json:"at"`
	// Failed: the mail could not be delivered (a permanent error, or too
	// many attempts). Such a recipient was not told.
	Failed bool `json:"failed,omitempty"`
}

// NoticeRecipients reads the recipients of a report's notice from the
// report's outbox items (those of kind KindNotice; others are skipped).
// A mail that failed for good told nobody and is left out: only a mail
// pending or delivered stands for a recipient told (pending: the worker
// delivers within its poll, and a notice to a list may wait for the list's
// window, but a list has no account to ask for access).
func NoticeRecipients(items []*OutboxItem) ([]NoticeRecipient, error) {
	out := []NoticeRecipient{}
	for _, o := range items {
		if o.Kind != KindNotice || o.State == OutboxFailed {
			continue
		}
		var m NoticeMail
		if err := json.Unmarshal(o.Payload, &m); err != nil {
			return nil, fmt.Errorf("outbox %s: payload: %w", o.Key, err)
		}
		out = append(out, m.RecipientAt(o.CreatedAt))
	}
	return out, nil
}

// RecipientAt is the record of m, a notice mail enqueued at at.
func (m NoticeMail) RecipientAt(at time.Time) NoticeRecipient {
	r := NoticeRecipient{Recipient: m.Recipient, Organisation: m.Organisation, Addresses: m.To,
		Encrypted: m.Encrypts(), At: at}
	if r.Encrypted {
		r.Fingerprint = m.Fingerprint
	}
	if id, ok := strings.CutPrefix(m.Recipient, "stakeholder:"); ok {
		r.StakeholderID, _ = strconv.ParseInt(id, 10, 64)
	}
	return r
}
