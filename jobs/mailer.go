package jobs

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/pgpmail"
	"github.com/vmtproject/vmt/smtp"
)

// Mailer turns notice items into signed (and encrypted) mail and knows the
// relay.
type Mailer struct {
	Signer *pgpmail.Signer
	From   mail.Address
	SMTP   smtp.Config
}

// MessageID is the Message-ID of the mail of an outbox item: derived from
// its unique key, so that every attempt sends the same one and a copy left
// by a lost reply is recognisably the same message.
func (m *Mailer) MessageID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "<notice-" + hex.EncodeToString(sum[:16]) + "@" + m.domain() + ">"
}

// ThreadID is the Message-ID that the mails of one thread (a report's
// notifications) refer to: root is vmt.ThreadRoot's.
func (m *Mailer) ThreadID(root string) string {
	return "<" + root + "@" + m.domain() + ">"
}

func (m *Mailer) domain() string {
	if _, d, ok := strings.Cut(m.From.Address, "@"); ok && d != "" {
		return d
	}
	return "vmt.invalid"
}

// PermanentError marks an error no retry cures (a bad payload, a key that
// has expired since it was imported): the item is failed at once.
type PermanentError struct{ Err error }

func (p PermanentError) Error() string { return p.Err.Error() }
func (p PermanentError) Unwrap() error { return p.Err }

// Permanent wraps err as a PermanentError.
func Permanent(err error) error { return PermanentError{err} }

// Build returns the mail of an outbox item at now, and its envelope. Every
// mail kind carries a NoticeMail: list rules and a key decide how it is
// signed and encrypted.
func (m *Mailer) Build(o *vmt.OutboxItem, now time.Time) ([]byte, smtp.Envelope, error) {
	var n vmt.NoticeMail
	if err := json.Unmarshal(o.Payload, &n); err != nil {
		return nil, smtp.Envelope{}, PermanentError{fmt.Errorf("outbox %s: payload: %w", o.Key, err)}
	}
	if err := vmt.CheckUnsigned(o.Kind, n); err != nil {
		return nil, smtp.Envelope{}, PermanentError{fmt.Errorf("outbox %s: %w", o.Key, err)}
	}
	msg := &pgpmail.Message{From: m.From, Subject: n.Subject, Date: now, MessageID: m.MessageID(o.Key), Body: n.Body}
	if n.ThreadRoot != "" {
		root := m.ThreadID(n.ThreadRoot)
		msg.InReplyTo, msg.References = root, []string{root}
	}
	msg.ListUnsubscribe = n.Unsubscribe
	for _, to := range n.To {
		msg.To = append(msg.To, mail.Address{Address: to})
	}
	// The patches go inside the signed (and encrypted) entity, after the
	// text, each under the name the notice's text gives it.
	for _, a := range n.Attachments {
		msg.Attachments = append(msg.Attachments, pgpmail.Attachment{Name: a.Name, ContentType: vmt.PatchContentType, Data: a.Data})
	}
	var keys []*pgpmail.PublicKey
	if n.PublicKey != "" {
		k, err := pgpmail.ParsePublicKey([]byte(n.PublicKey), now)
		if err != nil {
			return nil, smtp.Envelope{}, PermanentError{fmt.Errorf("outbox %s: key of %s: %w", o.Key, n.Recipient, err)}
		}
		keys = append(keys, k)
	}
	var out []byte
	var err error
	switch n.Rules {
	case vmt.ListLinuxDistros, vmt.ListPrivate:
		out, err = listRules(n).Build(msg, m.Signer, keys, n.Disclosure)
	case "":
		switch {
		case n.Unsigned: // an announcement to a list set to none (CheckUnsigned)
			out, err = pgpmail.Unsigned(msg)
		case len(keys) > 0:
			out, err = pgpmail.SignedEncrypted(msg, m.Signer, keys)
		default:
			out, err = pgpmail.Signed(msg, m.Signer)
		}
	default:
		err = fmt.Errorf("unknown list rules %q", n.Rules)
	}
	if err != nil {
		return nil, smtp.Envelope{}, PermanentError{fmt.Errorf("outbox %s: %w", o.Key, err)}
	}
	return out, smtp.Envelope{From: m.From.Address, To: n.To}, nil
}

// listRules are the domain's rules of the list n goes to, as pgpmail checks
// and builds the mail by them. A private list is named by its recipient
// ("list:NAME"), as its refusals have always said.
func listRules(n vmt.NoticeMail) pgpmail.ListRules {
	r := vmt.NoticeList{Name: n.Recipient, Rules: n.Rules}.Demands()
	return pgpmail.ListRules{Name: r.Name, Encrypt: r.Encrypt, SubjectPrefix: r.SubjectPrefix, MaxLead: r.MaxLead()}
}
