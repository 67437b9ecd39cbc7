package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/emersion/go-message"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/smtp/smtptest"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// The walks of issue 12 share one setting: a real `vmt serve` on
// PostgreSQL with a signing key, an SMTP relay and the project's git
// repository (main and stable-1), the people of a case each with their own
// token, and two stakeholders (one with a key, one without). A walk is then
// the case's steps, each person calling the HTTP API as they would.

// walkMailFrom is the sender of every mail the walks' server sends.
const walkMailFrom = "vmt@example.org"

// walk is one running server and the people of its cases.
type walk struct {
	t     *testing.T
	s     *server
	dsn   string
	relay *smtptest.Server
	// signing is the project's secret key, which signs every mail.
	signing []byte
	repo    *walkRepo
	review  string // the bare repository the fixes are pushed to
	token   string // the administrator's
	// distro is the stakeholder with a key (sec@distro.example); Cloud
	// (psirt@cloud.example) has none and gets its mail signed in clear.
	distro *openpgp.Entity

	coordID, reviewerID, committeeID, reporterID int
	coordToken, reviewerToken, committeeToken    string
	reporterToken, stakeholderToken              string

	// actions are the coordinator's calls, in order (coord).
	actions []string
	g       *walkGPG
}

// newWalk starts the server and makes what the administrator sets up
// before any case: people, project members, branches, the registry.
func newWalk(t *testing.T) *walk {
	t.Helper()
	w := &walk{t: t, token: "vmt_" + strings.Repeat("w", 32), relay: smtptest.Start(t, smtptest.Options{})}
	bin := buildVMT(t)
	w.dsn = sqldbtest.DSN(t, sqldb.Postgres)
	w.signing = secretKey(t)
	keyFile := filepath.Join(t.TempDir(), "vmt.sec.asc")
	if err := os.WriteFile(keyFile, w.signing, 0o600); err != nil {
		t.Fatal(err)
	}
	w.repo = newWalkRepo(t)
	// Where the approved fixes are pushed at the disclosure, for review.
	w.review = filepath.Join(t.TempDir(), "review.git")
	if out, err := exec.Command("git", "init", "-q", "--bare", w.review).CombinedOutput(); err != nil {
		t.Fatalf("git init --bare: %v\n%s", err, out)
	}
	w.s = startServe(t, bin, []string{"VMT_ADMIN_TOKEN=" + w.token, "VMT_DATABASE=" + w.dsn},
		"--data", filepath.Join(t.TempDir(), "d"), "--signing-key", keyFile, "--smtp-addr", w.relay.Addr,
		"--smtp-security", "plain", "--mail-from", "Kata VMT <"+walkMailFrom+">", "--worker-poll", "50ms",
		"--repo", "kata-containers="+w.repo.dir, "--push-remote", "kata-containers="+w.review, "--track-every", "200ms")

	w.coordID, w.coordToken = w.newUser("vera@example.org", "vmt")
	w.reviewerID, w.reviewerToken = w.newUser("rita@example.org", "reviewer")
	w.committeeID, w.committeeToken = w.newUser("carl@example.org", "committee")
	w.reporterID, w.reporterToken = w.newUser("ada@example.org", "reporter")
	_, w.stakeholderToken = w.newUser("sec@distro.example", "stakeholder")
	for id, role := range map[int]string{w.coordID: "vmt", w.reviewerID: "reviewer", w.committeeID: "committee"} {
		w.admin("PUT", "/api/v1/projects/kata-containers/members/"+strconv.Itoa(id), `{"role":"`+role+`"}`, 200)
	}
	w.admin("PATCH", "/api/v1/projects/kata-containers", `{"branches":["main","stable-1"]}`, 200)
	w.distro = newEntity(t, "Distro Security", "sec@distro.example")
	sh, _ := json.Marshal(map[string]any{"organisation": "Distro", "contacts": []string{"sec@distro.example"},
		"public_key": armoredKey(t, w.distro, false)})
	w.admin("POST", "/api/v1/stakeholders", string(sh), 201)
	w.admin("POST", "/api/v1/stakeholders", `{"organisation":"Cloud","contacts":["psirt@cloud.example"]}`, 201)
	return w
}

func (w *walk) newUser(email, role string) (int, string) {
	w.t.Helper()
	u := w.admin("POST", "/api/v1/users", `{"email":"`+email+`","role":"`+role+`","email_proven":true}`, 201)
	id := int(u["id"].(float64))
	tok := w.admin("POST", "/api/v1/users/"+strconv.Itoa(id)+"/tokens", `{"name":"walk"}`, 201)["secret"].(string)
	return id, tok
}

