package vmt

import "strings"

// setOpenPGPKey checks an armored key with the KeyChecker (the checks a
// stakeholder's key gets: one armored public key, usable for encryption,
// not expired, within the size limit) and sets it on u; "" removes it.
// A refusal names the field openpgp_key and leaves u as it was.
func (s *Service) setOpenPGPKey(u *User, armored string) error {
	armored = strings.TrimSpace(armored)
	if armored == "" {
		u.OpenPGPKey, u.OpenPGPFingerprint, u.OpenPGPKeyExpires = "", "", nil
		return nil
	}
	if len(armored) > MaxPublicKeyBytes {
		return &Error{Code: ETOOLARGE, Field: "openpgp_key", Message: "is larger than the limit of " + kib(MaxPublicKeyBytes)}
	}
	// ParsePublicKey would also read a binary key; the form that carries
	// it is text, so only an armored one is useful.
	if !strings.HasPrefix(armored, "-----BEGIN PGP PUBLIC KEY BLOCK-----") {
		return Invalid("openpgp_key", "give an ASCII-armored public key (gpg --export --armor YOUR-ID)")
	}
	if s.Disclosure.Keys == nil {
		return Invalid("openpgp_key", "this instance cannot check OpenPGP keys")
	}
	info, err := s.Disclosure.Keys(armored, s.now())
	if err != nil {
		return Invalid("openpgp_key", "%v", err)
	}
	u.OpenPGPKey, u.OpenPGPFingerprint, u.OpenPGPKeyExpires = armored, info.Fingerprint, info.Expires
	return nil
}

// keyless is u as the audit log keeps it: the fingerprint and expiry say
// which key was set; the armor itself would only bloat every entry.
func keyless(u *User) *User {
	c := *u
	c.OpenPGPKey = ""
	return &c
}
