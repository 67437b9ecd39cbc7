package main

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/smtp/smtptest"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// The real `vmt serve` sends a notice to 20 stakeholders through a slow
// relay (200 ms per DATA), holding claims of 10 for a lease of 300 s, and
// gets SIGTERM while the relay takes the fourth mail. It exits 0 after
// the send in flight finished; a new `vmt serve` on the same database
// sends every other mail well before the lease would have let it (within
// 30 s), and every Message-ID arrives exactly once, the one in flight at
// the stop too.
func TestServeStopHandsOn(t *testing.T) {
	bin := buildVMT(t)
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) { stopMidBatch(t, bin, engine) })
	}
}

func stopMidBatch(t *testing.T, bin, engine string) {
	const recipients, stopAt = 20, 4
	dsn := sqldbtest.DSN(t, engine)
	data := filepath.Join(t.TempDir(), "d")
	token := "vmt_" + strings.Repeat("k", 32)
	env := []string{"VMT_ADMIN_TOKEN=" + token}
	if sqldb.IsPostgres(dsn) {
		env = append(env, "VMT_DATABASE="+dsn)
	}
	key := filepath.Join(t.TempDir(), "vmt.sec.asc")
	if err := os.WriteFile(key, secretKey(t), 0o600); err != nil {
		t.Fatal(err)
	}
	relay := smtptest.Start(t, smtptest.Options{})
	args := []string{"--data", data, "--signing-key", key, "--smtp-addr", relay.Addr, "--smtp-security", "plain",
		"--mail-from", "Kata VMT <vmt@example.org>", "--worker-poll", "50ms", "--worker-lease", "300s", "--worker-batch", "10"}

	s := startServe(t, bin, env, args...)
	api := &apiCaller{t: t, url: s.url, token: token}
	for i := range recipients {
		api.call("POST", "/api/v1/stakeholders", fmt.Sprintf(`{"organisation":"Org%02d","contacts":["s%02d@distro.example"]}`, i, i), 201)
	}
	rep := api.call("POST", "/api/v1/reports", `{"title":"Overflow","description":"It overflows.","components":["agent"]}`, 201)
	id := int64(rep["id"].(float64))
	readyForNotice(t, engine, dsn, data, id)
	if code, b := api.do("POST", fmt.Sprintf("/api/v1/reports/%d/fixes/waivers", id), `{"reason":"this test sends no fixes"}`); code >= 300 && code != 404 {
		t.Fatalf("waiving the fixes: %d: %s", code, b)
	}

	var datas atomic.Int32
	stopped := make(chan struct{})
	relay.SetFault(func(stage smtptest.Stage, _ string) error {
		if stage == smtptest.AtData {
			if datas.Add(1) == stopAt {
				if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
					t.Error(err)
				}
				close(stopped)
			}
			time.Sleep(200 * time.Millisecond) // a slow relay
		}
		return nil
	})
	api.call("POST", fmt.Sprintf("/api/v1/reports/%d/notice", id), "", 200)
	select {
	case <-stopped:
	case <-time.After(30 * time.Second):
		t.Fatal("the relay never got the fourth mail")
	}
	if err := s.wait(30 * time.Second); err != nil {
		t.Fatalf("vmt serve after SIGTERM mid-batch: %v\n%s", err, s.log.String())
	}
	atStop := len(relay.Messages())
	if atStop < stopAt || atStop >= recipients {
		t.Fatalf("the relay holds %d mails at the stop, want %d (the one in flight finished) to fewer than %d", atStop, stopAt, recipients)
	}

	restart := time.Now()
	s = startServe(t, bin, env, args...)
	api.url = s.url
	outbox := fmt.Sprintf("/api/v1/reports/%d/outbox", id)
	waitUntil(t, 30*time.Second, "every notice delivered after the restart (the lease is 300 s)", func() bool {
		items := api.list("GET", outbox)
		for _, o := range items {
			if o["state"] != string(vmt.OutboxDone) {
				return false
			}
		}
		return len(items) == recipients
	})
	took := time.Since(restart)
	s.stop(t)

	copies := map[string]int{}
	rcpts := map[string]bool{}
	for _, m := range relay.Messages() {
		copies[messageID(m.Data)]++
		for _, to := range m.To {
			rcpts[to] = true
		}
	}
	if len(copies) != recipients || len(rcpts) != recipients {
		t.Errorf("%d Message-IDs for %d recipients, want %d each", len(copies), len(rcpts), recipients)
	}
	for mid, n := range copies {
		if n != 1 {
			t.Errorf("%s arrived %d times", mid, n)
		}
	}
	t.Logf("%s: %d mails at the stop, the rest %v after the restart", engine, atStop, took.Round(time.Millisecond))
}

// wait waits for the process to end, up to d, and returns how it ended.
func (s *server) wait(d time.Duration) error {
	select {
	case err := <-s.done:
		s.done <- err // for the cleanup
		return err
	case <-time.After(d):
		return fmt.Errorf("still running %v after the signal", d)
	}
}

// A request still being sent when SIGTERM comes: within --shutdown-timeout
// it finishes and vmt exits 0; past it the request is cut, the log says
// which, and vmt exits 1.
func TestServeShutdownBound(t *testing.T) {
	bin := buildVMT(t)
	token := "vmt_" + strings.Repeat("b", 32)
	body := `{"title":"Overflow","description":"It overflows.","components":["agent"]}`
	start := func(t *testing.T, bound string) (*server, net.Conn) {
		s := startServe(t, bin, []string{"VMT_ADMIN_TOKEN=" + token}, "--data", filepath.Join(t.TempDir(), "d"), "--shutdown-timeout", bound)
		c, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		fmt.Fprintf(c, "POST /api/v1/reports HTTP/1.1\r\nHost: vmt\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			token, len(body), body[:10])
		time.Sleep(300 * time.Millisecond) // the handler is reading the body
		if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		return s, c
	}

	t.Run("ends within the bound", func(t *testing.T) {
		s, c := start(t, "20s")
		time.Sleep(500 * time.Millisecond)
		fmt.Fprint(c, body[10:])
		status, err := bufio.NewReader(c).ReadString('\n')
		if err != nil || !strings.HasPrefix(status, "HTTP/1.1 201") {
			t.Fatalf("the request in flight at SIGTERM: %q, %v", status, err)
		}
		if err := s.wait(15 * time.Second); err != nil {
			t.Fatalf("vmt serve after a clean stop: %v\n%s", err, s.log.String())
		}
		if strings.Contains(s.log.String(), "bound passed") {
			t.Errorf("a clean stop logs a cut:\n%s", s.log.String())
		}
	})

	t.Run("outlives the bound", func(t *testing.T) {
		s, _ := start(t, "1s")
		err := s.wait(15 * time.Second)
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != exitError {
			t.Fatalf("vmt serve with a request past the bound: %v, want exit %d\n%s", err, exitError, s.log.String())
		}
		log := s.log.String()
		if !strings.Contains(log, "shutdown bound passed") || !strings.Contains(log, "POST /api/v1/reports") {
			t.Errorf("the log does not say which request was cut:\n%s", log)
		}
	})
}
