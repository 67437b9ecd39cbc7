package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/smtp/smtptest"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// `vmt serve` with a signing key and a relay: a coordinator sends the
// notice through the API, the worker delivers it to the relay, and at the
// disclosure date the worker makes the report public by itself; SIGTERM
// stops it cleanly.
func TestServeNoticeAndDisclosure(t *testing.T) {
	bin := buildVMT(t)
	dsn := sqldbtest.DSN(t, sqldb.Postgres)
	relay := smtptest.Start(t, smtptest.Options{})
	key := filepath.Join(t.TempDir(), "vmt.sec.asc")
	if err := os.WriteFile(key, secretKey(t), 0o600); err != nil {
		t.Fatal(err)
	}
	token := "vmt_" + strings.Repeat("n", 32)
	s := startServe(t, bin, []string{"VMT_ADMIN_TOKEN=" + token, "VMT_DATABASE=" + dsn},
		"--data", filepath.Join(t.TempDir(), "d"), "--signing-key", key, "--smtp-addr", relay.Addr,
		"--smtp-security", "plain", "--mail-from", "Kata VMT <vmt@example.org>", "--worker-poll", "50ms")

	callAs := func(token, method, path, body string, want int) map[string]any {
		t.Helper()
		req, _ := http.NewRequest(method, s.url+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, b)
		}
		var out map[string]any
		_ = json.Unmarshal(b, &out)
		return out
	}
	call := func(method, path, body string, want int) map[string]any {
		t.Helper()
		return callAs(token, method, path, body, want)
	}
	// The signing key and --mail-from reach security.txt: signed, it
	// names the VMT's address and the key, which is served. (Its URLs
	// are --site-url's, here the default made from --listen.)
	for path, want := range map[string]string{
		"/.well-known/security.txt": "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n",
		"/keys/vmt.asc":             "-----BEGIN PGP PUBLIC KEY BLOCK-----",
	} {
		resp, err := http.Get(s.url + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(string(b), want) {
			t.Errorf("%s: %d\n%s", path, resp.StatusCode, b)
		}
		if path == "/.well-known/security.txt" && (!strings.Contains(string(b), "\nContact: mailto:vmt@example.org\n") ||
			!regexp.MustCompile(`\nEncryption: http://\S+/keys/vmt\.asc\n`).Match(b)) {
			t.Errorf("security.txt does not name the VMT's address and key:\n%s", b)
		}
	}
	call("POST", "/api/v1/stakeholders", `{"organisation":"Distro","contacts":["sec@distro.example"]}`, 201)
	rep := call("POST", "/api/v1/reports", `{"title":"Overflow","description":"It overflows.","components":["agent"]}`, 201)
	id := strconv.Itoa(int(rep["id"].(float64)))
	r := "/api/v1/reports/" + id
	call("POST", r+"/classify", `{"class":"A"}`, 200)
	call("PATCH", r, `{"impact_description":"A guest can overflow the agent.","cves":["CVE-2026-4242"]}`, 200)
	call("POST", r+"/transition", `{"to":"confirmed"}`, 200)
	// The impact description is approved by the reporter (the
	// administrator filed the report) and by the architecture committee.
	carl := call("POST", "/api/v1/users", `{"email":"carl@example.org","role":"committee"}`, 201)
	carlID := strconv.Itoa(int(carl["id"].(float64)))
	carlToken := call("POST", "/api/v1/users/"+carlID+"/tokens", `{"name":"test"}`, 201)["secret"].(string)
	call("POST", r+"/subscriptions", `{"user_id":`+carlID+`}`, 201)
	call("POST", r+"/impact/approve", "", 200)
	callAs(carlToken, "POST", r+"/impact/approve", "", 200)
	// The second approval moved the report to Triaged; the CVE request
	// moves it on to In Progress.
	if st := call("POST", r+"/cve-request", `{}`, 200)["status"]; st != "in_progress" {
		t.Fatalf("after the CVE request the report is %v, want in_progress", st)
	}
	// Pre-approval: with no approved fix for main, the notice waits for a waiver.
	if out := call("POST", r+"/notice", "", 409); !strings.Contains(fmt.Sprint(out), "branch main") {
		t.Fatalf("a notice with no approved fix for main (Pre-approval): %v", out)
	}
	call("POST", r+"/fixes/waivers", `{"reason":"the fix ships with the advisory"}`, 201)
	res := call("POST", r+"/notice", "", 200)
	if res["report"].(map[string]any)["status"] != "fix_committed" {
		t.Fatalf("after the notice: %v", res)
	}
	waitFor(t, "the notice at the relay", func() bool { return relay.Count([]byte("sec@distro.example")) == 1 })
	for _, m := range relay.Messages() {
		if len(m.To) != 1 || m.To[0] != "sec@distro.example" {
			continue // the notifications of the steps before it
		}
		if !bytes.Contains(m.Data, []byte("multipart/signed")) || !bytes.Contains(m.Data, []byte("CVE-2026-4242")) {
			t.Errorf("the notice is not a signed mail about the CVE:\n%s", m.Data)
		}
	}

	// The date comes: set it a second ago, as time would.
	db, err := sqldb.Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(context.Background(), func(tx vmt.Tx) error {
		rep, err := tx.Report(int64(rep["id"].(float64)))
		if err != nil {
			return err
		}
		past := time.Now().UTC().Add(-time.Second).Truncate(time.Microsecond)
		rep.DisclosureAt = &past
		return tx.UpdateReport(rep)
	})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the report to be public", func() bool {
		resp, err := http.Get(s.url + r) // anonymous
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	s.stop(t)
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// secretKey is a fresh armored v4 EdDSA secret key without passphrase.
func secretKey(t *testing.T) []byte {
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Curve: packet.Curve25519, Time: func() time.Time { return time.Now().Add(-time.Hour) }}
	e, err := openpgp.NewEntity("VMT", "", "vmt@example.org", cfg)
	if err != nil {
		t.Fatal(err)
	}
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
