package pgpmail

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
)

var sent = time.Date(2026, 11, 25, 14, 30, 0, 0, time.UTC)

// body has what breaks careless signing: trailing spaces, a line starting
// with "From ", a lone dot, non-ASCII text and a long line.
const body = "Hello,\n\nThis is a notice of an embargoed vulnerability.  \nFrom the VMT, with thanks.\n.\nDisclosure: 2026-12-03 00:00 UTC — Grüße\n" +
	"A long line: " + "0123456789 " + "abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz\n"

func notice() *Message {
	return &Message{
		From:      mail.Address{Name: "Kata VMT", Address: "vmt@example.org"},
		To:        []mail.Address{{Name: "Distro Security", Address: "security@distro.example"}},
		Subject:   "[vs] Embargoed notice: guest escape in agent (CVE-2026-12345)",
		Date:      sent,
		MessageID: "<notice-12-7@vmt.example.org>",
		Body:      body,
		Attachments: []Attachment{
			{Name: "cve-2026-12345-stable-2.1-agent.patch", ContentType: "text/x-diff", Data: []byte("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n")},
			{Name: "cve-2026-12345-main-agent.patch", Data: bytes.Repeat([]byte{0, 1, 2, 0xff}, 100)},
		},
	}
}

// rawParts splits a multipart body at its boundary as RFC 2046 says: the
// CRLF before each delimiter belongs to the delimiter. This is how a
// verifier finds the exact signed bytes.
func rawParts(t *testing.T, mailBytes []byte) (message.Header, [][]byte) {
	t.Helper()
	e, err := message.Read(bytes.NewReader(mailBytes))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := e.Header.ContentType()
	if err != nil {
		t.Fatal(err)
	}
	all, _ := io.ReadAll(e.Body)
	delim := []byte("\r\n--" + params["boundary"])
	chunks := bytes.Split(all, delim)
	var parts [][]byte
	for _, c := range chunks[1:] {
		if bytes.HasPrefix(c, []byte("--")) {
			break
		}
		parts = append(parts, bytes.TrimPrefix(c, []byte("\r\n")))
	}
	return e.Header, parts
}

func TestSignedVerifiedByGnuPG(t *testing.T) {
	k := newKeys(t, sent)
	out, err := Signed(notice(), k.signer)
	if err != nil {
		t.Fatal(err)
	}
	h, parts := rawParts(t, out)
	if len(parts) != 2 {
		t.Fatalf("%d parts, want 2", len(parts))
	}
	g := newGnuPG(t)
	g.must(armorPublic(t, k.signerEnt), "--import")
	sig := g.file("signature.asc", signatureOf(t, parts[1]))
	r := g.run(parts[0], "--verify", sig, "-")
	if r.code != 0 || !r.has("GOODSIG") || !strings.Contains(r.line("VALIDSIG"), k.signer.Fingerprint) {
		t.Fatalf("gpg --verify: exit %d, status %v\n%s", r.code, r.status, r.stderr)
	}
	// VALIDSIG's eighth field is the hash algorithm: 8 is SHA-256, as micalg says.
	if f := strings.Fields(r.line("VALIDSIG")); len(f) < 9 || f[8] != "8" {
		t.Errorf("VALIDSIG %q: hash is not SHA-256", r.line("VALIDSIG"))
	}
	checkEntity(t, parts[0], notice())
	if _, p, _ := h.ContentType(); p["micalg"] != "pgp-sha256" {
		t.Errorf("micalg = %q", p["micalg"])
	}

	// One changed byte in the signed part, and gpg says so.
	bad := bytes.Replace(parts[0], []byte("notice"), []byte("Notice"), 1)
	if r := g.run(bad, "--verify", sig, "-"); r.code == 0 || !r.has("BADSIG") {
		t.Fatalf("tampered part: exit %d, status %v", r.code, r.status)
	}
}

// signatureOf is the body of the application/pgp-signature part.
func signatureOf(t *testing.T, part []byte) []byte {
	t.Helper()
	e, err := message.Read(bytes.NewReader(part))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(e.Body)
	return b
}

