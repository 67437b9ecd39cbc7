package pgpmail

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
)

// SignDetached returns the ASCII-armored detached signature of data, as
// a CSAF provider publishes beside each document (its .asc): a binary
// signature with SHA-256, verifiable with gpg --verify.
func (s *Signer) SignDetached(data []byte) ([]byte, error) {
	var b bytes.Buffer
	if err := openpgp.ArmoredDetachSign(&b, s.Entity, bytes.NewReader(data), config(time.Now())); err != nil {
		return nil, fmt.Errorf("OpenPGP detached signature: %w", err)
	}
	return b.Bytes(), nil
}

// ClearSign returns text as an OpenPGP cleartext-signed message (RFC 9580
// §7), as RFC 9116 §2.3 signs a security.txt: the text stays readable,
// dash-escaped where a line starts with "-", and gpg --verify checks it.
// The signature is by the key's signing key (a subkey when it has one),
// with SHA-256; as the format says, spaces at a line's end are not signed.
func (s *Signer) ClearSign(text []byte) ([]byte, error) {
	now := time.Now()
	k, ok := s.Entity.SigningKey(now)
	if !ok || k.PrivateKey == nil {
		return nil, errors.New("OpenPGP cleartext signature: the key has no usable signing key")
	}
	var b bytes.Buffer
	w, err := clearsign.Encode(&b, k.PrivateKey, config(now))
	if err != nil {
		return nil, fmt.Errorf("OpenPGP cleartext signature: %w", err)
	}
	if _, err := w.Write(text); err != nil {
		return nil, fmt.Errorf("OpenPGP cleartext signature: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("OpenPGP cleartext signature: %w", err)
	}
	if !bytes.HasSuffix(b.Bytes(), []byte("\n")) {
		b.WriteByte('\n') // a text file ends with a newline
	}
	return b.Bytes(), nil
}

// KeyFingerprint is the signing key's fingerprint, in capitals.
func (s *Signer) KeyFingerprint() string { return s.Fingerprint }

// ArmoredPublicKey returns the public part of the signing key, armored,
// for those who verify the signatures.
func (s *Signer) ArmoredPublicKey() ([]byte, error) {
	var b bytes.Buffer
	w, err := armor.Encode(&b, openpgp.PublicKeyType, nil)
	if err != nil {
		return nil, fmt.Errorf("OpenPGP public key: %w", err)
	}
	if err := s.Entity.Serialize(w); err != nil {
		return nil, fmt.Errorf("OpenPGP public key: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("OpenPGP public key: %w", err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
