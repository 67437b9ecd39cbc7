// Package pgpmail builds OpenPGP-signed and encrypted mail in the PGP/MIME
// format of RFC 3156, which GnuPG and mail clients verify and decrypt.
// OpenPGP is ProtonMail/go-crypto, restricted to what GnuPG 2.2 reads:
// version 4 keys, RSA or EdDSA/ECDH on Curve25519, no AEAD.
package pgpmail

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// minRSABits refuses RSA keys that no longer protect an embargo.
const minRSABits = 2048

// PublicKey is a recipient's certificate, checked on import.
type PublicKey struct {
	Entity      *openpgp.Entity
	Fingerprint string    // upper-case hex, as GnuPG prints it
	UserIDs     []string  // as written in the key
	Expires     time.Time // when the key or its encryption subkey expires; zero for never
}

// ParsePublicKey reads one ASCII-armored OpenPGP public key and checks, at
// now, that it can be used for a notice: a version 4 key, not revoked or
// expired, with an encryption subkey of an algorithm GnuPG 2.2 reads. Each
// failure is an error that says which.
//
// A key is parsed once (see keyCache): a notice checks every recipient's
// key when it is sent and again as each of its mails is built, and
// parsing (with the self-signatures it verifies) was most of that. The
// check at now runs on every call, since a key parsed earlier may have
// expired since.
func ParsePublicKey(armored []byte, now time.Time) (*PublicKey, error) {
	parsed, err := parsedKeys.parse(armored)
	if err != nil {
		return nil, err
	}
	k := *parsed // the caller's own: check sets Expires
	k.UserIDs = append([]string(nil), parsed.UserIDs...)
	if err := k.check(now); err != nil {
		return nil, fmt.Errorf("OpenPGP public key %s: %w", k.Fingerprint, err)
	}
	return &k, nil
}

// parsePublicKey is ParsePublicKey without the check at a time.
func parsePublicKey(armored []byte) (*PublicKey, error) {
	// ReadArmoredKeyRing reads the first block and ignores the rest: a
	// second key pasted after the first would silently be dropped.
	if n := bytes.Count(armored, []byte("-----BEGIN PGP ")); n > 1 {
		return nil, fmt.Errorf("OpenPGP public key: the text holds %d armored blocks; give one key", n)
	}
	el, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(armored))
	if err != nil {
		return nil, fmt.Errorf("OpenPGP public key: not an ASCII-armored key: %w", err)
	}
	if len(el) != 1 {
		return nil, fmt.Errorf("OpenPGP public key: the block holds %d keys; give one", len(el))
	}
	e := el[0]
	if e.PrivateKey != nil {
		return nil, errors.New("OpenPGP public key: this is a secret key; give the public key only (gpg --export --armor)")
	}
	k := &PublicKey{Entity: e, Fingerprint: fmt.Sprintf("%X", e.PrimaryKey.Fingerprint)}
	for name := range e.Identities {
		k.UserIDs = append(k.UserIDs, name)
	}
	return k, nil
}

// parsedKeys is the process's cache of parsed public keys.
var parsedKeys = keyCache{max: 8192}

// keyCache holds keys parsed from armored text, by the SHA-256 of that
// text: the same bytes always parse to the same key, so an entry is never
// stale, and a key is public, so sharing it between callers discloses
// nothing. The parsed entity is shared and only read (checking and
// encrypting do not change it; TestParsePublicKeyShared runs them at once
// under the race detector). Failures are not kept. At max entries an
// arbitrary one is dropped: a notice to more recipients than that parses
// some keys twice, no worse than before.
type keyCache struct {
	mu   sync.Mutex
	max  int
	byID map[[sha256.Size]byte]*PublicKey
}

func (c *keyCache) parse(armored []byte) (*PublicKey, error) {
	id := sha256.Sum256(armored)
	c.mu.Lock()
	k := c.byID[id]
	c.mu.Unlock()
	if k != nil {
		return k, nil
	}
	k, err := parsePublicKey(armored)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil {
		c.byID = map[[sha256.Size]byte]*PublicKey{}
	}
	if len(c.byID) >= c.max {
		for old := range c.byID {
			delete(c.byID, old)
			break
		}
	}
	c.byID[id] = k
	return k, nil
}

// Check says why the key cannot receive a notice at the given time, if it
// cannot: for the registry's warnings, check at now, and at the
// disclosure date to warn of a key that expires during the embargo. It
// also refreshes Expires.
func (k *PublicKey) Check(at time.Time) error {
	if err := k.check(at); err != nil {
		return fmt.Errorf("OpenPGP public key %s: %w", k.Fingerprint, err)
	}
	return nil
}

// check says why the key cannot receive a notice at now, if it cannot.
func (k *PublicKey) check(now time.Time) error {
	e := k.Entity
	if e.PrimaryKey.Version != 4 {
		return fmt.Errorf("a version %d key; GnuPG 2.2 reads version 4 keys only", e.PrimaryKey.Version)
	}
	if e.Revoked(now) {
		return errors.New("the key is revoked")
	}
	self, _ := e.PrimarySelfSignature()
	if self == nil {
		return errors.New("the key has no valid self-signature")
	}
	if exp, ok := expiry(e.PrimaryKey, self); ok && !now.Before(exp) {
		return fmt.Errorf("the key expired on %s", exp.UTC().Format(time.DateOnly))
	}
	key, ok := e.EncryptionKey(now)
	if !ok {
		return noEncryptionKey(e, now)
	}
	if err := readableByGnuPG(key.PublicKey); err != nil {
		return fmt.Errorf("encryption subkey: %w", err)
	}
	k.Expires = earliest(expiryOr(e.PrimaryKey, self), expiryOr(key.PublicKey, key.SelfSignature))
	return nil
}

