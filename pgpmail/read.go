package pgpmail

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // the charsets mail arrives in
	gomail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
)

// Decryptor is a secret key that opens the mail encrypted to it: a
// project's intake key.
type Decryptor struct {
	Entity      *openpgp.Entity
	Fingerprint string
}

// ParseDecryptor reads one ASCII-armored OpenPGP secret key and unlocks it
// with passphrase when it is protected.
func ParseDecryptor(armored, passphrase []byte) (*Decryptor, error) {
	el, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(armored))
	if err != nil {
		return nil, fmt.Errorf("OpenPGP intake key: not an ASCII-armored key: %w", err)
	}
	if len(el) != 1 || el[0].PrivateKey == nil {
		return nil, fmt.Errorf("OpenPGP intake key: want one secret key, got %d keys", len(el))
	}
	e := el[0]
	fp := fmt.Sprintf("%X", e.PrimaryKey.Fingerprint)
	if err := unlock(e, passphrase); err != nil {
		return nil, fmt.Errorf("OpenPGP intake key %s: %w", fp, err)
	}
	return &Decryptor{Entity: e, Fingerprint: fp}, nil
}

// Received is a mail as read: decrypted, its signature checked, its parts
// sorted into the text, the attachments and the keys it carried.
type Received struct {
	MessageID string // without angle brackets; "sha256:HEX" of the bytes when the mail has none
	From      string // the bare address
	FromName  string
	Subject   string
	Body      string
	Encrypted bool
	Signature Signature
	// Attachments are every part that is not the text or a key.
	Attachments []Attachment
	// Keys are the armored public keys the mail carried
	// (application/pgp-keys parts), in order.
	Keys [][]byte
}

// Signature is what was found of a mail's OpenPGP signature.
type Signature struct {
	State       string // "none", "valid", "bad" or "unknown_key" (the vmt.Sig* values)
	Fingerprint string // the signer's primary key, when its key was at hand
	KeyID       string // the issuer key id, upper-case hex
}

// Limits of a mail's structure: a mail nested deeper, or with more parts,
// is refused rather than walked.
const (
	maxDepth = 8
	maxParts = 100
)

// Read reads raw, a whole mail as fetched. The parts encrypted to d
// (PGP/MIME, RFC 3156, or an inline armored message) are decrypted; a
// signature (inside the encryption, multipart/signed, or a cleartext
// signature) is checked with the keys the mail carried and those known
// gives for its sender's address (nil: none). An error says why the mail
// cannot be read: malformed MIME, encrypted to another key, a part nested
// too deep.
func Read(raw []byte, d *Decryptor, known func(from string) [][]byte, now time.Time) (*Received, error) {
	h, body, err := split(raw)
	if err != nil {
		return nil, err
	}
	mh := gomail.Header{Header: message.Header{Header: h}}
	r := &Received{Signature: Signature{State: "none"}}
	if id, err := mh.MessageID(); err == nil && id != "" {
		r.MessageID = id
	} else {
		sum := sha256.Sum256(raw)
		r.MessageID = "sha256:" + hex.EncodeToString(sum[:])
	}
	from, err := mh.AddressList("From")
	if err != nil || len(from) != 1 {
		return nil, fmt.Errorf("the From header is not one address (%v)", err)
	}
	r.From, r.FromName = strings.ToLower(from[0].Address), from[0].Name
	if r.Subject, err = mh.Subject(); err != nil {
		return nil, fmt.Errorf("the Subject header: %w", err)
	}
	rd := &reader{r: r, d: d, now: now}
	if known != nil {
		rd.known = known(r.From)
	}
	if err := rd.entity(h, body, 0); err != nil {
		return nil, err
	}
	if rd.verify != nil {
		rd.verify()
	}
	return r, nil
}

// reader walks one mail's entities.
type reader struct {
	r     *Received
	d     *Decryptor
	now   time.Time
	known [][]byte
	parts int
	text  bool // r.Body was taken
	// verify checks the signature once the whole mail was read, so that
	// a key the mail carried after the signed part counts.
	verify func()
}

