package pgpmail

import (
	"bytes"
	"fmt"
	"mime"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/emersion/go-message/textproto"
)

// Signed returns m as a multipart/signed mail (RFC 3156 section 5): the
// entity in canonical form, then a detached, ASCII-armored OpenPGP
// signature by s made with SHA-256 at m.Date. The mail uses CRLF line ends.
func Signed(m *Message, s *Signer) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	entity, err := m.entity()
	if err != nil {
		return nil, fmt.Errorf("writing the MIME entity: %w", err)
	}
	var sig bytes.Buffer
	if err := openpgp.ArmoredDetachSignText(&sig, s.Entity, bytes.NewReader(entity), config(m.Date)); err != nil {
		return nil, fmt.Errorf("signing with %s: %w", s.Fingerprint, err)
	}
	b := newBoundary()
	ct := mime.FormatMediaType("multipart/signed", map[string]string{
		"boundary": b, "micalg": "pgp-sha256", "protocol": "application/pgp-signature",
	})
	var sh textproto.Header
	sh.Set("Content-Disposition", `attachment; filename="signature.asc"`)
	sh.Set("Content-Description", "OpenPGP digital signature")
	sh.Set("Content-Type", `application/pgp-signature; name="signature.asc"`)
	return assemble(m.header(ct), b, "This is an OpenPGP/MIME signed message (RFC 4880 and 3156)",
		part{raw: entity}, part{header: sh, body: crlf(sig.Bytes())})
}

// SignedEncrypted returns m as a multipart/encrypted mail (RFC 3156
// section 6.2, the combined method): the entity signed by s and encrypted
// to every key of to in one OpenPGP message. Each key is checked again at
// m.Date, since it may have expired since it was imported.
func SignedEncrypted(m *Message, s *Signer, to []*PublicKey) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if len(to) == 0 {
		return nil, fmt.Errorf("encryption: no recipient key")
	}
	entities := make([]*openpgp.Entity, len(to))
	for i, k := range to {
		if err := k.check(m.Date); err != nil {
			return nil, fmt.Errorf("recipient key %s: %w", k.Fingerprint, err)
		}
		entities[i] = k.Entity
	}
	entity, err := m.entity()
	if err != nil {
		return nil, fmt.Errorf("writing the MIME entity: %w", err)
	}
	armored, err := encrypt(entity, entities, s, m.Date)
	if err != nil {
		return nil, fmt.Errorf("encrypting to %s: %w", fingerprints(to), err)
	}
	b := newBoundary()
	ct := mime.FormatMediaType("multipart/encrypted", map[string]string{"boundary": b, "protocol": "application/pgp-encrypted"})
	var vh, eh textproto.Header
	vh.Set("Content-Description", "PGP/MIME version identification")
	vh.Set("Content-Type", "application/pgp-encrypted")
	eh.Set("Content-Disposition", `inline; filename="encrypted.asc"`)
	eh.Set("Content-Description", "OpenPGP encrypted message")
	eh.Set("Content-Type", `application/octet-stream; name="encrypted.asc"`)
	return assemble(m.header(ct), b, "This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)",
		part{header: vh, body: []byte("Version: 1\r\n")}, part{header: eh, body: armored})
}

// encrypt signs entity with s and encrypts it to the entities, armored.
func encrypt(entity []byte, to []*openpgp.Entity, s *Signer, now time.Time) ([]byte, error) {
	var out bytes.Buffer
	aw, err := armor.Encode(&out, "PGP MESSAGE", nil)
	if err != nil {
		return nil, err
	}
	pw, err := openpgp.Encrypt(aw, to, s.Entity, &openpgp.FileHints{IsBinary: true}, config(now))
	if err != nil {
		return nil, err
	}
	if _, err := pw.Write(entity); err != nil {
		return nil, err
	}
	if err := pw.Close(); err != nil {
		return nil, err
	}
	if err := aw.Close(); err != nil {
		return nil, err
	}
	return crlf(out.Bytes()), nil
}

// part is one body part of the outer multipart: either raw bytes that
// already hold their header (the signed entity, which must go out byte
// for byte as it was signed) or a header and a body.
type part struct {
	raw    []byte
	header textproto.Header
	body   []byte
}

// assemble writes the outer header and the multipart body by hand rather
// than with a multipart writer, because the signed part must be copied
// exactly, and RFC 2046 makes the CRLF before each boundary part of the
// boundary, not of the part: each part is written as it is and the
// extracted part is exactly what was signed.
func assemble(h textproto.Header, boundary, preamble string, parts ...part) ([]byte, error) {
	var b bytes.Buffer
	if err := textproto.WriteHeader(&b, h); err != nil {
		return nil, fmt.Errorf("writing the header: %w", err)
	}
	b.WriteString(preamble + "\r\n")
	for _, p := range parts {
		if bytes.Contains(p.raw, []byte("--"+boundary)) || bytes.Contains(p.body, []byte("--"+boundary)) {
			return nil, fmt.Errorf("the boundary occurs in a part") // 128 random bits: never, but cheap to check
		}
		b.WriteString("\r\n--" + boundary + "\r\n")
		if p.raw != nil {
			b.Write(p.raw)
			continue
		}
		if err := textproto.WriteHeader(&b, p.header); err != nil {
			return nil, err
		}
		b.Write(p.body)
	}
	b.WriteString("\r\n--" + boundary + "--\r\n")
	return b.Bytes(), nil
}

// Unsigned returns m as a plain text/plain mail, neither signed nor
// encrypted, for a public list that rejects PGP/MIME. It refuses
// attachments: what is attached (patches) is only ever sent signed.
func Unsigned(m *Message) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if len(m.Attachments) > 0 {
		return nil, fmt.Errorf("an unsigned mail carries no attachment")
	}
	h := m.header("text/plain; charset=utf-8")
	h.Add("Content-Transfer-Encoding", "quoted-printable")
	var b bytes.Buffer
	if err := textproto.WriteHeader(&b, h); err != nil {
		return nil, fmt.Errorf("writing the header: %w", err)
	}
	if err := writeQP(&b, m.Body); err != nil {
		return nil, fmt.Errorf("writing the text: %w", err)
	}
	return b.Bytes(), nil
}
