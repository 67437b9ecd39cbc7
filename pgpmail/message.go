package pgpmail

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
)

// Message is a notice before signing: what the reader sees once it is
// verified and decrypted.
type Message struct {
	From    mail.Address
	To      []mail.Address
	Subject string
	Date    time.Time
	// MessageID is chosen by the caller and kept across retries, so that
	// a notice sent twice after a lost reply is one message to the reader
	// and to list software. Written with or without the angle brackets.
	MessageID string
	// InReplyTo and References thread the mail under another (ids with or
	// without the angle brackets); ListUnsubscribe is the URL of the
	// List-Unsubscribe header (RFC 2369). Empty: no such header. They
	// are outer headers, seen by every relay: they must carry nothing
	// private.
	InReplyTo       string
	References      []string
	ListUnsubscribe string
	Body            string // plain text, UTF-8
	Attachments     []Attachment
}

// Attachment is a file sent with the notice, such as a patch.
type Attachment struct {
	Name        string // [A-Za-z0-9._-] only, as the linux-distros list demands
	ContentType string // e.g. "text/x-diff"; empty is application/octet-stream
	Data        []byte
}

var (
	attachmentName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	messageID      = regexp.MustCompile(`^[A-Za-z0-9!#$%&'*+/=?^_{|}~.-]+@[A-Za-z0-9!#$%&'*+/=?^_{|}~.-]+$`)
)

// Validate reports the first field of m that cannot be sent, naming it.
func (m *Message) Validate() error {
	if _, err := mail.ParseAddress(m.From.Address); err != nil {
		return fmt.Errorf("from: %q is not a mail address", m.From.Address)
	}
	if len(m.To) == 0 {
		return errors.New("to: a notice needs at least one recipient")
	}
	for i, a := range m.To {
		if _, err := mail.ParseAddress(a.Address); err != nil {
			return fmt.Errorf("to[%d]: %q is not a mail address", i, a.Address)
		}
	}
	switch {
	case strings.TrimSpace(m.Subject) == "" || strings.ContainsAny(m.Subject, "\r\n"):
		return errors.New("subject: empty or on more than one line")
	case m.Date.IsZero():
		return errors.New("date: not set")
	case !messageID.MatchString(m.id()):
		return fmt.Errorf("message-id: %q is not of the form left@right", m.MessageID)
	case m.InReplyTo != "" && !messageID.MatchString(bare(m.InReplyTo)):
		return fmt.Errorf("in-reply-to: %q is not of the form left@right", m.InReplyTo)
	case strings.ContainsAny(m.ListUnsubscribe, "\r\n<> "):
		return fmt.Errorf("list-unsubscribe: %q is not a URL", m.ListUnsubscribe)
	case !utf8.ValidString(m.Body):
		return errors.New("body: not valid UTF-8")
	}
	for i, r := range m.References {
		if !messageID.MatchString(bare(r)) {
			return fmt.Errorf("references[%d]: %q is not of the form left@right", i, r)
		}
	}
	return m.validateAttachments()
}

func (m *Message) validateAttachments() error {
	seen := map[string]bool{}
	for i, a := range m.Attachments {
		if !attachmentName.MatchString(a.Name) || strings.HasPrefix(a.Name, ".") {
			return fmt.Errorf("attachments[%d]: name %q may use only A-Z a-z 0-9 . _ - and not start with a dot", i, a.Name)
		}
		if seen[a.Name] {
			return fmt.Errorf("attachments[%d]: name %q is used twice", i, a.Name)
		}
		seen[a.Name] = true
		if a.ContentType != "" {
			if mt, _, err := mime.ParseMediaType(a.ContentType); err != nil || strings.HasPrefix(mt, "multipart/") {
				return fmt.Errorf("attachments[%d]: content type %q is not a single media type", i, a.ContentType)
			}
		}
	}
	return nil
}

// id is the Message-ID without angle brackets.
func (m *Message) id() string { return bare(m.MessageID) }

// bare is a message id without its angle brackets.
func bare(id string) string { return strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">") }

