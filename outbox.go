package vmt

import (
	"encoding/json"
	"slices"
	"time"
)

// OutboxItem is one side effect outside the store (a mail), written in the
// same transaction as the change that causes it and carried out later by
// a worker: the change and its effect are both made or both not.
//
// The outbox is a table of the store rather than a job queue such as
// river: river's SQLite driver is early and wants a connection of its own,
// while this table rides the store's own transactions on both engines
// (the store's single SQLite writer, FOR UPDATE SKIP LOCKED claims on
// PostgreSQL) and is held to the same conformance suite.
type OutboxItem struct {
	ID int64 `json:"id"`
	// Key is unique: enqueueing the same effect twice is ECONFLICT, and
	// the mail's Message-ID is derived from it, so that a retry is
	// recognisably the same message.
	Key         string          `json:"key"`
	Kind        string          `json:"kind"`
	ReportID    int64           `json:"report_id,omitempty"`
	Payload     json.RawMessage `json:"payload"`
	State       OutboxState     `json:"state"`
	Attempts    int             `json:"attempts"`     // claims so far, less those released untried (ReleaseOutbox)
	NextAttempt time.Time       `json:"next_attempt"` // not claimed before; a claim pushes it by the lease
	LastError   string          `json:"last_error,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
	DoneAt      *time.Time      `json:"done_at,omitempty"`
}

// OutboxState is where an item stands.
type OutboxState string

// The states of an outbox item.
const (
	OutboxPending OutboxState = "pending"
	OutboxDone    OutboxState = "done"
	OutboxFailed  OutboxState = "failed" // a permanent error, or too many attempts
)

// KindNotice is an outbox item holding a NoticeMail.
const KindNotice = "notice"

// KindNoticeUpdate is a follow-up to a notice's recipient (the date
// moved, the embargo ended early): a NoticeMail to the same addresses,
// signed and encrypted as the notice was.
const KindNoticeUpdate = "notice_update"

// NoticeMail is the payload of a notice item: one mail to one stakeholder or
// list, rendered when the notice was sent, signed and encrypted at delivery
// (the signing key is the worker's).
type NoticeMail struct {
	ReportID  int64    `json:"report_id"`
	Recipient string   `json:"recipient"` // "stakeholder:3" or "list:linux-distros"
	To        []string `json:"to"`
	// Organisation and Fingerprint are the stakeholder's name and key
	// fingerprint when the notice was sent, for the record of who was
	// told (NoticeRecipients); empty for a list and in older items.
	Organisation string `json:"organisation,omitempty"`
	Fingerprint  string `json:"fingerprint,omitempty"`
	// Rules are those of the list (ListPrivate, ListLinuxDistros), or
	// "" for a stakeholder: encrypted when it has a key, signed if not.
	Rules      string    `json:"rules,omitempty"`
	PublicKey  string    `json:"public_key,omitempty"`
	Subject    string    `json:"subject"`
	Body       string    `json:"body"`
	Disclosure time.Time `json:"disclosure"`
	// ThreadRoot, when set, is the left part of the Message-ID the mail
	// refers to (In-Reply-To, References), one per report (ThreadRoot in
	// notify.go); Unsubscribe is the URL of the List-Unsubscribe header.
	ThreadRoot  string `json:"thread_root,omitempty"`
	Unsubscribe string `json:"unsubscribe,omitempty"`
	// Attachments are the patches of a notice, with their bytes: parts of
	// the signed (and encrypted) entity after the text.
	Attachments []NoticeAttachment `json:"attachments,omitempty"`
	// Unsigned asks for a plain-text mail, for an announcement list whose
	// signing is SignNone. The mailer honours it only for the announcement
	// of a published document (CheckUnsigned); any other mail may carry
	// what the embargo keeps and is always signed.
	Unsigned bool `json:"unsigned,omitempty"`
}

// CheckUnsigned says why the mail n of an outbox item of kind may not go
// out unsigned, or nil if it may: only a publication mail, to a public
// list (no list rules, no key), with no attachment. The announcement is
// made only of a public document (the service checks that when it
// enqueues it); this is the mailer's own guard against any other item
// asking for plain text.
func CheckUnsigned(kind string, n NoticeMail) error {
	switch {
	case !n.Unsigned:
		return nil
	case kind != KindPublicationMail:
		return Errorf(EINVALID, "a %s mail is always signed: only an announcement may go out unsigned", kind)
	case n.Rules != "" || n.PublicKey != "":
		return Errorf(EINVALID, "an unsigned announcement cannot go to a list with rules or a key (%s)", n.Recipient)
	case len(n.Attachments) > 0:
		return Errorf(EINVALID, "an unsigned announcement carries no attachment")
	}
	return nil
}

// IsMailKind says whether outbox items of kind are mails, whose payload is
// a NoticeMail sent through the worker's relay. Every other kind needs a
// handler of its own (a webhook call, a git push, a CVE publication); an
// instance without it leaves such items for one that has it.
func IsMailKind(kind string) bool {
	return slices.Contains(MailKinds(), kind)
}

// MailKinds returns the mail kinds of outbox items.
func MailKinds() []string {
	return []string{KindNotice, KindNoticeUpdate, KindPublicationMail, KindReminder, KindEscalation, KindEmailProof, KindInvite, KindNotification, KindNotificationLink, KindIntakeReply}
}

// MaxOutboxAttempts is how many times an item is tried before it is failed.
const MaxOutboxAttempts = 12

// OutboxEntry is an outbox item as the administrators' list shows it:
// its state and history, and for a mail whom it goes to and its subject,
// never its body or attachments (the content of a private report, which
// the list has no need to carry).
type OutboxEntry struct {
	ID          int64       `json:"id"`
	Key         string      `json:"key"`
	Kind        string      `json:"kind"`
	ReportID    int64       `json:"report_id,omitempty"`
	State       OutboxState `json:"state"`
	Attempts    int         `json:"attempts"`
	NextAttempt time.Time   `json:"next_attempt"`
	LastError   string      `json:"last_error,omitempty"`
	CreatedAt   time.Time   `json:"created_at"`
	DoneAt      *time.Time  `json:"done_at,omitempty"`
	To          []string    `json:"to,omitempty"`
	Subject     string      `json:"subject,omitempty"`
}

// EntryOf returns the list entry of o.
func EntryOf(o *OutboxItem) OutboxEntry {
	e := OutboxEntry{ID: o.ID, Key: o.Key, Kind: o.Kind, ReportID: o.ReportID, State: o.State, Attempts: o.Attempts,
		NextAttempt: o.NextAttempt, LastError: o.LastError, CreatedAt: o.CreatedAt, DoneAt: o.DoneAt}
	var m NoticeMail
	if IsMailKind(o.Kind) && json.Unmarshal(o.Payload, &m) == nil {
		e.To, e.Subject = m.To, m.Subject
	}
	return e
}

// ParseOutboxState reads a state filter ("" is every state).
func ParseOutboxState(field, s string) (OutboxState, error) {
	switch st := OutboxState(s); st {
	case "", OutboxPending, OutboxDone, OutboxFailed:
		return st, nil
	}
	return "", Invalid(field, "unknown state %q (want %s, %s or %s)", s, OutboxPending, OutboxDone, OutboxFailed)
}
