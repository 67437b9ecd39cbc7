package vmt

import (
	"context"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// IntakeSettings say where vmt reads a project's intake mailbox (its
// security@ address) over IMAP, and which OpenPGP key opens the reports
// encrypted to the project. No secret is stored: the password, the secret
// key and its passphrase are references ("env:NAME" or "file:/path", as
// for the CNA's API key) that the server reads when it polls.
type IntakeSettings struct {
	ProjectID int64  `json:"project_id"`
	Enabled   bool   `json:"enabled"`
	Addr      string `json:"addr"`     // host:port of the IMAP server
	Security  string `json:"security"` // IntakeTLS, IntakeStartTLS or IntakePlain
	User      string `json:"user"`
	// PasswordRef is where the IMAP password comes from.
	PasswordRef string `json:"password_ref"`
	Folder      string `json:"folder"` // e.g. INBOX
	// KeyRef is where the project's armored intake secret key comes from,
	// PassphraseRef its passphrase ("" for a key without one).
	KeyRef        string `json:"key_ref"`
	PassphraseRef string `json:"passphrase_ref,omitempty"`
}

// The security of the connection to the IMAP server.
const (
	IntakeTLS      = "tls"      // implicit TLS, port 993
	IntakeStartTLS = "starttls" // STARTTLS, port 143
	// IntakePlain is no TLS at all: the password and the reports would
	// cross the network in clear, so only a loopback server is allowed.
	IntakePlain = "plain"
)

// Limits of the intake.
const (
	// MaxIntakeMessageBytes is the largest message fetched; a larger one
	// is kept in the mailbox and shown as a failure.
	MaxIntakeMessageBytes = 10 << 20
	// MaxIntakeFolderLen bounds the folder name.
	MaxIntakeFolderLen = 200
)

// Validate checks the settings. Enabled needs every field but the
// passphrase; fields given while disabled are checked all the same.
func (c *IntakeSettings) Validate() error {
	if c.Addr != "" || c.Enabled {
		host, port, err := splitHostPort(c.Addr)
		if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 {
			return Invalid("addr", "%q is not host:port", c.Addr)
		}
		if err := checkControl("addr", c.Addr); err != nil {
			return err
		}
	}
	switch c.Security {
	case IntakeTLS, IntakeStartTLS:
	case IntakePlain:
		host, _, _ := splitHostPort(c.Addr)
		if host != "127.0.0.1" && host != "::1" && host != "localhost" {
			return Invalid("security", "plain (no TLS) is allowed only to a loopback address")
		}
	case "":
		if c.Enabled {
			return Invalid("security", "is required: tls, starttls or plain")
		}
	default:
		return Invalid("security", "%q: want tls, starttls or plain", c.Security)
	}
	if c.User != "" || c.Enabled {
		if err := CheckLine("user", c.User, 256, true); err != nil {
			return err
		}
	}
	if c.Folder != "" || c.Enabled {
		if err := CheckLine("folder", c.Folder, MaxIntakeFolderLen, true); err != nil {
			return err
		}
	}
	for _, r := range []struct{ field, ref string }{{"password_ref", c.PasswordRef}, {"key_ref", c.KeyRef}, {"passphrase_ref", c.PassphraseRef}} {
		if r.ref == "" && (!c.Enabled || r.field == "passphrase_ref") {
			continue
		}
		if !keyEnvRE.MatchString(r.ref) && !validKeyFile(r.ref) {
			return Invalid(r.field, "must be env:NAME or file:/absolute/path, never the secret itself")
		}
	}
	return nil
}

// splitHostPort splits "host:port" or "[v6]:port" (the domain reaches
// no network, so it does not import package net for this).
func splitHostPort(s string) (host, port string, err error) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return "", "", Invalid("addr", "no port")
	}
	host, port = s[:i], s[i+1:]
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	} else if strings.ContainsAny(host, ":[]") {
		return "", "", Invalid("addr", "an IPv6 address is written in brackets")
	}
	return host, port, nil
}

// IntakeMail is one message read from an intake mailbox, decrypted and
// checked, for the service to file (app.FileIntake).
type IntakeMail struct {
	// MessageID is the message's Message-ID without angle brackets (or
	// "sha256:HEX" of its bytes when it has none): a message is filed
	// once per project.
	MessageID string
	From      string // the sender's address
	FromName  string
	Subject   string
	Body      string
	// Encrypted says the message was encrypted to the intake key;
	// Signature what its signature was.
	Encrypted   bool
	Signature   IntakeSignature
	Attachments []ReportAttachment // Name, ContentType, Data
	// SenderKey is the armored public key the message carried
	// (application/pgp-keys), "" if none: the reply is encrypted to it.
	SenderKey string
}

// IntakeSignature records the OpenPGP signature of a mailed report.
type IntakeSignature struct {
	State       string `json:"state"`                 // SigNone, SigValid, SigBad or SigUnknownKey
	Fingerprint string `json:"fingerprint,omitempty"` // the signer's, when its key was at hand
	KeyID       string `json:"key_id,omitempty"`      // the issuer key id the signature names
}

