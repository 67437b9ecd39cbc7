package pgpmail

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// gnupg is a real GnuPG with a keyring of its own.
type gnupg struct {
	t    *testing.T
	home string
}

func newGnuPG(t *testing.T) *gnupg {
	t.Helper()
	if _, err := exec.LookPath("gpg"); err != nil {
		t.Fatal("gpg is needed (Debian package gnupg; .ci/run installs it)")
	}
	home, err := os.MkdirTemp("", "gpg") // short: the agent's socket path is limited
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(home, 0o700); err != nil {
		t.Fatal(err)
	}
	g := &gnupg{t: t, home: home}
	t.Cleanup(func() {
		kill := exec.Command("gpgconf", "--kill", "gpg-agent")
		kill.Env = append(os.Environ(), "GNUPGHOME="+home)
		_ = kill.Run()
		os.RemoveAll(home)
	})
	return g
}

// gpgResult is what one gpg run said: its status lines (--status-fd),
// its output and its exit code.
type gpgResult struct {
	status []string
	stdout []byte
	stderr string
	code   int
}

// has reports whether a status line starts with keyword (and the words
// after it, if given).
func (r gpgResult) has(keyword string) bool {
	for _, l := range r.status {
		if l == keyword || strings.HasPrefix(l, keyword+" ") {
			return true
		}
	}
	return false
}

func (r gpgResult) line(keyword string) string {
	for _, l := range r.status {
		if strings.HasPrefix(l, keyword+" ") {
			return l
		}
	}
	return ""
}

// run runs gpg in batch mode with stdin and returns what it said.
func (g *gnupg) run(stdin []byte, args ...string) gpgResult {
	g.t.Helper()
	cmd := exec.Command("gpg", append([]string{"--batch", "--no-tty", "--status-fd", "3", "--pinentry-mode", "loopback", "--passphrase", ""}, args...)...)
	cmd.Env = append(os.Environ(), "GNUPGHOME="+g.home)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	sr, sw, err := os.Pipe()
	if err != nil {
		g.t.Fatal(err)
	}
	cmd.ExtraFiles = []*os.File{sw}
	var status bytes.Buffer
	done := make(chan struct{})
	go func() { status.ReadFrom(sr); close(done) }()
	err = cmd.Run()
	sw.Close()
	<-done
	sr.Close()
	r := gpgResult{stdout: out.Bytes(), stderr: errb.String(), code: cmd.ProcessState.ExitCode()}
	if err != nil && r.code == -1 {
		g.t.Fatalf("gpg %v: %v", args, err)
	}
	for _, l := range strings.Split(status.String(), "\n") {
		if s, ok := strings.CutPrefix(l, "[GNUPG:] "); ok {
			r.status = append(r.status, s)
		}
	}
	return r
}

// must runs gpg and fails the test unless it exits 0.
func (g *gnupg) must(stdin []byte, args ...string) gpgResult {
	g.t.Helper()
	r := g.run(stdin, args...)
	if r.code != 0 {
		g.t.Fatalf("gpg %v: exit %d\n%s", args, r.code, r.stderr)
	}
	return r
}

func (g *gnupg) file(name string, data []byte) string {
	g.t.Helper()
	p := filepath.Join(g.home, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		g.t.Fatal(err)
	}
	return p
}

// keysMade is when the test keys were made: before any message is sent.
var keysMade = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// newEntity makes a v4 key as GnuPG 2.2 reads it: EdDSA with an ECDH
// Curve25519 subkey (or RSA), no AEAD.
func newEntity(t testing.TB, name string, change func(*packet.Config)) *openpgp.Entity {
	t.Helper()
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Curve: packet.Curve25519, Time: func() time.Time { return keysMade }}
	if change != nil {
		change(cfg)
	}
	e, err := openpgp.NewEntity(name, "", strings.ToLower(name)+"@example.org", cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func armorPublic(t testing.TB, e *openpgp.Entity) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := armor.Encode(&b, openpgp.PublicKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Serialize(w); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return b.Bytes()
}

func armorSecret(t testing.TB, e *openpgp.Entity) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := armor.Encode(&b, openpgp.PrivateKeyType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.SerializePrivateWithoutSigning(w, nil); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return b.Bytes()
}

// keys is the VMT's signer and one stakeholder, made by go-crypto.
type keys struct {
	signer    *Signer
	signerEnt *openpgp.Entity
	recipient *PublicKey
	recEnt    *openpgp.Entity
}

func newKeys(t *testing.T, now time.Time) keys {
	t.Helper()
	se := newEntity(t, "VMT", nil)
	re := newEntity(t, "Distro", nil)
	s, err := ParseSigner(armorSecret(t, se), nil, now)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParsePublicKey(armorPublic(t, re), now)
	if err != nil {
		t.Fatal(err)
	}
	return keys{s, se, r, re}
}
