package pgpmail

import (
	"strings"
	"testing"
)

// TestDetachedSignatureGnuPGVerifies: the .asc of a document verifies
// with GnuPG against the public key the signer publishes, and not against
// changed data.
func TestDetachedSignatureGnuPGVerifies(t *testing.T) {
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
	if !strings.HasPrefix(string(pub), "-----BEGIN PGP PUBLIC KEY BLOCK-----") || strings.Contains(string(pub), "PRIVATE") {
		t.Fatalf("public key:\n%s", pub)
	}
	g.must(pub, "--import")
	doc := []byte(`{"document": {"title": "KCSA-2026-001"}}` + "\n")
	sig, err := s.SignDetached(doc)
	if err != nil {
		t.Fatal(err)
	}
	r := g.must(nil, "--verify", g.file("doc.json.asc", sig), g.file("doc.json", doc))
	if !r.has("VALIDSIG " + s.KeyFingerprint()) {
		t.Errorf("gpg did not find a valid signature by %s: %v", s.KeyFingerprint(), r.status)
	}
	if bad := g.run(nil, "--verify", g.file("doc2.json.asc", sig), g.file("doc2.json", append(doc, ' '))); bad.code == 0 || bad.has("GOODSIG") {
		t.Errorf("a signature verifies changed data: %v", bad.status)
	}
}