// split parses the header of an entity and returns it with the raw body.
func split(raw []byte) (textproto.Header, []byte, error) {
	br := bufio.NewReader(bytes.NewReader(raw))
	h, err := textproto.ReadHeader(br)
	if err != nil {
		return textproto.Header{}, nil, fmt.Errorf("malformed MIME header: %w", err)
	}
	body, err := io.ReadAll(br)
	if err != nil {
		return textproto.Header{}, nil, err
	}
	return h, body, nil
}

// keyring is the keys a signature is checked with: those the mail carried,
// then the known ones of the sender.
func (rd *reader) keyring() openpgp.EntityList {
	var el openpgp.EntityList
	for _, k := range append(append([][]byte(nil), rd.r.Keys...), rd.known...) {
		if got, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(k)); err == nil {
			el = append(el, got...)
		}
	}
	return el
}

func (rd *reader) entity(h textproto.Header, body []byte, depth int) error {
	if depth > maxDepth {
		return errors.New("MIME parts nested too deep")
	}
	if rd.parts++; rd.parts > maxParts {
		return fmt.Errorf("more than %d MIME parts", maxParts)
	}
	ct, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if h.Get("Content-Type") == "" {
		ct, params, err = "text/plain", map[string]string{}, nil
	}
	if err != nil {
		return fmt.Errorf("malformed Content-Type %q: %w", h.Get("Content-Type"), err)
	}
	switch {
	case ct == "multipart/encrypted" && strings.EqualFold(params["protocol"], "application/pgp-encrypted"):
		parts, err := multipartRaw(body, params["boundary"])
		if err != nil {
			return err
		}
		if len(parts) != 2 {
			return fmt.Errorf("multipart/encrypted has %d parts, want 2", len(parts))
		}
		_, cipher, err := rd.decoded(parts[1])
		if err != nil {
			return err
		}
		plain, err := rd.decrypt(cipher)
		if err != nil {
			return err
		}
		ih, ibody, err := split(crlf(plain))
		if err != nil {
			return fmt.Errorf("the decrypted part: %w", err)
		}
		return rd.entity(ih, ibody, depth+1)
	case ct == "multipart/signed" && strings.EqualFold(params["protocol"], "application/pgp-signature"):
		parts, err := multipartRaw(body, params["boundary"])
		if err != nil {
			return err
		}
		if len(parts) != 2 {
			return fmt.Errorf("multipart/signed has %d parts, want 2", len(parts))
		}
		_, sig, err := rd.decoded(parts[1])
		if err != nil {
			return err
		}
		signed := parts[0]
		rd.verify = func() { rd.detached(signed, sig) }
		ih, ibody, err := split(signed)
		if err != nil {
			return err
		}
		return rd.entity(ih, ibody, depth+1)
	case strings.HasPrefix(ct, "multipart/"):
		parts, err := multipartRaw(body, params["boundary"])
		if err != nil {
			return err
		}
		for _, p := range parts {
			ih, ibody, err := split(p)
			if err != nil {
				return err
			}
			if err := rd.entity(ih, ibody, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	_, data, err := rd.decoded(append(headerBytes(h), body...))
	if err != nil {
		return err
	}
	disp, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	switch {
	case ct == "application/pgp-keys":
		rd.r.Keys = append(rd.r.Keys, data)
	case ct == "text/plain" && disp != "attachment" && !rd.text:
		rd.text = true
		return rd.text1(data)
	case ct == "application/pgp-encrypted" || ct == "application/pgp-signature":
		// the control parts of RFC 3156, handled above
	default:
		rd.r.Attachments = append(rd.r.Attachments, Attachment{Name: name, ContentType: ct, Data: data})
	}
	return nil
}

// text1 takes the text of the mail, decrypting an inline armored message
// or checking a cleartext signature.
func (rd *reader) text1(data []byte) error {
	s := string(data)
	switch {
	case strings.Contains(s, "-----BEGIN PGP MESSAGE-----"):
		i := strings.Index(s, "-----BEGIN PGP MESSAGE-----")
		plain, err := rd.decrypt([]byte(s[i:]))
		if err != nil {
			return err
		}
		if b, _ := clearsign.Decode(plain); b != nil { // encrypted cleartext-signed text
			return rd.clear(b)
		}
		rd.r.Body = string(plain)
	case strings.Contains(s, "-----BEGIN PGP SIGNED MESSAGE-----"):
		b, _ := clearsign.Decode(data[strings.Index(s, "-----BEGIN PGP SIGNED MESSAGE-----"):])
		if b == nil {
			return errors.New("malformed cleartext signature")
		}
		return rd.clear(b)
	default:
		rd.r.Body = s
	}
	return nil
}

func (rd *reader) clear(b *clearsign.Block) error {
	rd.r.Body = string(b.Plaintext)
	rd.verify = func() {
		signer, err := b.VerifySignature(rd.keyring(), config(rd.now))
		rd.result(signer, err, func() ([]byte, error) { return io.ReadAll(b.ArmoredSignature.Body) })
	}
	return nil
}

// decoded reads an entity's body with its transfer encoding undone.
func (rd *reader) decoded(raw []byte) (textproto.Header, []byte, error) {
	h, body, err := split(raw)
	if err != nil {
		return h, nil, err
	}
	e, err := message.New(message.Header{Header: h}, bytes.NewReader(body))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return h, nil, fmt.Errorf("malformed MIME part: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(e.Body, int64(len(body))*4+1024))
	if err != nil {
		return h, nil, fmt.Errorf("malformed MIME part body: %w", err)
	}
	return h, data, nil
}

// decrypt opens an armored (or binary) OpenPGP message encrypted to the
// intake key, and records the signature inside it.
func (rd *reader) decrypt(cipher []byte) ([]byte, error) {
	if rd.d == nil {
		return nil, errors.New("the mail is encrypted, and the project has no intake key")
	}
	in := io.Reader(bytes.NewReader(cipher))
	if bytes.Contains(cipher, []byte("-----BEGIN PGP MESSAGE-----")) {
		blk, err := armor.Decode(bytes.NewReader(cipher))
		if err != nil {
			return nil, fmt.Errorf("malformed armored OpenPGP message: %w", err)
		}
		in = blk.Body
	}
	raw, err := io.ReadAll(in)
	if err != nil {
		return nil, fmt.Errorf("malformed armored OpenPGP message: %w", err)
	}
	plain, md, err := rd.open(raw, nil)
	if err != nil {
		return nil, err
	}
	rd.r.Encrypted = true
	if md.IsSigned {
		rd.verify = func() {
			// Again with the keys the decrypted mail carried, which
			// were not known at the first reading.
			_, md, err := rd.open(raw, rd.keyring())
			if err != nil {
				rd.r.Signature = Signature{State: "bad"}
				return
			}
			rd.r.Signature.KeyID = fmt.Sprintf("%016X", md.SignedByKeyId)
			switch {
			case md.SignedBy == nil:
				rd.r.Signature.State = "unknown_key"
			case md.SignatureError != nil:
				rd.r.Signature.State, rd.r.Signature.Fingerprint = "bad", fmt.Sprintf("%X", md.SignedBy.Entity.PrimaryKey.Fingerprint)
			default:
				rd.r.Signature.State, rd.r.Signature.Fingerprint = "valid", fmt.Sprintf("%X", md.SignedBy.Entity.PrimaryKey.Fingerprint)
			}
		}
	}
	return plain, nil
}

// open decrypts raw with the intake key and the signers' keys, reading
// it whole so that the signature is checked.
func (rd *reader) open(raw []byte, signers openpgp.EntityList) ([]byte, *openpgp.MessageDetails, error) {
	ring := append(openpgp.EntityList{rd.d.Entity}, signers...)
	md, err := openpgp.ReadMessage(bytes.NewReader(raw), ring, nil, config(rd.now))
	if err != nil {
		return nil, nil, fmt.Errorf("cannot decrypt with the intake key %s: %w", rd.d.Fingerprint, err)
	}
	if !md.IsEncrypted {
		return nil, nil, errors.New("the OpenPGP message is not encrypted")
	}
	plain, err := io.ReadAll(io.LimitReader(md.UnverifiedBody, 64<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("cannot decrypt with the intake key %s: %w", rd.d.Fingerprint, err)
	}
	return plain, md, nil
}

// detached checks a multipart/signed signature over the signed part.
func (rd *reader) detached(signed, sig []byte) {
	signer, err := openpgp.CheckArmoredDetachedSignature(rd.keyring(), bytes.NewReader(signed), bytes.NewReader(sig), config(rd.now))
	rd.result(signer, err, func() ([]byte, error) {
		b, err := armor.Decode(bytes.NewReader(sig))
		if err != nil {
			return nil, err
		}
		return io.ReadAll(b.Body)
	})
}

// result records the check of a detached or cleartext signature; packets
// gives the signature's packets, for the issuer when the key is unknown.
func (rd *reader) result(signer *openpgp.Entity, err error, packets func() ([]byte, error)) {
	s := &rd.r.Signature
	switch {
	case err == nil && signer != nil:
		s.State, s.Fingerprint = "valid", fmt.Sprintf("%X", signer.PrimaryKey.Fingerprint)
		s.KeyID = fmt.Sprintf("%016X", signer.PrimaryKey.KeyId)
		return
	case errors.Is(err, pgperrors.ErrUnknownIssuer):
		s.State = "unknown_key"
	default:
		s.State = "bad"
		if signer != nil {
			s.Fingerprint = fmt.Sprintf("%X", signer.PrimaryKey.Fingerprint)
		}
	}
	if b, err := packets(); err == nil {
		if p, err := packet.Read(bytes.NewReader(b)); err == nil {
			if sp, ok := p.(*packet.Signature); ok && sp.IssuerKeyId != nil {
				s.KeyID = fmt.Sprintf("%016X", *sp.IssuerKeyId)
			}
		}
	}
}

// multipartRaw splits a multipart body into its parts, each as raw bytes
// (header and body) exactly as sent: a signature covers those bytes.
func multipartRaw(body []byte, boundary string) ([][]byte, error) {
	if boundary == "" || len(boundary) > 70 {
		return nil, errors.New("malformed multipart: no boundary")
	}
	body = crlf(body)
	delim := []byte("\r\n--" + boundary)
	b := append([]byte("\r\n"), body...) // the first delimiter may open the body
	var parts [][]byte
	i := bytes.Index(b, delim)
	if i < 0 {
		return nil, errors.New("malformed multipart: the boundary is never found")
	}
	for {
		rest := b[i+len(delim):]
		if bytes.HasPrefix(rest, []byte("--")) {
			return parts, nil // the closing delimiter
		}
		eol := bytes.Index(rest, []byte("\r\n"))
		if eol < 0 {
			return nil, errors.New("malformed multipart: a part never ends")
		}
		rest = rest[eol+2:]
		j := bytes.Index(rest, delim)
		if j < 0 {
			return nil, errors.New("malformed multipart: no closing boundary")
		}
		parts = append(parts, rest[:j])
		if len(parts) > maxParts {
			return nil, fmt.Errorf("more than %d MIME parts", maxParts)
		}
		i = len(b) - len(rest) + j
	}
}

// headerBytes writes a header back, for a part read again with its body.
func headerBytes(h textproto.Header) []byte {
	var b bytes.Buffer
	_ = textproto.WriteHeader(&b, h)
	return b.Bytes()
}
