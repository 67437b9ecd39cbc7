package vmt

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// User is an account.
type User struct {
	ID           int64     `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"-"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
	// OpenPGPKey is the user's armored public key, checked when set, so
	// that the CVE request form of an embargoed report carries it without
	// the coordinator pasting it each time. Fingerprint and expiry are
	// those the KeyChecker read.
	OpenPGPKey         string     `json:"openpgp_key,omitempty"`
	OpenPGPFingerprint string     `json:"openpgp_fingerprint,omitempty"`
	OpenPGPKeyExpires  *time.Time `json:"openpgp_key_expires,omitempty"`
	// EmailVerifiedAt is when the owner proved Email by opening the link
	// mailed to it (email_proof.go); nil while unproven. Until then the
	// address carries no rights: see HoldsAddress in policy.go.
	EmailVerifiedAt *time.Time `json:"email_verified_at,omitempty"`
}

// Limits on user fields.
const (
	MaxEmailLen    = 254
	MaxNameLen     = 200
	MinPasswordLen = 12
	MaxPasswordLen = 1024
)

// NormalizeEmail checks an address and returns it in the form it is stored:
// the bare address, lower-cased.
func NormalizeEmail(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Invalid(field, "is required")
	}
	if len(s) > MaxEmailLen {
		return "", Invalid(field, "is longer than %d bytes", MaxEmailLen)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", Invalid(field, "%q is not an email address", s)
	}
	return strings.ToLower(a.Address), nil
}

// CheckPassword returns an EINVALID error if pw is too short or too long.
func CheckPassword(field, pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return Invalid(field, "must have at least %d characters", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return Invalid(field, "is longer than %d bytes", MaxPasswordLen)
	}
	return nil
}

// PasswordHasher hashes and checks passwords. It is injected so that the
// domain stays free of outside dependencies.
type PasswordHasher interface {
	// Hash returns an encoded hash of pw with its parameters and salt.
	Hash(pw string) (string, error)
	// Verify reports whether pw matches the encoded hash.
	Verify(hash, pw string) (bool, error)
}

// Token is an API token. Only its hash is stored; the secret is shown once,
// when the token is made.
type Token struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	Name      string    `json:"name"`
	Hash      string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// TokenPrefix starts every secret so that one found in a log or a commit is
// recognisable.
const TokenPrefix = "vmt_"

// MaxTokenNameLen bounds a token's name.
const MaxTokenNameLen = 100

var tokenEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTokenSecret returns a fresh secret of 160 bits.
func NewTokenSecret() string {
	b := make([]byte, 20)
	rand.Read(b) // never fails (crypto/rand)
	return TokenPrefix + strings.ToLower(tokenEncoding.EncodeToString(b))
}

// HashToken returns the stored form of a token secret. The secret has 160
// bits of entropy, so a single SHA-256 is enough and lets the server look a
// token up by its hash.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// UserInput creates a user.
type UserInput struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	Password string `json:"password"` // may be empty: the user then signs in with tokens only
	// EmailProven: the administrator vouches for the address, which then
	// carries rights at once (HoldsAddress); otherwise the user proves it
	// with a link from their account page (app/email_proof.go).
	EmailProven bool `json:"email_proven"`
}

// UserPatch changes a user; nil fields stay as they are.
type UserPatch struct {
	Name     *string `json:"name"`
	Role     *Role   `json:"role"`
	Disabled *bool   `json:"disabled"`
	Password *string `json:"password"`
	// CurrentPassword is required when users change their own password, so
	// that a stolen API token does not become a stolen web login.
	CurrentPassword *string `json:"current_password"`
	// OpenPGPKey is an armored public key; "" removes the stored one.
	OpenPGPKey *string `json:"openpgp_key"`
}

// NewToken is a token just made, with its secret, shown this once.
type NewToken struct {
	Token
	Secret string `json:"secret"`
}
