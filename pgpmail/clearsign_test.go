package pgpmail

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
)

// TestClearSignGnuPGVerifies: a cleartext-signed text (a security.txt)
// verifies with GnuPG against the signer's public key, reads back as the
// text given (a line starting with "-" dash-escaped and restored), and a
// changed text does not verify.
func TestClearSignGnuPGVerifies(t *testing.T) {
	t.Parallel()
	g := newGnuPG(t)
	s, err := ParseSigner(armorSecret(t, newEntity(t, "VMT", nil)), nil, sent)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := s.ArmoredPublicKey()
	if err != nil {
		t.Fatal(err)
	}
	g.must(pub, "--import")
	text := []byte("Contact: mailto:vmt@example.org\n- a line that looks like armor\nExpires: 2027-12-03T00:00:00Z\n")
	signed, err := s.ClearSign(text)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(signed, []byte("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n")) ||
		!bytes.HasSuffix(signed, []byte("\n-----END PGP SIGNATURE-----\n")) || bytes.HasSuffix(signed, []byte("\n\n")) {
		t.Fatalf("not a cleartext-signed message:\n%s", signed)
	}
	if !bytes.Contains(signed, []byte("\n- - a line that looks like armor\n")) {
		t.Errorf("the line starting with a dash is not dash-escaped:\n%s", signed)
	}
	r := g.must(nil, "--verify", g.file("security.txt", signed))
	if !r.has("VALIDSIG") || !strings.Contains(r.line("VALIDSIG"), s.KeyFingerprint()) {
		t.Errorf("gpg did not find a valid signature by %s: %v", s.KeyFingerprint(), r.status)
	}
	b, _ := clearsign.Decode(signed)
	if b == nil {
		t.Fatal("clearsign.Decode read no block")
	}
	if got := string(b.Plaintext); got != string(text) {
		t.Errorf("the signed text reads back as %q, want %q", got, text)
	}
	if _, err := b.VerifySignature(openpgp.EntityList{s.Entity}, nil); err != nil {
		t.Errorf("go-crypto does not verify it: %v", err)
	}
	changed := bytes.Replace(signed, []byte("vmt@example.org"), []byte("vmt@evil.example"), 1)
	if bad := g.run(nil, "--verify", g.file("changed.txt", changed)); bad.code == 0 || bad.has("GOODSIG") {
		t.Errorf("a changed text verifies: %v", bad.status)
	}
}
