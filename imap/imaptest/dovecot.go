// Package imaptest starts a real IMAP server for tests: Debian's Dovecot
// (dovecot-imapd), as a child process with a configuration of its own in
// a temporary directory, listening on 127.0.0.1 with one mailbox user.
package imaptest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Server is a running Dovecot with one user and its Maildir.
type Server struct {
	Addr     string // 127.0.0.1:PORT
	User     string
	Password string
	Dir      string
}

// Binary is where Debian installs Dovecot's master process.
const Binary = "/usr/sbin/dovecot"

// Start starts Dovecot and stops it when the test ends. Without Dovecot
// the test is skipped, unless CI is "true" (.ci/run installs it), where
// it fails.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := Binary
	if _, err := os.Stat(bin); err != nil {
		p, lerr := exec.LookPath("dovecot")
		if lerr != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("Dovecot is needed (Debian package dovecot-imapd; .ci/run installs it)")
			}
			t.Skip("Dovecot is not installed (Debian package dovecot-imapd)")
		}
		bin = p
	}
	// A short path: Dovecot's sockets live under base_dir, and a socket
	// path is limited to about 100 bytes.
	dir, err := os.MkdirTemp("", "dovecot")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// Dovecot runs its processes as the current user; root is not a mail
	// user, so as root they run as nobody.
	me, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	name, uid, gid := me.Username, me.Uid, me.Gid
	group := ""
	if g, err := user.LookupGroupId(gid); err == nil {
		group = g.Name
	}
	if uid == "0" {
		nobody, err := user.Lookup("nobody")
		if err != nil {
			t.Fatal(err)
		}
		name, uid, gid = nobody.Username, nobody.Uid, nobody.Gid
		g, err := user.LookupGroupId(gid)
		if err != nil {
			t.Fatal(err)
		}
		group = g.Name
	}
	mail := filepath.Join(dir, "mail")
	if err := os.Mkdir(mail, 0o700); err != nil {
		t.Fatal(err)
	}
	if me.Uid == "0" {
		var u, g int
		fmt.Sscan(uid, &u)
		fmt.Sscan(gid, &g)
		if err := os.Chown(mail, u, g); err != nil {
			t.Fatal(err)
		}
	}
	port := freePort(t)
	s := &Server{Addr: fmt.Sprintf("127.0.0.1:%d", port), User: "intake", Password: "intake-password", Dir: dir}
	passwd := filepath.Join(dir, "passwd")
	line := fmt.Sprintf("%s:{PLAIN}%s:%s:%s::%s::\n", s.User, s.Password, uid, gid, filepath.Join(mail, s.User))
	if err := os.WriteFile(passwd, []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "dovecot.conf")
	text := strings.NewReplacer("$DIR", dir, "$PORT", fmt.Sprint(port), "$USER", name, "$GROUP", group).Replace(config)
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-F", "-c", conf)
	out, err := os.Create(filepath.Join(dir, "dovecot.out"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		out.Close()
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", s.Addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-exited:
			t.Fatalf("dovecot exited: %s", s.logs())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("dovecot does not listen on %s: %s", s.Addr, s.logs())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

func (s *Server) logs() string {
	a, _ := os.ReadFile(filepath.Join(s.Dir, "dovecot.out"))
	b, _ := os.ReadFile(filepath.Join(s.Dir, "dovecot.log"))
	return string(a) + string(b)
}

// config is the whole configuration: IMAP only, on the loopback, no TLS
// (the password crosses no network), the user from a passwd-file, mail
// in a Maildir, everything under the temporary directory.
const config = `base_dir = $DIR/run
state_dir = $DIR/state
log_path = $DIR/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = $USER
default_internal_group = $GROUP
default_login_user = $USER
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DIR/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u $DIR/passwd
}
mail_location = maildir:$DIR/mail/%u
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
`

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// client logs in as the server's user.
func (s *Server) client(t testing.TB) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(s.Addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(s.User, s.Password).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

// Deliver appends a message to INBOX, unseen, as a delivery would.
func (s *Server) Deliver(t testing.TB, raw []byte) {
	t.Helper()
	c := s.client(t)
	defer c.Close()
	raw = []byte(strings.ReplaceAll(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n", "\r\n"))
	cmd := c.Append("INBOX", int64(len(raw)), nil)
	if _, err := cmd.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	_ = c.Logout().Wait()
}

// Seen returns, for every message of INBOX, by Message-ID (without angle
// brackets), whether it is marked \Seen.
func (s *Server) Seen(t testing.TB) map[string]bool {
	t.Helper()
	c := s.client(t)
	defer c.Close()
	sel, err := c.Select("INBOX", &goimap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	if sel.NumMessages == 0 {
		return out
	}
	bufs, err := c.Fetch(goimap.SeqSetNum(seq(sel.NumMessages)...), &goimap.FetchOptions{Flags: true, Envelope: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bufs {
		seen := false
		for _, f := range b.Flags {
			seen = seen || f == goimap.FlagSeen
		}
		out[strings.Trim(b.Envelope.MessageID, "<>")] = seen
	}
	_ = c.Logout().Wait()
	return out
}

func seq(n uint32) []uint32 {
	out := make([]uint32, n)
	for i := range out {
		out[i] = uint32(i + 1)
	}
	return out
}
