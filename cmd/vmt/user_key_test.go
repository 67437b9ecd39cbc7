package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/jobs"
)

// publicKey is a fresh armored v4 EdDSA public key that never expires.
func publicKey(t *testing.T) string {
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Curve: packet.Curve25519, Time: func() time.Time { return time.Now().Add(-time.Hour) }}
	e, err := openpgp.NewEntity("Vera", "", "vera@example.org", cfg)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w, err := armor.Encode(&b, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Serialize(w); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return b.String()
}

// TestUserKeyCommand: a user stores their own key from standard input; a
// secret key is refused on openpgp_key with nothing stored; another user's
// key is an administrator's to set; --remove removes it.
func TestUserKeyCommand(t *testing.T) {
	s := newAPIServer(t)
	s.setDeps(func(d *app.Deps) { d.Disclosure.Keys = jobs.CheckKey })
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	admin.ok("user", "add", "--email", "vera@example.org", "--role", "vmt")
	r := admin.vmt("", "token", "new", "--user", "2", "--name", "cli")
	vera := newCLIUser(t)
	vera.ok("login", "--server", s.url, "--token", strings.TrimSpace(r.stdout))

	r = vera.vmt(string(secretKey(t)), "user", "key", "-")
	if r.code != exitUsage || !strings.Contains(r.stderr, "openpgp_key") || !strings.Contains(r.stderr, "secret key") {
		t.Errorf("secret key: exit %d, %q", r.code, r.stderr)
	}
	key := publicKey(t)
	r = vera.vmt(key, "user", "key", "-")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "Stored OpenPGP key ") || !strings.Contains(r.stdout, "for user 2 (never expires)") {
		t.Fatalf("user key: exit %d, %q, %q", r.code, r.stdout, r.stderr)
	}
	u := decodeJSON[vmt.User](t, admin.ok("user", "key", "--user", "2", "--json", "--remove"))
	if u.OpenPGPKey != "" || u.OpenPGPFingerprint != "" {
		t.Errorf("admin --remove: %+v", u)
	}
	admin.ok("user", "add", "--email", "other@example.org", "--role", "reporter")
	vera.fails(exitNotFound, "vmt user:", "user", "key", "--user", "3", "--remove")
}
