package vmt

import (
	"crypto/rand"
	"strings"
	"time"
)

// AccountLink is a one-time link that lets the holder of an account with
// no password set its first one: the link printed by the first start for
// the administrator, or the one mailed with an invitation. It proves
// nothing else: the session that opens it is signed in only through the
// one sign-in (every factor the account has), and a link of an account
// that has a password already is refused, so that it is never a way
// around a password. An invitation also proves the address it was mailed
// to. Only the hash of its secret is stored, as for an API token.
type AccountLink struct {
	ID        int64              `json:"id"`
	UserID    int64              `json:"user_id"`
	Email     string             `json:"email"` // the address of the account when the link was made
	Purpose   AccountLinkPurpose `json:"purpose"`
	Hash      string             `json:"-"`
	CreatedBy int64              `json:"created_by,omitempty"` // 0: the first start
	CreatedAt time.Time          `json:"created_at"`
	ExpiresAt time.Time          `json:"expires_at"`
	UsedAt    *time.Time         `json:"used_at,omitempty"`
}

// AccountLinkPurpose says why a link was made.
type AccountLinkPurpose string

// The purposes of an account link.
const (
	// LinkFirstAdmin is printed by the first start of the service for the
	// administrator it made, who has an API token but no password.
	LinkFirstAdmin AccountLinkPurpose = "first_admin"
	// LinkInvite is mailed to a person an administrator invited: opening
	// it proves the address as well.
	LinkInvite AccountLinkPurpose = "invite"
	// LinkIntake is mailed with the reply to a report that came by mail
	// (intake.go) to a sender whose account has no password: opening it
	// proves the address the report came from, as an invitation's does.
	LinkIntake AccountLinkPurpose = "intake"
)

// AccountLinkTTL is how long a link works: a day covers an invitation
// read the next morning; a longer life is a longer window for a link that
// leaked from a mailbox or a log.
const AccountLinkTTL = 24 * time.Hour

// AccountLinkPrefix starts every link secret, so that one pasted in the
// wrong place is recognisable.
const AccountLinkPrefix = "vmtl_"

// AccountLinkPath is the page a link opens; the secret is its "token".
const AccountLinkPath = "/welcome"

// KindInvite is an outbox item holding the mail of an invitation (a
// NoticeMail, signed like every mail of the instance).
const KindInvite = "invite"

// NewAccountLinkSecret returns a fresh link secret of 160 bits.
func NewAccountLinkSecret() string {
	b := make([]byte, 20)
	rand.Read(b) // never fails (crypto/rand)
	return AccountLinkPrefix + strings.ToLower(tokenEncoding.EncodeToString(b))
}

// AccountLinkURL is the link of a secret on the site at base (the site's
// URL, or "" for a path on it).
func AccountLinkURL(base, secret string) string {
	return strings.TrimRight(base, "/") + AccountLinkPath + "?token=" + secret
}

// CheckAccountLink says why link l, opened at now for account u, does not
// let its holder set u's first password, or nil if it does. Every refusal
// is EINVALID on "token" with a message that says what to do; l nil is a
// link that was never made, u nil an account that no longer exists.
func CheckAccountLink(l *AccountLink, u *User, now time.Time) error {
	const ask = "; ask an administrator for a new one"
	switch {
	case l == nil || u == nil:
		return Invalid("token", "this link is not one we made (it may be cut short or changed)"+ask)
	case l.UsedAt != nil:
		return Invalid("token", "this link was already used on %s: sign in with your password", l.UsedAt.UTC().Format("2006-01-02 15:04 UTC"))
	case !now.Before(l.ExpiresAt):
		return Invalid("token", "this link expired on %s"+ask, l.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC"))
	case u.Disabled:
		return Invalid("token", "this account is disabled")
	case !strings.EqualFold(l.Email, u.Email):
		return Invalid("token", "this link was made for %s, which is no longer the account's address"+ask, l.Email)
	case u.PasswordHash != "":
		return Invalid("token", "this account has a password already: sign in with it")
	}
	return nil
}
