package pgpmail

import (
	"crypto/tls"
	"fmt"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt/smtp"
	"github.com/vmtproject/vmt/smtp/smtptest"
)

// A notice goes through a real SMTP server (STARTTLS, AUTH) and what the
// server received is verified and decrypted by gpg: signed to the private
// list, signed and encrypted to each stakeholder.
func TestReceivedNoticesVerifyAndDecrypt(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{TLS: true, Username: "vmt", Password: "pw"})
	cfg := smtp.Config{Addr: srv.Addr, TLS: &tls.Config{RootCAs: srv.RootCAs()}, Username: "vmt", Password: "pw", Timeout: 5 * time.Second}
	k := newKeys(t, sent)
	g := newGnuPG(t)
	g.must(armorPublic(t, k.signerEnt), "--import")

	stakeholders := []*PublicKey{k.recipient}
	secrets := [][]byte{armorSecret(t, k.recEnt)}
	for _, name := range []string{"Cloud", "Vendor"} {
		e := newEntity(t, name, nil)
		pk, err := ParsePublicKey(armorPublic(t, e), sent)
		if err != nil {
			t.Fatal(err)
		}
		stakeholders = append(stakeholders, pk)
		secrets = append(secrets, armorSecret(t, e))
	}
	for _, s := range secrets {
		g.must(s, "--import")
	}

	sess, err := smtp.Dial(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	list := notice()
	list.To = []mail.Address{{Address: "embargo-notice@lists.example.org"}}
	signed, err := Signed(list, k.signer)
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Send(t.Context(), smtp.Envelope{From: "vmt@example.org", To: []string{"embargo-notice@lists.example.org"}}, signed); err != nil {
		t.Fatal(err)
	}
	for i, pk := range stakeholders {
		m := notice()
		m.To = []mail.Address{{Address: fmt.Sprintf("s%d@distro.example", i)}}
		m.MessageID = fmt.Sprintf("<notice-12-7-%d@vmt.example.org>", i)
		out, err := SignedEncrypted(m, k.signer, []*PublicKey{pk})
		if err != nil {
			t.Fatal(err)
		}
		if err := sess.Send(t.Context(), smtp.Envelope{From: "vmt@example.org", To: []string{m.To[0].Address}}, out); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.Close(); err != nil {
		t.Fatal(err)
	}

	got := srv.Messages()
	if len(got) != 1+len(stakeholders) {
		t.Fatalf("%d messages received", len(got))
	}
	_, parts := rawParts(t, got[0].Data)
	if r := g.run(parts[0], "--verify", g.file("list.asc", signatureOf(t, parts[1])), "-"); r.code != 0 || !r.has("GOODSIG") {
		t.Fatalf("list notice: exit %d, status %v", r.code, r.status)
	}
	checkEntity(t, parts[0], notice())
	for i, msg := range got[1:] {
		_, parts := rawParts(t, msg.Data)
		r := g.run(signatureOf(t, parts[1]), "--decrypt")
		if r.code != 0 || !r.has("DECRYPTION_OKAY") || !r.has("GOODSIG") {
			t.Fatalf("notice %d: exit %d, status %v", i, r.code, r.status)
		}
		// Each stakeholder's notice is encrypted to that stakeholder only.
		if got, want := encTo(r), subkeyID(stakeholders[i]); fmt.Sprint(got) != fmt.Sprint([]string{want}) {
			t.Errorf("notice %d encrypted to %v, want [%s]", i, got, want)
		}
		checkEntity(t, r.stdout, notice())
	}
}

// encTo lists the key IDs gpg says the message is encrypted to.
func encTo(r gpgResult) []string {
	var ids []string
	for _, l := range r.status {
		if f := strings.Fields(l); len(f) > 1 && f[0] == "ENC_TO" {
			ids = append(ids, f[1])
		}
	}
	return ids
}

// subkeyID is the key ID of the encryption subkey, as gpg prints it.
func subkeyID(k *PublicKey) string {
	key, _ := k.Entity.EncryptionKey(sent)
	return key.PublicKey.KeyIdString()
}
