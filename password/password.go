// Package password hashes passwords with argon2id, in the PHC string format
// that other tools read: $argon2id$v=19$m=...,t=...,p=...$salt$hash.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/vmtproject/vmt"
)

// Params are the argon2id cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	SaltLen int
	KeyLen  uint32
}

// Default follows the OWASP recommendation for argon2id (19 MiB, two
// passes, one thread): about 20 ms a hash on a small server.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Hasher implements vmt.PasswordHasher.
type Hasher struct{ P Params }

var _ vmt.PasswordHasher = Hasher{}

var b64 = base64.RawStdEncoding

// Hash returns the PHC string of pw with a fresh salt.
func (h Hasher) Hash(pw string) (string, error) {
	salt := make([]byte, h.P.SaltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, h.P.Time, h.P.Memory, h.P.Threads, h.P.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, h.P.Memory, h.P.Time, h.P.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether pw matches the PHC string enc, using the
// parameters stored in enc, so that raising the cost later keeps old hashes
// valid.
func (h Hasher) Verify(enc, pw string) (bool, error) {
	p, salt, key, err := decode(enc)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

var errFormat = errors.New("password: not an argon2id PHC string")

func decode(enc string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(enc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, errFormat
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, fmt.Errorf("password: unsupported argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("password: bad parameters %q: %w", parts[3], err)
	}
	// Refuse parameters that would let a stored row make us spend unbounded
	// memory or time.
	if p.Memory == 0 || p.Memory > 1<<20 || p.Time == 0 || p.Time > 16 || p.Threads == 0 {
		return p, nil, nil, fmt.Errorf("password: parameters out of range %q", parts[3])
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, errFormat
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, errFormat
	}
	return p, salt, key, nil
}