// The states of an intake signature.
const (
	SigNone       = "none"        // not signed
	SigValid      = "valid"       // signed, and the signature verifies
	SigBad        = "bad"         // signed, and the signature does not verify
	SigUnknownKey = "unknown_key" // signed by a key we do not have
)

// IntakeRecord is a message filed as a report: the unique (project,
// Message-ID) that keeps a second poll, a restart or a second instance
// from filing it again.
type IntakeRecord struct {
	ID        int64           `json:"id"`
	ProjectID int64           `json:"project_id"`
	MessageID string          `json:"message_id"`
	ReportID  int64           `json:"report_id"`
	From      string          `json:"from"`
	Encrypted bool            `json:"encrypted"`
	Signature IntakeSignature `json:"signature"`
	FiledAt   time.Time       `json:"filed_at"`
}

// IntakeFailure is a message that could not be read (bad encryption,
// malformed MIME, too large, a sender who cannot be the reporter). It
// stays in the mailbox, unread, and is kept here for the VMT, once per
// message (Key), with the last reason and how often it was tried.
type IntakeFailure struct {
	ID        int64     `json:"id"`
	ProjectID int64     `json:"project_id"`
	Key       string    `json:"key"` // the Message-ID, or folder/UIDVALIDITY/UID without one
	From      string    `json:"from,omitempty"`
	Subject   string    `json:"subject,omitempty"`
	Size      int64     `json:"size"`
	Reason    string    `json:"reason"`
	Attempts  int       `json:"attempts"`
	FirstAt   time.Time `json:"first_at"`
	LastAt    time.Time `json:"last_at"`
}

// KindIntakeReply is an outbox item holding the reply to a mailed report
// (a NoticeMail, signed, encrypted when the sender's key is at hand).
const KindIntakeReply = "intake_reply"

// ReportAttachment is a file kept with a report: one of a mailed report's
// attachments.
type ReportAttachment struct {
	ID          int64     `json:"id"`
	ReportID    int64     `json:"report_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	Data        []byte    `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
}

// Limits on a report's attachments: those of a patch series upload each,
// and a total that a mailed report within MaxIntakeMessageBytes fits.
const (
	MaxReportAttachments      = 20
	MaxReportAttachmentBytes  = MaxFixSeriesBytes
	MaxReportAttachmentsTotal = MaxIntakeMessageBytes
	MaxAttachmentNameLen      = 100
)

var contentTypeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$`)

// CleanAttachmentName returns name as it is kept: its last path element,
// with every character but letters, digits, '.', '_' and '-' replaced by
// '_', no leading dot (a hidden file), at most MaxAttachmentNameLen
// bytes; "attachment" when nothing is left.
func CleanAttachmentName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '.' || r == '_' || r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := strings.TrimLeft(b.String(), ".")
	if len(s) > MaxAttachmentNameLen {
		s = s[len(s)-MaxAttachmentNameLen:]
	}
	if strings.Trim(s, "_") == "" {
		return "attachment"
	}
	return s
}

// CheckAttachments checks the attachments of one report against the
// limits, and cleans their names and content types in place.
func CheckAttachments(as []ReportAttachment) error {
	if len(as) > MaxReportAttachments {
		return Invalid("attachments", "%d attachments; at most %d", len(as), MaxReportAttachments)
	}
	total := 0
	for i := range as {
		a := &as[i]
		a.Name = CleanAttachmentName(a.Name)
		a.ContentType = strings.ToLower(strings.TrimSpace(a.ContentType))
		if !contentTypeRE.MatchString(a.ContentType) || len(a.ContentType) > 100 {
			a.ContentType = "application/octet-stream"
		}
		if len(a.Data) > MaxReportAttachmentBytes {
			return Invalid("attachments", "%s is %d bytes; at most %d each", a.Name, len(a.Data), MaxReportAttachmentBytes)
		}
		total += len(a.Data)
		a.Size = int64(len(a.Data))
	}
	if total > MaxReportAttachmentsTotal {
		return Invalid("attachments", "%d bytes in all; at most %d", total, MaxReportAttachmentsTotal)
	}
	return nil
}

// Mailbox is an intake mailbox opened for one round (package imap). Its
// calls end when ctx ends.
type Mailbox interface {
	// Unseen lists the messages not marked \Seen, oldest first, without
	// their bytes.
	Unseen(ctx context.Context) ([]MailboxMessage, error)
	// Fetch returns the whole message uid, without marking it \Seen;
	// an error when it is larger than max.
	Fetch(ctx context.Context, uid uint32, max int64) ([]byte, error)
	// MarkSeen marks message uid \Seen: done only after it is filed.
	MarkSeen(ctx context.Context, uid uint32) error
	Close() error
}

// MailboxMessage is what a mailbox says of a message before it is fetched.
type MailboxMessage struct {
	UID       uint32
	Size      int64
	MessageID string // from the envelope, without angle brackets; "" if none
	From      string
	Subject   string
	// Key names the message in this mailbox for as long as it is there
	// (folder, UIDVALIDITY and UID): the failure key of a message
	// without a Message-ID.
	Key string
}

// MailboxOpener opens the mailbox of settings c with the password read
// from c.PasswordRef.
type MailboxOpener func(ctx context.Context, c *IntakeSettings, password string) (Mailbox, error)