// header is the outer header of the mail; body's Content-Type is added by
// the caller. Fields are added last first: go-message writes them in
// reverse.
func (m *Message) header(contentType string) textproto.Header {
	var h gomail.Header
	if m.ListUnsubscribe != "" {
		h.Set("List-Unsubscribe", "<"+m.ListUnsubscribe+">")
	}
	if len(m.References) > 0 {
		refs := make([]string, len(m.References))
		for i, r := range m.References {
			refs[i] = bare(r)
		}
		h.SetMsgIDList("References", refs)
	}
	if m.InReplyTo != "" {
		h.SetMsgIDList("In-Reply-To", []string{bare(m.InReplyTo)})
	}
	h.Set("Content-Type", contentType)
	h.Set("MIME-Version", "1.0")
	h.SetMessageID(m.id())
	h.SetDate(m.Date)
	h.SetSubject(m.Subject)
	h.SetAddressList("To", addressList(m.To))
	h.SetAddressList("From", addressList([]mail.Address{m.From}))
	return h.Header.Header
}

func addressList(as []mail.Address) []*gomail.Address {
	out := make([]*gomail.Address, len(as))
	for i := range as {
		out[i] = &as[i]
	}
	return out
}

// entity is the MIME entity that is signed, or signed and encrypted: the
// text alone, or the text and the attachments in a multipart/mixed. It is
// 7-bit with CRLF line ends, the canonical form RFC 3156 signs, so that
// no mail relay can change a byte of it.
func (m *Message) entity() ([]byte, error) {
	var b bytes.Buffer
	if len(m.Attachments) == 0 {
		err := writeText(&b, m.Body)
		return b.Bytes(), err
	}
	mw := textproto.NewMultipartWriter(&b)
	var h textproto.Header
	h.Set("Content-Type", mime.FormatMediaType("multipart/mixed", map[string]string{"boundary": mw.Boundary()}))
	if err := textproto.WriteHeader(&b, h); err != nil {
		return nil, err
	}
	if err := writeParts(mw, m); err != nil {
		return nil, err
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeParts(mw *textproto.MultipartWriter, m *Message) error {
	var th textproto.Header
	th.Set("Content-Transfer-Encoding", "quoted-printable")
	th.Set("Content-Type", "text/plain; charset=utf-8")
	w, err := mw.CreatePart(th)
	if err != nil {
		return err
	}
	if err := writeQP(w, m.Body); err != nil {
		return err
	}
	for _, a := range m.Attachments {
		w, err := mw.CreatePart(attachmentHeader(a))
		if err != nil {
			return err
		}
		if err := writeBase64(w, a.Data); err != nil {
			return err
		}
	}
	return nil
}

// writeText writes a whole text/plain entity.
func writeText(w io.Writer, body string) error {
	var h textproto.Header
	h.Set("Content-Transfer-Encoding", "quoted-printable")
	h.Set("Content-Type", "text/plain; charset=utf-8")
	if err := textproto.WriteHeader(w, h); err != nil {
		return err
	}
	return writeQP(w, body)
}

// writeQP encodes text as quoted-printable, which turns line ends into
// CRLF and protects trailing spaces, a classic cause of signatures that
// fail after transport.
func writeQP(w io.Writer, body string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := io.WriteString(qp, body); err != nil {
		return err
	}
	return qp.Close()
}

func attachmentHeader(a Attachment) textproto.Header {
	ct := a.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	mt, params, _ := mime.ParseMediaType(ct)
	params["name"] = a.Name
	var h textproto.Header
	h.Set("Content-Transfer-Encoding", "base64")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	h.Set("Content-Type", mime.FormatMediaType(mt, params))
	return h
}

// writeBase64 writes data in base64 lines of 76 characters.
func writeBase64(w io.Writer, data []byte) error {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		if _, err := io.WriteString(w, enc[:76]+"\r\n"); err != nil {
			return err
		}
		enc = enc[76:]
	}
	_, err := io.WriteString(w, enc+"\r\n")
	return err
}

// newBoundary is a boundary that cannot occur in the parts: a delimiter
// line would start "--=_", and quoted-printable always escapes "=", while
// base64 and armor never have "=" after a leading "--".
func newBoundary() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return "=_vmt_" + hex.EncodeToString(b[:])
}

// crlf converts the LF line ends of go-crypto's armor to CRLF, as SMTP and
// RFC 3156 want.
func crlf(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n"))
}
