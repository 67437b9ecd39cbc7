package pgpmail

import (
	"bytes"
	"fmt"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
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