// do calls the API with a token and fails the test unless the answer has
// status want; it returns the body.
func (w *walk) do(tok, method, path, ctype, body string, want int) []byte {
	w.t.Helper()
	req, _ := http.NewRequest(method, w.s.url+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", ctype)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		w.t.Fatalf("%s %s: %d, want %d: %s\nserver log:\n%s", method, path, resp.StatusCode, want, b, tail(w.s.log.String(), 3000))
	}
	return b
}

// as is do with a JSON body and a JSON object answer.
func (w *walk) as(tok, method, path, body string, want int) map[string]any {
	w.t.Helper()
	return w.obj(w.do(tok, method, path, "application/json", body, want))
}

func (w *walk) obj(b []byte) map[string]any {
	w.t.Helper()
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		w.t.Fatalf("not a JSON object: %v: %s", err, b)
	}
	return out
}

// admin calls as the administrator: the setup and the test's own checks,
// which are not the coordinator's work.
func (w *walk) admin(method, path, body string, want int) map[string]any {
	w.t.Helper()
	return w.as(w.token, method, path, body, want)
}

// coord is a call of the coordinator's, counted with why.
func (w *walk) coord(why, method, path, body string, want int) []byte {
	w.t.Helper()
	w.actions = append(w.actions, fmt.Sprintf("%s %s (%s)", method, path, why))
	return w.do(w.coordToken, method, path, "application/json", body, want)
}

// walkCase is one report of a walk: its id and its API path.
type walkCase struct {
	id   int64
	path string
}

// file is the reporter's intake through the API.
func (w *walk) file(in map[string]any) walkCase {
	w.t.Helper()
	b, _ := json.Marshal(in)
	rep := w.as(w.reporterToken, "POST", "/api/v1/reports", string(b), 201)
	id := int64(rep["id"].(float64))
	return walkCase{id: id, path: "/api/v1/reports/" + strconv.FormatInt(id, 10)}
}

// status is the report's status, read by the administrator.
func (w *walk) status(c walkCase) any { return w.admin("GET", c.path, "", 200)["status"] }

// anonymous is the status code of an anonymous GET: 200 once public.
func (w *walk) anonymous(path string) int {
	resp, err := http.Get(w.s.url + path)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// mailTo is the n-th mail (from 1) the relay took for addr alone.
func (w *walk) mailTo(addr string, n int) []byte {
	w.t.Helper()
	var got [][]byte
	for _, m := range w.relay.Messages() {
		if len(m.To) == 1 && m.To[0] == addr {
			got = append(got, m.Data)
		}
	}
	if len(got) < n {
		w.t.Fatalf("%d mails to %s, want %d", len(got), addr, n)
	}
	return got[n-1]
}

// mailsTo counts the mails the relay took for addr alone.
func (w *walk) mailsTo(addr string) int {
	n := 0
	for _, m := range w.relay.Messages() {
		if len(m.To) == 1 && m.To[0] == addr {
			n++
		}
	}
	return n
}

// gpg is a GnuPG home with the project's key and Distro's secret key.
func (w *walk) gpg() *walkGPG {
	if w.g == nil {
		w.g = newWalkGPG(w.t)
		ring, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(w.signing))
		if err != nil || len(ring) != 1 {
			w.t.Fatalf("the signing key: %v", err)
		}
		w.g.signer = strings.ToUpper(hex.EncodeToString(ring[0].PrimaryKey.Fingerprint))
		w.g.run(w.signing, "--import")
		w.g.run([]byte(armoredKey(w.t, w.distro, true)), "--import")
	}
	return w.g
}

