package pgpmail

import (
	"bytes"
	"crypto"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/ProtonMail/go-crypto/openpgp/s2k"
)

// gpgKey makes a key with gpg itself and returns its armored public key.
// algo is the primary key's, sub the encryption subkey's ("" for none);
// extra arguments such as --faked-system-time go first.
func (g *gnupg) key(uid, algo, sub, expire string, extra ...string) []byte {
	g.t.Helper()
	r := g.must(nil, append(extra, "--quick-gen-key", uid, algo, "sign", expire)...)
	fpr := strings.Fields(r.line("KEY_CREATED"))[2]
	if sub != "" {
		g.must(nil, append(extra, "--quick-add-key", fpr, sub, "encr", expire)...)
	}
	return g.must(nil, "--armor", "--export", fpr).stdout
}

// Keys made by GnuPG 2.2 itself are read, and what is encrypted to them
// GnuPG decrypts.
func TestGnuPGKeys(t *testing.T) {
	t.Parallel()
	g := newGnuPG(t)
	signer := newEntity(t, "VMT", nil)
	s, err := ParseSigner(armorSecret(t, signer), nil, sent)
	if err != nil {
		t.Fatal(err)
	}
	g.must(armorPublic(t, signer), "--import")
	// The RSA key in testdata was made by gpg 2.2.40 the same way; making
	// one here takes seconds.
	g.must(readFile(t, "testdata/rsa-distro.sec.asc"), "--import")
	for _, c := range []struct{ name, uid string }{
		{"ed25519", "Ed <ed@distro.example>"},
		{"rsa2048", "Rsa Distro <rsa@distro.example>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			pub := readFile(t, "testdata/rsa-distro.pub.asc")
			if c.name == "ed25519" {
				pub = g.key(c.uid, "ed25519", "cv25519", "never", "--faked-system-time", "20260101T000000")
			}
			k, err := ParsePublicKey(pub, sent)
			if err != nil {
				t.Fatal(err)
			}
			if len(k.Fingerprint) != 40 || len(k.UserIDs) != 1 || k.UserIDs[0] != c.uid || !k.Expires.IsZero() {
				t.Errorf("key %s %v expires %v", k.Fingerprint, k.UserIDs, k.Expires)
			}
			out, err := SignedEncrypted(notice(), s, []*PublicKey{k})
			if err != nil {
				t.Fatal(err)
			}
			_, parts := rawParts(t, out)
			r := g.run(signatureOf(t, parts[1]), "--decrypt")
			if r.code != 0 || !r.has("DECRYPTION_OKAY") || !r.has("GOODSIG") {
				t.Fatalf("exit %d, status %v\n%s", r.code, r.status, r.stderr)
			}
			checkEntity(t, r.stdout, notice())
		})
	}
}

