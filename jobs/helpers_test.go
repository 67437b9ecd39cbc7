package jobs_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"net/mail"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/pgpmail"
	"github.com/vmtproject/vmt/render"
	"github.com/vmtproject/vmt/smtp"
	"github.com/vmtproject/vmt/smtp/smtptest"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// keysMade is before every test's clock.
var keysMade = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// clock is the injected time of a test, safe for the worker's goroutines.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

var site = jobs.Site{BaseURL: "https://vmt.example.org", Team: "P Vulnerability Management Team", Contact: "vmt@example.org"}

// world is a service on a real store, a project with its coordinator, the
// VMT's signing key and an SMTP server with STARTTLS and AUTH.
type world struct {
	t       testing.TB
	dsn     string
	store   *sqldb.DB
	svc     *app.Service
	clock   *clock
	admin   vmt.Actor
	coord   vmt.Actor
	project *vmt.Project
	signer  *openpgp.Entity
	srv     *smtptest.Server
	mailer  *jobs.Mailer
}

func newWorld(t testing.TB, engine string) *world {
	w := &world{t: t, clock: &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}} // a Monday
	w.dsn = sqldbtest.DSN(t, engine)
	w.store = w.open()
	w.svc = w.service(w.store)
	ctx := context.Background()
	secret, err := w.svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"master"}}})
	must(t, err)
	w.admin, _ = w.svc.Authenticate(ctx, secret)
	// The administrator is a VMT member of the project, and would hear of
	// every report the coordinator files: the tests count the mails of
	// notices and timers, so it turns that off (notify_test.go tells of
	// new reports to the other members).
	_, err = w.svc.SetNotificationSettings(ctx, w.admin, vmt.NotificationSettings{Kinds: map[vmt.NotifyKind]bool{vmt.NotifyNewReport: false}})
	must(t, err)
	u, err := w.svc.CreateUser(ctx, w.admin, vmt.UserInput{Email: "coord@example.org", Name: "Ada Coordinator", Role: vmt.RoleVMT})
	must(t, err)
	w.coord = vmt.Actor{User: u}
	w.project, err = w.svc.Project(ctx, w.admin, "p")
	must(t, err)
	must(t, w.svc.SetMember(ctx, w.admin, vmt.Member{ProjectID: w.project.ID, UserID: u.ID, Role: vmt.MemberVMT}))

	w.signer = newEntity(t, "VMT")
	s, err := pgpmail.ParseSigner(armored(t, w.signer, true), nil, w.clock.Now())
	must(t, err)
	w.srv = smtptest.Start(t, smtptest.Options{TLS: true, Username: "vmt", Password: "pw"})
	w.mailer = &jobs.Mailer{Signer: s, From: mail.Address{Name: "P VMT", Address: "vmt@example.org"},
		SMTP: smtp.Config{Addr: w.srv.Addr, TLS: &tls.Config{RootCAs: w.srv.RootCAs()}, Username: "vmt", Password: "pw", Timeout: 5 * time.Second}}
	return w
}

// open opens another handle on the world's database, as a second
// `vmt serve` would.
func (w *world) open() *sqldb.DB {
	db, err := sqldb.Open(context.Background(), w.dsn, sqldbtest.Logger(w.t))
	must(w.t, err)
	w.t.Cleanup(func() { db.Close() })
	return db
}

// service is a service on st with the world's clock and hooks.
func (w *world) service(st vmt.Store) *app.Service {
	set, err := render.NewSet(nil)
	must(w.t, err)
	svc := app.Must(app.New(app.Deps{
		Store:      st,
		Hasher:     password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		Now:        w.clock.Now,
		Log:        sqldbtest.Logger(w.t),
		Disclosure: vmt.DisclosureHooks{Keys: jobs.CheckKey, Planner: jobs.Plan, Notice: site.Notice(set), Prepare: site.Publication()},
	}))
	return svc
}

// worker is a worker on svc with short waits.
func (w *world) worker(svc *app.Service) *jobs.Worker {
	return &jobs.Worker{Service: svc, Mailer: w.mailer, Log: sqldbtest.Logger(w.t),
		Poll: time.Millisecond, Lease: time.Minute, Batch: 4, Backoff: time.Second, MaxBackoff: 10 * time.Second}
}

// readyReport files a private report and brings it, through the store, to
// where the notice is sent from: In Progress, a CVE, an impact description,
// and a waiver of pre-approval.
func (w *world) readyReport(title string) *vmt.Report {
	r := w.inProgress(title)
	// These tests are of the notice and the hour, not of pre-approval
	// (push_test.go): the coordinator waives it.
	_, err := w.svc.WaiveFix(context.Background(), w.coord, r.ID, vmt.WaiverInput{Reason: "the fix ships with the advisory"})
	must(w.t, err)
	return r
}

