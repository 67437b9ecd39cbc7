package app

import (
	"context"
	"strings"

	"github.com/vmtproject/vmt"
)

// setOpenPGPKey checks an armored key with the KeyChecker (the checks a
// stakeholder's key gets: one armored public key, usable for encryption,
// not expired, within the size limit) and sets it on u; "" removes it.
// A refusal names the field openpgp_key and leaves u as it was.
func (s *Service) setOpenPGPKey(u *vmt.User, armored string) error {
	armored = strings.TrimSpace(armored)
	if armored == "" {
		u.OpenPGPKey, u.OpenPGPFingerprint, u.OpenPGPKeyExpires = "", "", nil
		return nil
	}
	if len(armored) > vmt.MaxPublicKeyBytes {
		return &vmt.Error{Code: vmt.ETOOLARGE, Field: "openpgp_key", Message: "is larger than the limit of " + kib(vmt.MaxPublicKeyBytes)}
	}
	// The form that carries it is text, so only an armored key is useful;
	// any other armored block is left to the KeyChecker, which says what
	// it is (a secret key, say).
	if !strings.HasPrefix(armored, "-----BEGIN PGP ") {
		return vmt.Invalid("openpgp_key", "give an ASCII-armored public key (gpg --export --armor YOUR-ID)")
	}
	if s.deps.Disclosure.Keys == nil {
		return vmt.Invalid("openpgp_key", "this instance cannot check OpenPGP keys")
	}
	info, err := s.deps.Disclosure.Keys(armored, s.now())
	if err != nil {
		return vmt.Invalid("openpgp_key", "%v", err)
	}
	u.OpenPGPKey, u.OpenPGPFingerprint, u.OpenPGPKeyExpires = armored, info.Fingerprint, info.Expires
	return nil
}

// keyless is u as the audit log keeps it: the fingerprint and expiry say
// which key was set; the armor itself would only bloat every entry.
func keyless(u *vmt.User) *vmt.User {
	c := *u
	c.OpenPGPKey = ""
	return &c
}

// CVERequester returns who the "Request a CVE ID" form of report id is
// sent as, with the key it carries: the report's coordinator when they
// stored a key that can still be used, else the acting user when theirs
// can (a report not yet assigned, or a coordinator without a key), so
// that the form's address and key are one person's. nil when neither has
// a usable key: the form then asks for one. The report's VMT only; the
// user returned holds nothing but address, name and key.
func (s *Service) CVERequester(ctx context.Context, a vmt.Actor, reportID int64) (*vmt.User, error) {
	var out *vmt.User
	err := s.deps.Store.View(ctx, func(tx vmt.Tx) error {
		r, _, err := s.loadReport(tx, a, reportID, vmt.ActionCoordinate)
		if err != nil {
			return err
		}
		ids := []int64{a.ID()}
		if r.CoordinatorID != 0 && r.CoordinatorID != a.ID() {
			ids = []int64{r.CoordinatorID, a.ID()}
		}
		for _, id := range ids {
			u, err := tx.User(id)
			if err != nil {
				return err
			}
			if s.usableKey(u) {
				out = &vmt.User{ID: u.ID, Email: u.Email, Name: u.Name, OpenPGPKey: u.OpenPGPKey,
					OpenPGPFingerprint: u.OpenPGPFingerprint, OpenPGPKeyExpires: u.OpenPGPKeyExpires}
				return nil
			}
		}
		return nil
	})
	return out, err
}

// usableKey reports whether u's stored key passes the checks now: one
// valid when saved may have expired since.
func (s *Service) usableKey(u *vmt.User) bool {
	if u.OpenPGPKey == "" || s.deps.Disclosure.Keys == nil {
		return false
	}
	_, err := s.deps.Disclosure.Keys(u.OpenPGPKey, s.now())
	return err == nil
}