// noEncryptionKey tells an expired encryption subkey from a missing one.
func noEncryptionKey(e *openpgp.Entity, now time.Time) error {
	for _, s := range e.Subkeys {
		if s.Sig.FlagsValid && s.Sig.FlagEncryptCommunications {
			if exp, ok := expiry(s.PublicKey, s.Sig); ok && !now.Before(exp) {
				return fmt.Errorf("its encryption subkey expired on %s", exp.UTC().Format(time.DateOnly))
			}
			if s.Revoked(now) {
				return errors.New("its encryption subkey is revoked")
			}
		}
	}
	return errors.New("the key has no usable encryption subkey")
}

// readableByGnuPG accepts RSA of at least minRSABits and ECDH on
// Curve25519 (the "cv25519" of GnuPG 2.2), and refuses the newer X25519
// and post-quantum algorithms that GnuPG 2.2 cannot decrypt.
func readableByGnuPG(pk *packet.PublicKey) error {
	switch pk.PubKeyAlgo {
	case packet.PubKeyAlgoRSA, packet.PubKeyAlgoRSAEncryptOnly:
		bits, err := pk.BitLength()
		if err != nil || bits < minRSABits {
			return fmt.Errorf("RSA of %d bits; at least %d are needed", bits, minRSABits)
		}
		return nil
	case packet.PubKeyAlgoECDH:
		if c, err := pk.Curve(); err == nil && c == packet.Curve25519 {
			return nil
		}
	}
	return fmt.Errorf("public-key algorithm %d is not one GnuPG 2.2 decrypts (RSA or ECDH cv25519)", pk.PubKeyAlgo)
}

// expiry is when a key expires by its self-signature, if it does.
func expiry(pk *packet.PublicKey, sig *packet.Signature) (time.Time, bool) {
	if sig == nil || sig.KeyLifetimeSecs == nil || *sig.KeyLifetimeSecs == 0 {
		return time.Time{}, false
	}
	return pk.CreationTime.Add(time.Duration(*sig.KeyLifetimeSecs) * time.Second), true
}

func expiryOr(pk *packet.PublicKey, sig *packet.Signature) time.Time {
	t, _ := expiry(pk, sig)
	return t
}

// earliest of two expiries, where zero is never.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || !b.IsZero() && b.Before(a) {
		return b
	}
	return a
}

// Signer is the VMT's secret signing key.
type Signer struct {
	Entity      *openpgp.Entity
	Fingerprint string
}

// ParseSigner reads one ASCII-armored OpenPGP secret key, unlocks it with
// passphrase when it is protected, and checks that it can sign at now.
func ParseSigner(armored []byte, passphrase []byte, now time.Time) (*Signer, error) {
	el, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(armored))
	if err != nil {
		return nil, fmt.Errorf("OpenPGP signing key: not an ASCII-armored key: %w", err)
	}
	if len(el) != 1 || el[0].PrivateKey == nil {
		return nil, fmt.Errorf("OpenPGP signing key: want one secret key, got %d keys", len(el))
	}
	e := el[0]
	fp := fmt.Sprintf("%X", e.PrimaryKey.Fingerprint)
	if e.PrimaryKey.Version != 4 {
		return nil, fmt.Errorf("OpenPGP signing key %s: a version %d key; GnuPG 2.2 verifies version 4 only", fp, e.PrimaryKey.Version)
	}
	if err := unlock(e, passphrase); err != nil {
		return nil, fmt.Errorf("OpenPGP signing key %s: %w", fp, err)
	}
	if _, ok := e.SigningKey(now); !ok {
		return nil, fmt.Errorf("OpenPGP signing key %s: no usable signing key (expired, revoked or not for signing)", fp)
	}
	return &Signer{Entity: e, Fingerprint: fp}, nil
}

func unlock(e *openpgp.Entity, passphrase []byte) error {
	encrypted := e.PrivateKey.Encrypted
	for _, s := range e.Subkeys {
		encrypted = encrypted || s.PrivateKey != nil && s.PrivateKey.Encrypted
	}
	if !encrypted {
		return nil
	}
	if len(passphrase) == 0 {
		return errors.New("the key is protected by a passphrase and none was given")
	}
	if err := e.DecryptPrivateKeys(passphrase); err != nil {
		return fmt.Errorf("wrong passphrase: %w", err)
	}
	return nil
}

// config is the OpenPGP configuration of every message: SHA-256 (the
// micalg we announce), AES-256, no compression, and no AEAD, which GnuPG
// 2.2 cannot read.
func config(now time.Time) *packet.Config {
	return &packet.Config{
		DefaultHash:            crypto.SHA256,
		DefaultCipher:          packet.CipherAES256,
		DefaultCompressionAlgo: packet.CompressionNone,
		Time:                   func() time.Time { return now },
	}
}

// fingerprints lists keys for error messages.
func fingerprints(keys []*PublicKey) string {
	fps := make([]string, len(keys))
	for i, k := range keys {
		fps[i] = k.Fingerprint
	}
	return strings.Join(fps, ", ")
}
