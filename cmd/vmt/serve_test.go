package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// buildVMT builds the binary the way a user would, once per test binary.
func buildVMT(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "vmt")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// server is a running `vmt serve` process.
type server struct {
	cmd  *exec.Cmd
	url  string
	out  strings.Builder // stdout up to the listening line
	log  lockedBuffer    // stderr: the log
	done chan error
}

// lockedBuffer is a bytes.Buffer safe for the process's writes and the
// test's reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startServe(t *testing.T, bin string, env []string, args ...string) *server {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, done: make(chan error, 1)}
	cmd.Stderr = &s.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); <-s.done })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if u, ok := strings.CutPrefix(line, "vmt: listening on "); ok {
				found <- u
				break
			}
			s.out.WriteString(line + "\n")
		}
		io.Copy(io.Discard, stdout)
		s.done <- cmd.Wait()
	}()
	select {
	case s.url = <-found:
	case <-time.After(30 * time.Second):
		t.Fatalf("vmt serve did not start; output so far:\n%s", s.out.String())
	}
	return s
}

func (s *server) get(t *testing.T, path, token string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", s.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// stop sends SIGTERM and waits for a clean exit.
func (s *server) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.done:
		s.done <- err // for the cleanup
		if err != nil {
			t.Fatalf("vmt serve after SIGTERM: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("vmt serve did not stop within 15 s of SIGTERM")
	}
}

// TestServeFirstRun runs the real binary on an empty data directory: it
// sets up the store, prints how to sign in, serves the API with the printed
// token, stops cleanly on SIGTERM, and keeps its data for the next start.
func TestServeFirstRun(t *testing.T) {
	bin := buildVMT(t)
	data := filepath.Join(t.TempDir(), "data")

	s := startServe(t, bin, nil, "--data", data)
	secret := regexp.MustCompile(`vmt_[a-z2-7]{32}`).FindString(s.out.String())
	if secret == "" || !strings.Contains(s.out.String(), "vmt login --server") {
		t.Fatalf("first start does not print a token and how to log in:\n%s", s.out.String())
	}
	if code := s.get(t, "/api/v1/me", secret); code != 200 {
		t.Fatalf("GET /me with the printed token: %d", code)
	}
	if code := s.get(t, "/api/v1/me", "vmt_"+strings.Repeat("a", 32)); code != 401 {
		t.Fatalf("GET /me with a wrong token: %d", code)
	}
	s.stop(t)
	if fi, err := os.Stat(data); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("data directory: %v %v (want mode 0700)", fi, err)
	}

	s = startServe(t, bin, nil, "--data", data)
	if strings.Contains(s.out.String(), "first start") {
		t.Fatalf("second start set up the store again:\n%s", s.out.String())
	}
	if code := s.get(t, "/api/v1/me", secret); code != 200 {
		t.Fatalf("token after a restart: %d", code)
	}
	s.stop(t)
}

// TestServeAdminToken checks, on each store, that VMT_ADMIN_TOKEN on the
// first start is the administrator's token and is then not printed;
// PostgreSQL is named by VMT_DATABASE.
func TestServeAdminToken(t *testing.T) {
	bin := buildVMT(t)
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			token := "vmt_" + strings.Repeat("k", 32)
			env := []string{"VMT_ADMIN_TOKEN=" + token}
			if dsn := sqldbtest.DSN(t, engine); sqldb.IsPostgres(dsn) {
				env = append(env, "VMT_DATABASE="+dsn)
			}
			data := filepath.Join(t.TempDir(), "d")
			s := startServe(t, bin, env, "--data", data)
			if strings.Contains(s.out.String(), token) {
				t.Errorf("the given token is printed:\n%s", s.out.String())
			}
			if code := s.get(t, "/api/v1/users", token); code != 200 {
				t.Fatalf("GET /users with VMT_ADMIN_TOKEN: %d", code)
			}
			s.stop(t)
			if engine == sqldb.Postgres {
				if _, err := os.Stat(data); err == nil {
					t.Error("a PostgreSQL server made an SQLite data directory")
				}
			}
		})
	}
}
