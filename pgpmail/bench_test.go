package pgpmail

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"net/mail"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/vmtproject/vmt/smtp"
	"github.com/vmtproject/vmt/smtp/smtptest"
)

const stakeholderCount = 1000

// BenchmarkNotice1000 sends one notice to 1,000 stakeholders: for each,
// sign and encrypt to its key (PGP/MIME) and deliver over one SMTP
// session with STARTTLS and AUTH to an in-process server. Beside it, in
// the same run, the gpg binary signs and encrypts the same body to each
// key, one process per recipient, as a coordinator's script would; gpg
// does no MIME and no delivery, so the comparison favours gpg.
//
//	go test -run '^$' -bench Notice1000 -benchtime 1x ./pgpmail/
func BenchmarkNotice1000(b *testing.B) {
	keys, armored := stakeholders(b)
	signerEnt := newEntity(b, "VMT", nil)
	signer, err := ParseSigner(armorSecret(b, signerEnt), nil, sent)
	if err != nil {
		b.Fatal(err)
	}
	g := gpgWithKeys(b, armorSecret(b, signerEnt), armored)
	b.ResetTimer()
	var goTime, gpgTime time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		srv := sendAll(b, signer, keys, i)
		goTime += time.Since(start)
		if n := len(srv.Messages()); n != stakeholderCount {
			b.Fatalf("%d notices delivered", n)
		}
		start = time.Now()
		g.encryptEach(b, signerEnt, keys)
		gpgTime += time.Since(start)
	}
	n := float64(b.N * stakeholderCount)
	b.ReportMetric(n/goTime.Seconds(), "go-notices/s")
	b.ReportMetric(n/gpgTime.Seconds(), "gpg-notices/s")
	b.ReportMetric(goTime.Seconds()/float64(b.N), "go-s/1000")
	b.ReportMetric(gpgTime.Seconds()/float64(b.N), "gpg-s/1000")
	b.ReportMetric(gpgTime.Seconds()/goTime.Seconds(), "speedup")
}

// stakeholders makes the keys with go-crypto (v4, EdDSA and ECDH
// Curve25519, no AEAD) and returns them parsed and armored.
func stakeholders(b *testing.B) ([]*PublicKey, []byte) {
	var all bytes.Buffer
	keys := make([]*PublicKey, stakeholderCount)
	for i := range keys {
		pub := armorPublic(b, newEntity(b, fmt.Sprintf("Stakeholder%d", i), nil))
		k, err := ParsePublicKey(pub, sent)
		if err != nil {
			b.Fatal(err)
		}
		keys[i] = k
		all.Write(pub)
		all.WriteString("\n") // go-crypto's armor ends without a newline; gpg needs one between blocks
	}
	return keys, all.Bytes()
}

func sendAll(b *testing.B, signer *Signer, keys []*PublicKey, round int) *smtptest.Server {
	srv := smtptest.Start(b, smtptest.Options{TLS: true, Username: "vmt", Password: "pw"})
	sess, err := smtp.Dial(b.Context(), smtp.Config{Addr: srv.Addr, TLS: &tls.Config{RootCAs: srv.RootCAs()}, Username: "vmt", Password: "pw"})
	if err != nil {
		b.Fatal(err)
	}
	for i, k := range keys {
		m := notice()
		m.To = []mail.Address{{Address: fmt.Sprintf("s%d@distro.example", i)}}
		m.MessageID = fmt.Sprintf("<notice-%d-%d@vmt.example.org>", round, i)
		out, err := SignedEncrypted(m, signer, []*PublicKey{k})
		if err != nil {
			b.Fatal(err)
		}
		if err := sess.Send(b.Context(), smtp.Envelope{From: "vmt@example.org", To: []string{m.To[0].Address}}, out); err != nil {
			b.Fatal(err)
		}
	}
	if err := sess.Close(); err != nil {
		b.Fatal(err)
	}
	return srv
}

// benchGPG is a GnuPG home holding the signer's secret key and every
// stakeholder's public key, imported in one run each.
type benchGPG struct{ home string }

func gpgWithKeys(b *testing.B, signerSecret, publics []byte) *benchGPG {
	home, err := os.MkdirTemp("", "gpgb")
	if err != nil {
		b.Fatal(err)
	}
	g := &benchGPG{home}
	b.Cleanup(func() {
		kill := exec.Command("gpgconf", "--kill", "gpg-agent")
		kill.Env = append(os.Environ(), "GNUPGHOME="+home)
		_ = kill.Run()
		os.RemoveAll(home)
	})
	g.run(b, signerSecret, "--import")
	g.run(b, publics, "--import")
	return g
}

func (g *benchGPG) run(b *testing.B, stdin []byte, args ...string) []byte {
	cmd := exec.Command("gpg", append([]string{"--batch", "--no-tty", "--quiet", "--pinentry-mode", "loopback", "--passphrase", ""}, args...)...)
	cmd.Env = append(os.Environ(), "GNUPGHOME="+g.home)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		b.Fatalf("gpg %v: %v\n%s", args, err, errb.String())
	}
	return out.Bytes()
}

// encryptEach signs and encrypts the body to each key with the gpg binary.
func (g *benchGPG) encryptEach(b *testing.B, signer *openpgp.Entity, keys []*PublicKey) {
	signerFpr := fmt.Sprintf("%X", signer.PrimaryKey.Fingerprint)
	for _, k := range keys {
		out := g.run(b, []byte(body), "--trust-model", "always", "--faked-system-time", "20261125T143000",
			"--local-user", signerFpr, "--recipient", k.Fingerprint, "--armor", "--sign", "--encrypt")
		if !bytes.HasPrefix(out, []byte("-----BEGIN PGP MESSAGE-----")) {
			b.Fatalf("gpg wrote %q", out[:min(len(out), 40)])
		}
	}
}
