package pgpmail

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// TestParsePublicKeyShared checks the key cache: the same text is parsed
// once, yet checked at every call's time (a key cached while valid is
// refused once expired), each caller gets its own PublicKey, and mails
// built at once from the shared entity by several goroutines (run it with
// -race) each decrypt and verify in GnuPG.
func TestParsePublicKeyShared(t *testing.T) {
	e := newEntity(t, "Soon", func(c *packet.Config) { c.KeyLifetimeSecs = 30 * 86400 })
	armored := armorPublic(t, e)
	k1, err := ParsePublicKey(armored, keysMade.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	k2, err := ParsePublicKey(armored, keysMade.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if k1 == k2 || k1.Entity != k2.Entity {
		t.Errorf("two parses: keys %p %p, entities %p %p; want two keys of one parsed entity", k1, k2, k1.Entity, k2.Entity)
	}
	_, err = ParsePublicKey(armored, keysMade.Add(31*24*time.Hour))
	if err == nil || !strings.Contains(err.Error(), "the key expired on") {
		t.Errorf("the cached key after its expiry: %v, want refused as expired", err)
	}

	k := newKeys(t, sent)
	recipient := armorPublic(t, k.recEnt)
	const n = 6
	outs := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r, err := ParsePublicKey(recipient, sent)
			if err != nil {
				t.Error(err)
				return
			}
			if outs[i], err = SignedEncrypted(notice(), k.signer, []*PublicKey{r}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	g := newGnuPG(t)
	g.must(armorSecret(t, k.recEnt), "--import")
	g.must(armorPublic(t, k.signerEnt), "--import")
	for i, out := range outs {
		if out == nil {
			t.Fatalf("mail %d was not built", i)
		}
		_, parts := rawParts(t, out)
		r := g.run(signatureOf(t, parts[1]), "--decrypt")
		if r.code != 0 || !r.has("DECRYPTION_OKAY") || !r.has("GOODSIG") || !strings.Contains(r.line("VALIDSIG"), k.signer.Fingerprint) {
			t.Fatalf("mail %d: gpg --decrypt: exit %d, status %v\n%s", i, r.code, r.status, r.stderr)
		}
	}
}