func TestSignedEncryptedDecryptedByGnuPG(t *testing.T) {
	k := newKeys(t, sent)
	m := notice()
	out, err := SignedEncrypted(m, k.signer, []*PublicKey{k.recipient})
	if err != nil {
		t.Fatal(err)
	}
	_, parts := rawParts(t, out)
	if len(parts) != 2 {
		t.Fatalf("%d parts, want 2", len(parts))
	}
	armored := signatureOf(t, parts[1])

	g := newGnuPG(t)
	g.must(armorSecret(t, k.recEnt), "--import")
	// Without the signer's key gpg decrypts but cannot check the
	// signature, and exits 2.
	r := g.run(armored, "--decrypt")
	if r.code != 2 || !r.has("DECRYPTION_OKAY") || !r.has("NO_PUBKEY") || r.has("GOODSIG") {
		t.Fatalf("without the signer's key: exit %d, status %v", r.code, r.status)
	}
	g.must(armorPublic(t, k.signerEnt), "--import")
	r = g.run(armored, "--decrypt")
	if r.code != 0 || !r.has("DECRYPTION_OKAY") || !r.has("GOODSIG") || !strings.Contains(r.line("VALIDSIG"), k.signer.Fingerprint) {
		t.Fatalf("gpg --decrypt: exit %d, status %v\n%s", r.code, r.status, r.stderr)
	}
	if r.has("DECRYPTION_COMPLIANCE_MODE") && !r.has("BEGIN_DECRYPTION") {
		t.Fatalf("unexpected status %v", r.status)
	}
	checkEntity(t, r.stdout, m)
}

// checkEntity reads a decrypted entity as a mail client would and compares
// it with the message given.
func checkEntity(t *testing.T, entity []byte, m *Message) {
	t.Helper()
	mr, err := gomail.CreateReader(bytes.NewReader(entity))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(p.Body)
		switch h := p.Header.(type) {
		case *gomail.InlineHeader:
			// MIME text travels with CRLF line ends; a reader shows LF.
			if got := strings.ReplaceAll(string(data), "\r\n", "\n"); got != m.Body {
				t.Errorf("text = %q\nwant %q", got, m.Body)
			}
		case *gomail.AttachmentHeader:
			name, _ := h.Filename()
			names = append(names, name)
			for _, a := range m.Attachments {
				if a.Name == name && !bytes.Equal(a.Data, data) {
					t.Errorf("attachment %s differs", name)
				}
			}
		}
	}
	if want := fmt.Sprint(attachmentNames(m)); fmt.Sprint(names) != want {
		t.Errorf("attachments %v, want %s", names, want)
	}
}

func attachmentNames(m *Message) []string {
	var out []string
	for _, a := range m.Attachments {
		out = append(out, a.Name)
	}
	return out
}

func TestTextOnlyEntity(t *testing.T) {
	k := newKeys(t, sent)
	m := notice()
	m.Attachments = nil
	m.Body = "No newline at the end"
	out, err := Signed(m, k.signer)
	if err != nil {
		t.Fatal(err)
	}
	_, parts := rawParts(t, out)
	g := newGnuPG(t)
	g.must(armorPublic(t, k.signerEnt), "--import")
	if r := g.run(parts[0], "--verify", g.file("s.asc", signatureOf(t, parts[1])), "-"); !r.has("GOODSIG") {
		t.Fatalf("status %v", r.status)
	}
	e, err := message.Read(bytes.NewReader(parts[0]))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(e.Body)
	if mt, _, _ := e.Header.ContentType(); mt != "text/plain" || string(b) != m.Body {
		t.Errorf("part %s %q", mt, b)
	}
}

// TestStructure reads both mails with go-message, as a mail client would,
// and checks the shape RFC 3156 prescribes and the headers.
func TestStructure(t *testing.T) {
	k := newKeys(t, sent)
	signed, err := Signed(notice(), k.signer)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := SignedEncrypted(notice(), k.signer, []*PublicKey{k.recipient})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		mail              []byte
		mediaType, proto  string
		partTypes         []string
		micalg, firstBody string
	}{
		{signed, "multipart/signed", "application/pgp-signature", []string{"multipart/mixed", "application/pgp-signature"}, "pgp-sha256", ""},
		{enc, "multipart/encrypted", "application/pgp-encrypted", []string{"application/pgp-encrypted", "application/octet-stream"}, "", "Version: 1\r\n"},
	} {
		t.Run(c.mediaType, func(t *testing.T) {
			checkShape(t, c.mail, c.mediaType, c.proto, c.micalg, c.partTypes, c.firstBody)
		})
	}
}