// comeDate sets the report's disclosure date a second ago, as time
// would bring it, straight in the store (no API moves a date into the past).
func (w *walk) comeDate(c walkCase) {
	w.t.Helper()
	db, err := sqldb.Open(context.Background(), w.dsn, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(context.Background(), func(tx vmt.Tx) error {
		rp, err := tx.Report(c.id)
		if err != nil {
			return err
		}
		past := time.Now().UTC().Add(-time.Second).Truncate(time.Microsecond)
		rp.DisclosureAt = &past
		return tx.UpdateReport(rp)
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

// pushed lists the branches of the review repository the fixes went to.
func (w *walk) pushed() []string {
	w.t.Helper()
	out, err := exec.Command("git", "--git-dir", w.review, "for-each-ref", "--format=%(refname:short)", "refs/heads").CombinedOutput()
	if err != nil {
		w.t.Fatalf("git for-each-ref: %v\n%s", err, out)
	}
	return strings.Fields(string(out))
}

// tally prints the coordinator's actions and fails above max.
func (w *walk) tally(max int) {
	w.t.Helper()
	w.t.Logf("coordinator actions: %d (at most %d)", len(w.actions), max)
	for i, a := range w.actions {
		w.t.Logf("  %2d. %s", i+1, a)
	}
	if len(w.actions) > max {
		w.t.Errorf("the coordinator needed %d actions, more than %d", len(w.actions), max)
	}
}

// items is the list of a list answer ({"items": [...]}).
func items(m map[string]any) []map[string]any {
	var out []map[string]any
	for _, v := range m {
		if l, ok := v.([]any); ok {
			for _, e := range l {
				if o, ok := e.(map[string]any); ok {
					out = append(out, o)
				}
			}
		}
	}
	return out
}

// fixID is the id of an attached fix, from the attach answer.
func fixID(t *testing.T, f map[string]any) int64 {
	t.Helper()
	if v, ok := f["id"].(float64); ok {
		return int64(v)
	}
	if fx, ok := f["fix"].(map[string]any); ok {
		if v, ok := fx["id"].(float64); ok {
			return int64(v)
		}
	}
	t.Fatalf("no fix id in %v", f)
	return 0
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// walkRepo is the project's upstream repository: main and stable-1 share
// a base, and series is a fix made on a scratch branch, as format-patch
// writes it.
type walkRepo struct {
	dir, series string
	git         func(args ...string) string
}

func newWalkRepo(t *testing.T) *walkRepo {
	dir := filepath.Join(t.TempDir(), "up")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
			"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.org", "GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.org"}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("init", "-q", "-b", "main")
	write("agent.rs", "fn open(p: &str) {\n    fs::open(p)\n}\n")
	git("add", ".")
	git("commit", "-qm", "base")
	git("branch", "stable-1")
	write("README", "main moves on\n")
	git("add", ".")
	git("commit", "-qm", "main: docs")
	git("checkout", "-q", "-b", "fix", "stable-1")
	write("agent.rs", "fn open(p: &str) {\n    if p.contains(\"..\") { return }\n    fs::open(p)\n}\n")
	git("commit", "-qam", "agent: refuse .. in guest paths")
	series := git("format-patch", "--stdout", "HEAD~1")
	git("checkout", "-q", "main")
	git("branch", "-q", "-D", "fix")
	return &walkRepo{dir: dir, series: series, git: git}
}

// merge applies the series on a branch, as a maintainer merging the fix.
func (w *walkRepo) merge(t *testing.T, branch string) {
	t.Helper()
	w.git("checkout", "-q", branch)
	p := filepath.Join(t.TempDir(), "fix.mbox")
	if err := os.WriteFile(p, []byte(w.series), 0o644); err != nil {
		t.Fatal(err)
	}
	w.git("am", "-q", p)
	w.git("checkout", "-q", "main")
}

// newEntity is a fresh v4 EdDSA key pair (with an encryption subkey).
func newEntity(t *testing.T, name, email string) *openpgp.Entity {
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Curve: packet.Curve25519, Time: func() time.Time { return time.Now().Add(-time.Hour) }}
	e, err := openpgp.NewEntity(name, "", email, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func armoredKey(t *testing.T, e *openpgp.Entity, private bool) string {
	var b bytes.Buffer
	typ := openpgp.PublicKeyType
	if private {
		typ = openpgp.PrivateKeyType
	}
	w, err := armor.Encode(&b, typ, nil)
	if err != nil {
		t.Fatal(err)
	}
	if private {
		err = e.SerializePrivateWithoutSigning(w, nil)
	} else {
		err = e.Serialize(w)
	}
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	return b.String()
}

// walkGPG is gpg on a home of its own.
type walkGPG struct {
	t    *testing.T
	home string
	// signer, when set, is the fingerprint every signature checked must
	// be made with (VALIDSIG): a good signature by another key is not
	// the project's.
	signer string
}

func newWalkGPG(t *testing.T) *walkGPG {
	if _, err := exec.LookPath("gpg"); err != nil {
		t.Fatal("gpg is needed (Debian package gnupg; .ci/run installs it)")
	}
	home, err := os.MkdirTemp("", "gpg") // short: the agent's socket path is limited
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		kill := exec.Command("gpgconf", "--kill", "gpg-agent")
		kill.Env = append(os.Environ(), "GNUPGHOME="+home)
		_ = kill.Run()
		os.RemoveAll(home)
	})
	return &walkGPG{t: t, home: home}
}

// run runs gpg; it returns the output and the status lines.
func (g *walkGPG) run(stdin []byte, args ...string) ([]byte, string) {
	g.t.Helper()
	cmd := exec.Command("gpg", append([]string{"--batch", "--no-tty", "--status-fd", "2", "--pinentry-mode", "loopback", "--passphrase", ""}, args...)...)
	cmd.Env = append(os.Environ(), "GNUPGHOME="+g.home)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, status bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &status
	if err := cmd.Run(); err != nil {
		g.t.Fatalf("gpg %v: %v\n%s", args, err, status.String())
	}
	return out.Bytes(), status.String()
}

// decrypt takes a PGP/MIME encrypted mail, decrypts its second part and
// checks that the signature inside is good; it returns the inner entity.
func (g *walkGPG) decrypt(mail []byte) []byte {
	g.t.Helper()
	e, err := message.Read(bytes.NewReader(mail))
	if err != nil {
		g.t.Fatal(err)
	}
	if mt, _, _ := e.Header.ContentType(); mt != "multipart/encrypted" {
		g.t.Fatalf("the mail is %s, not encrypted", mt)
	}
	mr := e.MultipartReader()
	var parts [][]byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			g.t.Fatal(err)
		}
		b, _ := io.ReadAll(p.Body)
		parts = append(parts, b)
	}
	if len(parts) != 2 {
		g.t.Fatalf("%d parts in the encrypted mail, want 2", len(parts))
	}
	out, status := g.run(parts[1], "--decrypt")
	if !strings.Contains(status, "DECRYPTION_OKAY") || !strings.Contains(status, "GOODSIG") {
		g.t.Fatalf("decrypting: status\n%s", status)
	}
	g.signedBySigner(status)
	return out
}

// verifySigned checks a multipart/signed mail's signature over its first
// part, as sent, and returns that part.
func (g *walkGPG) verifySigned(mail []byte) []byte {
	g.t.Helper()
	e, err := message.Read(bytes.NewReader(mail))
	if err != nil {
		g.t.Fatal(err)
	}
	mt, params, _ := e.Header.ContentType()
	if mt != "multipart/signed" {
		g.t.Fatalf("the mail is %s, not signed", mt)
	}
	all, _ := io.ReadAll(e.Body)
	var parts [][]byte
	for _, c := range bytes.Split(all, []byte("\r\n--"+params["boundary"]))[1:] {
		if bytes.HasPrefix(c, []byte("--")) {
			break
		}
		parts = append(parts, bytes.TrimPrefix(c, []byte("\r\n")))
	}
	if len(parts) != 2 {
		g.t.Fatalf("%d parts in the signed mail, want 2", len(parts))
	}
	sig, err := message.Read(bytes.NewReader(parts[1]))
	if err != nil {
		g.t.Fatal(err)
	}
	sigBytes, _ := io.ReadAll(sig.Body)
	f := filepath.Join(g.home, "sig.asc")
	if err := os.WriteFile(f, sigBytes, 0o600); err != nil {
		g.t.Fatal(err)
	}
	_, status := g.run(parts[0], "--verify", f, "-")
	if !strings.Contains(status, "GOODSIG") {
		g.t.Fatalf("verifying: status\n%s", status)
	}
	g.signedBySigner(status)
	return parts[0]
}

// signedBySigner fails unless gpg's status names the expected signer.
func (g *walkGPG) signedBySigner(status string) {
	g.t.Helper()
	if g.signer == "" {
		return
	}
	for _, line := range strings.Split(status, "\n") {
		// VALIDSIG <signing key> … <primary key>: either is the project's.
		if strings.Contains(line, "VALIDSIG ") && strings.Contains(line, g.signer) {
			return
		}
	}
	g.t.Fatalf("the signature is not by the project's key %s: status\n%s", g.signer, status)
}

// attachmentNames are the file names of the parts of an entity, sorted.
func attachmentNames(t *testing.T, entity []byte) []string {
	t.Helper()
	e, err := message.Read(bytes.NewReader(entity))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	err = e.Walk(func(_ []int, p *message.Entity, err error) error {
		if err != nil {
			return err
		}
		if _, params, err := p.Header.ContentDisposition(); err == nil && params["filename"] != "" {
			names = append(names, params["filename"])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	return names
}

func subjectOf(t *testing.T, mail []byte) string {
	t.Helper()
	e, err := message.Read(bytes.NewReader(mail))
	if err != nil {
		t.Fatal(err)
	}
	return e.Header.Get("Subject")
}

func jsonOf(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