// inProgress is readyReport without the waiver.
func (w *world) inProgress(title string) *vmt.Report {
	ctx := context.Background()
	v, err := w.svc.CreateReport(ctx, w.coord, vmt.ReportInput{Project: "p", Title: title, Description: "It overflows.",
		Components: []string{"agent"}})
	must(w.t, err)
	var r *vmt.Report
	must(w.t, w.store.Update(ctx, func(tx vmt.Tx) (err error) {
		if r, err = tx.Report(v.ID); err != nil {
			return err
		}
		now := w.clock.Now()
		r.Status, r.CVEs, r.CVERequestedAt, r.CoordinatorID = vmt.StatusInProgress, []string{"CVE-2026-1234"}, &now, w.coord.ID()
		r.ImpactDescription = "A guest can overflow the agent's buffer and run code on the host."
		return tx.UpdateReport(r)
	}))
	return r
}

// stakeholder registers an organisation, with a fresh key when keyed, and
// returns the secret key (nil without).
func (w *world) stakeholder(name string, keyed bool) *openpgp.Entity {
	in := vmt.StakeholderInput{Organisation: name, Contacts: []string{strings.ToLower(name) + "@distro.example"}}
	var e *openpgp.Entity
	if keyed {
		e = newEntity(w.t, name)
		in.PublicKey = string(armored(w.t, e, false))
	}
	_, err := w.svc.CreateStakeholder(context.Background(), w.coord, in)
	must(w.t, err)
	return e
}

func newEntity(t testing.TB, name string) *openpgp.Entity {
	t.Helper()
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Curve: packet.Curve25519, Time: func() time.Time { return keysMade }}
	e, err := openpgp.NewEntity(name, "", strings.ToLower(name)+"@example.org", cfg)
	must(t, err)
	return e
}

func armored(t testing.TB, e *openpgp.Entity, secret bool) []byte {
	t.Helper()
	var b bytes.Buffer
	typ := openpgp.PublicKeyType
	if secret {
		typ = openpgp.PrivateKeyType
	}
	aw, err := armor.Encode(&b, typ, nil)
	must(t, err)
	if secret {
		must(t, e.SerializePrivateWithoutSigning(aw, nil))
	} else {
		must(t, e.Serialize(aw))
	}
	must(t, aw.Close())
	return b.Bytes()
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// gnupg is a real gpg with a keyring of its own.
type gnupg struct {
	t    testing.TB
	home string
}

func newGnuPG(t testing.TB) *gnupg {
	if _, err := exec.LookPath("gpg"); err != nil {
		t.Fatal("gpg is needed (Debian package gnupg; .ci/run installs it)")
	}
	home, err := os.MkdirTemp("", "gpg") // short: the agent's socket path is limited
	must(t, err)
	must(t, os.Chmod(home, 0o700))
	t.Cleanup(func() {
		kill := exec.Command("gpgconf", "--kill", "gpg-agent")
		kill.Env = append(os.Environ(), "GNUPGHOME="+home)
		_ = kill.Run()
		os.RemoveAll(home)
	})
	return &gnupg{t: t, home: home}
}

// run runs gpg and returns its exit code, output and status lines.
func (g *gnupg) run(stdin []byte, args ...string) (int, []byte, []string) {
	g.t.Helper()
	cmd := exec.Command("gpg", append([]string{"--batch", "--no-tty", "--status-fd", "3", "--pinentry-mode", "loopback", "--passphrase", ""}, args...)...)
	cmd.Env = append(os.Environ(), "GNUPGHOME="+g.home)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	sr, sw, err := os.Pipe()
	must(g.t, err)
	cmd.ExtraFiles = []*os.File{sw}
	var status bytes.Buffer
	done := make(chan struct{})
	go func() { status.ReadFrom(sr); close(done) }()
	err = cmd.Run()
	sw.Close()
	<-done
	sr.Close()
	if err != nil && cmd.ProcessState == nil {
		g.t.Fatalf("gpg %v: %v", args, err)
	}
	var lines []string
	for _, l := range strings.Split(status.String(), "\n") {
		if s, ok := strings.CutPrefix(l, "[GNUPG:] "); ok {
			lines = append(lines, s)
		}
	}
	if cmd.ProcessState.ExitCode() != 0 {
		g.t.Logf("gpg %v: %s", args, errb.String())
	}
	return cmd.ProcessState.ExitCode(), out.Bytes(), lines
}

func has(status []string, keyword string) bool {
	for _, l := range status {
		if l == keyword || strings.HasPrefix(l, keyword+" ") {
			return true
		}
	}
	return false
}

func osCreateTemp(dir string) (*os.File, error) { return os.CreateTemp(dir, "sig") }

// newEntityAt makes a key at made that expires after life.
func newEntityAt(t testing.TB, name string, made time.Time, life time.Duration) *openpgp.Entity {
	t.Helper()
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Curve: packet.Curve25519, Time: func() time.Time { return made },
		KeyLifetimeSecs: uint32(life / time.Second)}
	e, err := openpgp.NewEntity(name, "", strings.ToLower(name)+"@example.org", cfg)
	must(t, err)
	return e
}