func checkShape(t *testing.T, raw []byte, mediaType, proto, micalg string, partTypes []string, firstBody string) {
	if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("a bare LF in the mail")
	}
	for i, c := range raw {
		if c >= 0x80 {
			t.Fatalf("8-bit byte at %d", i)
		}
	}
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	mt, params, _ := e.Header.ContentType()
	if mt != mediaType || params["protocol"] != proto || params["micalg"] != micalg {
		t.Errorf("Content-Type %s %v", mt, params)
	}
	h := gomail.Header{Header: e.Header}
	from, _ := h.AddressList("From")
	to, _ := h.AddressList("To")
	subj, _ := h.Subject()
	date, _ := h.Date()
	id, _ := h.MessageID()
	got := fmt.Sprint(from[0].Address, to[0].Address, subj, date.UTC(), id, h.Get("Mime-Version"))
	want := fmt.Sprint("vmt@example.org", "security@distro.example", notice().Subject, sent, "notice-12-7@vmt.example.org", "1.0")
	if got != want {
		t.Errorf("headers %s\nwant %s", got, want)
	}
	mr := e.MultipartReader()
	for i, want := range partTypes {
		p, err := mr.NextPart()
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		pt, _, _ := p.Header.ContentType()
		b, _ := io.ReadAll(p.Body)
		if pt != want {
			t.Errorf("part %d is %s, want %s", i, pt, want)
		}
		if i == 0 && firstBody != "" && string(b) != firstBody {
			t.Errorf("version part %q", b)
		}
		if pt == "application/octet-stream" && !bytes.HasPrefix(b, []byte("-----BEGIN PGP MESSAGE-----\r\n")) {
			t.Errorf("encrypted part starts %q", b[:min(40, len(b))])
		}
		if pt == "application/pgp-signature" && !bytes.HasPrefix(b, []byte("-----BEGIN PGP SIGNATURE-----\r\n")) {
			t.Errorf("signature part starts %q", b[:min(40, len(b))])
		}
	}
	if _, err := mr.NextPart(); !errors.Is(err, io.EOF) {
		t.Errorf("more parts than %d: %v", len(partTypes), err)
	}
}

func TestMessageValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Message)
		want   string
	}{
		{"no recipient", func(m *Message) { m.To = nil }, "to: a notice needs at least one recipient"},
		{"bad recipient", func(m *Message) { m.To[0].Address = "not an address" }, `to[0]: "not an address"`},
		{"bad sender", func(m *Message) { m.From.Address = "" }, "from:"},
		{"subject on two lines", func(m *Message) { m.Subject = "a\r\nBcc: x@y" }, "subject: empty or on more than one line"},
		{"no date", func(m *Message) { m.Date = time.Time{} }, "date: not set"},
		{"bad message-id", func(m *Message) { m.MessageID = "<no at sign>" }, `message-id: "<no at sign>"`},
		{"message-id with a newline", func(m *Message) { m.MessageID = "a@b>\r\nBcc: <x@y" }, "message-id:"},
		{"slash in a name", func(m *Message) { m.Attachments[0].Name = "../etc/passwd" }, `attachments[0]: name "../etc/passwd" may use only`},
		{"space in a name", func(m *Message) { m.Attachments[1].Name = "a patch.diff" }, `attachments[1]: name "a patch.diff"`},
		{"hidden name", func(m *Message) { m.Attachments[0].Name = ".patch" }, "not start with a dot"},
		{"same name twice", func(m *Message) { m.Attachments[1].Name = m.Attachments[0].Name }, "is used twice"},
		{"multipart attachment", func(m *Message) { m.Attachments[0].ContentType = "multipart/mixed" }, "is not a single media type"},
		{"bad UTF-8", func(m *Message) { m.Body = "\xff" }, "body: not valid UTF-8"},
	}
	k := newKeys(t, sent)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := notice()
			tt.change(m)
			_, err1 := Signed(m, k.signer)
			_, err2 := SignedEncrypted(m, k.signer, []*PublicKey{k.recipient})
			for _, err := range []error{err1, err2} {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error = %v, want one containing %q", err, tt.want)
				}
			}
		})
	}
	if _, err := SignedEncrypted(notice(), k.signer, nil); err == nil || !strings.Contains(err.Error(), "no recipient key") {
		t.Errorf("no key: %v", err)
	}
}

// A non-ASCII subject is encoded, not sent raw.
func TestEncodedSubject(t *testing.T) {
	k := newKeys(t, sent)
	m := notice()
	m.Subject = "Vulnérabilité embargoed"
	out, err := Signed(m, k.signer)
	if err != nil {
		t.Fatal(err)
	}
	hdr, err := readHeader(out)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := new(mime.WordDecoder).DecodeHeader(hdr.Get("Subject"))
	if err != nil || dec != m.Subject || !strings.HasPrefix(hdr.Get("Subject"), "=?") {
		t.Errorf("Subject %q decodes to %q, %v", hdr.Get("Subject"), dec, err)
	}
}

func readHeader(b []byte) (mail.Header, error) {
	msg, err := mail.ReadMessage(bufio.NewReader(bytes.NewReader(b)))
	if err != nil {
		return nil, err
	}
	return msg.Header, nil
}