func TestParsePublicKeyRefuses(t *testing.T) {
	t.Parallel()
	g := newGnuPG(t)
	past := []string{"--faked-system-time", "20200101T000000"}
	expired := g.key("Old <old@distro.example>", "ed25519", "cv25519", "1d", past...)
	subExpired := func() []byte {
		r := g.must(nil, "--faked-system-time", "20191201T000000", "--quick-gen-key", "Sub <sub@distro.example>", "ed25519", "sign", "never")
		fpr := strings.Fields(r.line("KEY_CREATED"))[2]
		g.must(nil, append(past, "--quick-add-key", fpr, "cv25519", "encr", "1d")...)
		return g.must(nil, "--armor", "--export", fpr).stdout
	}()
	signOnly := g.key("Sign <sign@distro.example>", "ed25519", "", "never", past...)
	revoked := newEntity(t, "Revoked", nil)
	if err := revoked.RevokeKey(packet.KeyCompromised, "lost", &packet.Config{Time: func() time.Time { return keysMade.Add(time.Hour) }}); err != nil {
		t.Fatal(err)
	}
	v6 := newEntity(t, "Six", func(c *packet.Config) { c.V6Keys = true; c.Algorithm = packet.PubKeyAlgoEd25519 })
	x25519 := newEntity(t, "New", func(c *packet.Config) { c.Algorithm = packet.PubKeyAlgoEd25519 })
	two := append(armorPublic(t, newEntity(t, "A", nil)), armorPublic(t, newEntity(t, "B", nil))...)
	tests := []struct {
		name string
		key  []byte
		want string
	}{
		{"expired key", expired, "the key expired on 2020-01-02"},
		{"expired encryption subkey", subExpired, "its encryption subkey expired on 2020-01-02"},
		{"no encryption subkey", signOnly, "the key has no usable encryption subkey"},
		{"revoked", armorPublic(t, revoked), "the key is revoked"},
		{"version 6", armorPublic(t, v6), "a version 6 key; GnuPG 2.2 reads version 4 keys only"},
		{"X25519 subkey", armorPublic(t, x25519), "public-key algorithm 25 is not one GnuPG 2.2 decrypts"},
		{"secret key", armorSecret(t, newEntity(t, "S", nil)), "this is a secret key"},
		{"two blocks", two, "the text holds 2 armored blocks"},
		{"two keys in a block", twoInOne(t), "the block holds 2 keys"},
		{"not a key", []byte("hello"), "not an ASCII-armored key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePublicKey(tt.key, sent)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestKeyExpiresBeforeSending(t *testing.T) {
	e := newEntity(t, "Soon", func(c *packet.Config) { c.KeyLifetimeSecs = 30 * 86400 })
	k, err := ParsePublicKey(armorPublic(t, e), keysMade.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if want := keysMade.Add(30 * 24 * time.Hour); !k.Expires.Equal(want) {
		t.Errorf("Expires = %v, want %v", k.Expires, want)
	}
	if err := k.Check(keysMade.Add(29 * 24 * time.Hour)); err != nil {
		t.Errorf("Check a day before expiry: %v", err)
	}
	if err := k.Check(keysMade.Add(30 * 24 * time.Hour)); err == nil || !strings.Contains(err.Error(), "OpenPGP public key "+k.Fingerprint+": the key expired on 2026-02-04") {
		t.Errorf("Check at expiry: %v", err)
	}
	s, err := ParseSigner(armorSecret(t, newEntity(t, "VMT", nil)), nil, sent)
	if err != nil {
		t.Fatal(err)
	}
	// Imported while valid, expired by the time the notice goes out.
	_, err = SignedEncrypted(notice(), s, []*PublicKey{k})
	if err == nil || !strings.Contains(err.Error(), "recipient key "+k.Fingerprint+": the key expired on 2026-02-04") {
		t.Fatalf("error = %v", err)
	}
}

func TestParseSigner(t *testing.T) {
	e := newEntity(t, "VMT", nil)
	// Iterated and salted S2K, which GnuPG 2.2 reads (not Argon2).
	s2kc := &packet.Config{S2KConfig: &s2k.Config{S2KMode: s2k.IteratedSaltedS2K, Hash: crypto.SHA256}}
	if err := e.EncryptPrivateKeys([]byte("correct horse"), s2kc); err != nil {
		t.Fatal(err)
	}
	locked := armorSecret(t, e)
	if _, err := ParseSigner(locked, nil, sent); err == nil || !strings.Contains(err.Error(), "protected by a passphrase and none was given") {
		t.Errorf("no passphrase: %v", err)
	}
	if _, err := ParseSigner(locked, []byte("wrong"), sent); err == nil || !strings.Contains(err.Error(), "wrong passphrase") {
		t.Errorf("wrong passphrase: %v", err)
	}
	s, err := ParseSigner(locked, []byte("correct horse"), sent)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Signed(notice(), s); err != nil {
		t.Errorf("signing with the unlocked key: %v", err)
	}
	if _, err := ParseSigner(armorPublic(t, e), nil, sent); err == nil || !strings.Contains(err.Error(), "want one secret key") {
		t.Errorf("public key as signer: %v", err)
	}
	if _, err := ParseSigner(bytes.Repeat([]byte("x"), 10), nil, sent); err == nil {
		t.Error("garbage accepted as a signer")
	}
}

func twoInOne(t *testing.T) []byte {
	var b bytes.Buffer
	w, err := armor.Encode(&b, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"A", "B"} {
		if err := newEntity(t, name, nil).Serialize(w); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	return b.Bytes()
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A recipient key that advertises AEAD (SEIPDv2) still gets a message
// GnuPG 2.2 decrypts: the configuration never turns AEAD on.
func TestAEADKeyGetsClassicEncryption(t *testing.T) {
	e := newEntity(t, "Modern", func(c *packet.Config) { c.AEADConfig = &packet.AEADConfig{} })
	if self, _ := e.PrimarySelfSignature(); !self.SEIPDv2 {
		t.Fatal("the test key does not advertise SEIPDv2")
	}
	k, err := ParsePublicKey(armorPublic(t, e), sent)
	if err != nil {
		t.Fatal(err)
	}
	kk := newKeys(t, sent)
	out, err := SignedEncrypted(notice(), kk.signer, []*PublicKey{k})
	if err != nil {
		t.Fatal(err)
	}
	g := newGnuPG(t)
	g.must(armorSecret(t, e), "--import")
	g.must(armorPublic(t, kk.signerEnt), "--import")
	_, parts := rawParts(t, out)
	r := g.run(signatureOf(t, parts[1]), "--decrypt")
	if r.code != 0 || !r.has("DECRYPTION_OKAY") || !r.has("GOODSIG") {
		t.Fatalf("exit %d, status %v\n%s", r.code, r.status, r.stderr)
	}
	// DECRYPTION_INFO <mdc> <cipher> <aead>: 2 is the MDC of SEIPDv1, 0 no
	// AEAD. The cipher is the key's preference (this one lists AES-128, 7).
	if got := r.line("DECRYPTION_INFO"); got != "DECRYPTION_INFO 2 7 0" {
		t.Errorf("%q, want SEIPDv1 (MDC) and no AEAD", got)
	}
	checkEntity(t, r.stdout, notice())
}
