package vmt

import (
	"crypto/rand"
	"strings"
	"time"
)

// EmailProof is a link mailed to an account's address: opening it, signed
// in as that account, proves that the owner of the account reads the
// address (User.EmailVerifiedAt). Only the hash of its secret is stored,
// as for an API token; a link is good once, for EmailProofTTL, for the
// address it was sent to.
type EmailProof struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Email     string     `json:"email"` // the address the link was sent to
	Hash      string     `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	UsedAt    *time.Time `json:"used_at,omitempty"`
}

// EmailProofTTL is how long a link works. A day covers a mail that waits
// in a queue or is read the next morning; a longer life is a longer
// window for a link that leaked from a mailbox.
const EmailProofTTL = 24 * time.Hour

// EmailProofResendAfter is how long an account waits between two links.
// Each one is a mail to the address, which may not be the account
// holder's: without a limit the resend button would be a way to flood
// someone else's mailbox.
const EmailProofResendAfter = time.Minute

// EmailProofPrefix starts every link secret, so that one pasted in the
// wrong place is recognisable.
const EmailProofPrefix = "vmtp_"

// KindEmailProof is an outbox item holding the mail of an EmailProof (a
// NoticeMail, signed like every mail of the instance).
const KindEmailProof = "email_proof"

// EmailProofPath is the page a link opens; the secret is its "token".
const EmailProofPath = "/account/email-proof"

// NewEmailProofSecret returns a fresh link secret of 160 bits.
func NewEmailProofSecret() string {
	b := make([]byte, 20)
	rand.Read(b) // never fails (crypto/rand)
	return EmailProofPrefix + strings.ToLower(tokenEncoding.EncodeToString(b))
}

// CheckEmailProof says why proof p, opened by account u at now, does not
// prove u's address, or nil if it does. Every refusal is EINVALID on the
// field "token" with a message that tells the holder what to do; p nil is
// a link that was never made (mistyped or tampered with).
func CheckEmailProof(p *EmailProof, u *User, now time.Time) error {
	const again = "; ask for a new link on your account page"
	switch {
	case p == nil:
		return Invalid("token", "this link is not one we sent (it may be cut short or changed)"+again)
	case p.UserID != u.ID:
		return Invalid("token", "this link was sent for another account: sign in as the account it was sent to")
	case !strings.EqualFold(p.Email, u.Email):
		return Invalid("token", "this link was sent to %s, which is no longer your account's address"+again, p.Email)
	case p.UsedAt != nil:
		return Invalid("token", "this link was already used on %s", p.UsedAt.UTC().Format("2006-01-02 15:04 UTC"))
	case !now.Before(p.ExpiresAt):
		return Invalid("token", "this link expired on %s"+again, p.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	return nil
}

// EmailProofLink is the link of a proof secret on the site at base (the
// site's URL, or "" for a path on it).
func EmailProofLink(base, secret string) string {
	return strings.TrimRight(base, "/") + EmailProofPath + "?token=" + secret
}
