package pgpmail

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"
	"time"
)

// readWorld is the intake key (go-crypto) and a reporter whose key is in
// a real GnuPG, which also knows the intake key, for making mail as a
// GnuPG user does.
type readWorld struct {
	g       *gnupg
	intake  *Decryptor
	rita    []byte // the reporter's armored public key
	ritaFpr string
}

func newReadWorld(t *testing.T) *readWorld {
	g := newGnuPG(t)
	ie := newEntity(t, "Intake", nil)
	d, err := ParseDecryptor(armorSecret(t, ie), nil)
	if err != nil {
		t.Fatal(err)
	}
	re := newEntity(t, "Rita", nil)
	g.must(armorSecret(t, re), "--import")
	g.must(armorPublic(t, ie), "--import")
	return &readWorld{g: g, intake: d, rita: armorPublic(t, re), ritaFpr: strings.ToUpper(fingerprintOf(re.PrimaryKey.Fingerprint))}
}

func fingerprintOf(b []byte) string {
	const hex = "0123456789ABCDEF"
	var s strings.Builder
	for _, c := range b {
		s.WriteByte(hex[c>>4])
		s.WriteByte(hex[c&15])
	}
	return s.String()
}

// gpg runs gpg at the keys' time, trusting every key.
func (w *readWorld) gpg(stdin []byte, args ...string) []byte {
	return w.g.must(stdin, append([]string{"--faked-system-time", keysMade.Format("20060102T150405") + "!", "--trust-model", "always"}, args...)...).stdout
}

const head = "From: Rita <rita@example.org>\r\nSubject: =?utf-8?q?Overflow_=C3=A9?=\r\nMessage-ID: <m1@example.org>\r\nMIME-Version: 1.0\r\n"

// Mail as GnuPG users send it is read, decrypted with the intake key and
// its signature checked, in each form; what cannot be read is an error.
func TestRead(t *testing.T) {
	w := newReadWorld(t)
	now := keysMade.Add(24 * time.Hour)
	text := "Content-Type: text/plain; charset=utf-8\r\n\r\nThe agent overflows.\r\n"
	signedPart := []byte("Content-Type: text/plain; charset=utf-8\r\n\r\nThe agent overflows.")
	detached := w.gpg(signedPart, "--armor", "--detach-sign", "-u", "rita@example.org")
	mpSigned := func(part []byte) []byte {
		return []byte(head + "Content-Type: multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\"; boundary=\"s\"\r\n\r\n" +
			"--s\r\n" + string(part) + "\r\n--s\r\nContent-Type: application/pgp-signature\r\n\r\n" + string(detached) + "\r\n--s--\r\n")
	}
	inline := w.gpg([]byte("The agent overflows.\n"), "--armor", "--encrypt", "--sign", "-u", "rita@example.org", "-r", "intake@example.org")
	clear := w.gpg([]byte("The agent overflows.\n"), "--clearsign", "-u", "rita@example.org")
	pgpmime := w.gpg([]byte(text), "--armor", "--encrypt", "--sign", "-u", "rita@example.org", "-r", "intake@example.org")
	encrypted := func(cipher []byte) []byte {
		return []byte(head + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"e\"\r\n\r\n" +
			"--e\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--e\r\nContent-Type: application/octet-stream\r\n\r\n" +
			string(cipher) + "\r\n--e--\r\n")
	}
	other := newEntity(t, "Other", nil)
	w.g.must(armorPublic(t, other), "--import")
	toOther := w.gpg([]byte(text), "--armor", "--encrypt", "-r", "other@example.org")
	ritaKnown := func(string) [][]byte { return [][]byte{w.rita} }

	for _, tc := range []struct {
		name      string
		raw       []byte
		known     func(string) [][]byte
		encrypted bool
		sig       string
		err       string
	}{
		{name: "plain", raw: []byte(head + text), sig: "none"},
		{name: "PGP/MIME, key known", raw: encrypted(pgpmime), known: ritaKnown, encrypted: true, sig: "valid"},
		{name: "PGP/MIME, key unknown", raw: encrypted(pgpmime), encrypted: true, sig: "unknown_key"},
		{name: "inline", raw: []byte(head + "Content-Type: text/plain\r\n\r\n" + string(inline)), known: ritaKnown, encrypted: true, sig: "valid"},
		{name: "cleartext signed", raw: []byte(head + "Content-Type: text/plain\r\n\r\n" + string(clear)), known: ritaKnown, sig: "valid"},
		{name: "multipart/signed", raw: mpSigned(signedPart), known: ritaKnown, sig: "valid"},
		{name: "multipart/signed, tampered", raw: mpSigned(bytes.Replace(signedPart, []byte("agent"), []byte("AGENT"), 1)), known: ritaKnown, sig: "bad"},
		{name: "encrypted to another key", raw: encrypted(toOther), err: "cannot decrypt"},
		{name: "garbage ciphertext", raw: encrypted([]byte("-----BEGIN PGP MESSAGE-----\r\n\r\nbm9wZQ==\r\n-----END PGP MESSAGE-----")), err: "decrypt"},
		{name: "no closing boundary", raw: []byte(head + "Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n"), err: "malformed multipart"},
		{name: "no From", raw: []byte("Subject: x\r\n\r\nhi\r\n"), err: "From"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Read(tc.raw, w.intake, tc.known, now)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.MessageID != "m1@example.org" || r.From != "rita@example.org" || r.Subject != "Overflow é" {
				t.Errorf("headers: %q %q %q", r.MessageID, r.From, r.Subject)
			}
			if !strings.Contains(strings.ToLower(r.Body), "the agent overflows.") || strings.Contains(r.Body, "BEGIN PGP") { // the tampered case says AGENT
				t.Errorf("body %q", r.Body)
			}
			if r.Encrypted != tc.encrypted || r.Signature.State != tc.sig {
				t.Errorf("encrypted %v, signature %+v; want %v, %s", r.Encrypted, r.Signature, tc.encrypted, tc.sig)
			}
			if tc.sig == "valid" && r.Signature.Fingerprint != w.ritaFpr {
				t.Errorf("signer %s, want %s", r.Signature.Fingerprint, w.ritaFpr)
			}
			if tc.sig == "unknown_key" && r.Signature.KeyID == "" {
				t.Error("an unknown signer without its key id")
			}
		})
	}
}

// The package's own signed and encrypted mail, with an attachment, reads
// back: the round trip of what the worker sends and what intake reads.
func TestReadOwnMail(t *testing.T) {
	now := keysMade.Add(time.Hour)
	k := newKeys(t, now)
	d, err := ParseDecryptor(armorSecret(t, k.recEnt), nil)
	if err != nil {
		t.Fatal(err)
	}
	m := &Message{From: mail.Address{Address: "vmt@example.org"}, To: []mail.Address{{Address: "d@example.org"}}, Subject: "s",
		Date: now, MessageID: "<own@example.org>", Body: "Hello.\n",
		Attachments: []Attachment{{Name: "fix.patch", ContentType: "text/x-diff", Data: []byte("--- a\n+++ b\n")}}}
	raw, err := SignedEncrypted(m, k.signer, []*PublicKey{k.recipient})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Read(raw, d, func(string) [][]byte { return [][]byte{armorPublic(t, k.signerEnt)} }, now)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Encrypted || r.Signature.State != "valid" || r.Signature.Fingerprint != k.signer.Fingerprint ||
		!strings.Contains(r.Body, "Hello.") || len(r.Attachments) != 1 || r.Attachments[0].Name != "fix.patch" ||
		string(r.Attachments[0].Data) != "--- a\n+++ b\n" {
		t.Errorf("read back: %+v", r)
	}
}
