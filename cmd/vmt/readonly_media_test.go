package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// childArgsEnv carries the arguments of a vmt run in a child process of the
// test binary (TestHelperChild): the one way for a test running as root to
// meet read-only media, by running the command as another user.
const childArgsEnv = "VMT_TEST_CHILD_ARGS"

// TestHelperChild is not a test: it runs vmt with the arguments the parent
// test gave, when started as such a child.
func TestHelperChild(t *testing.T) {
	raw := os.Getenv(childArgsEnv)
	if raw == "" {
		t.Skip("only run as a child of TestAdminCommandsOnReadOnlyMedia")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	os.Exit(run(context.Background(), &env{stdin: strings.NewReader(""), stdout: os.Stdout, stderr: os.Stderr, getenv: func(string) string { return "" }}, args))
}

// unprivileged runs vmt with args as a user who cannot write the media:
// in-process when the test is not root (the modes stop it), else as
// nobody in a copy of the test binary it may execute (root ignores modes).
type unprivileged struct {
	t   *testing.T
	bin string // "" when in-process
}

func newUnprivileged(t *testing.T, scratch string) *unprivileged {
	if os.Geteuid() != 0 {
		return &unprivileged{t: t}
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(scratch, "vmt.test")
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return &unprivileged{t: t, bin: bin}
}

func (u *unprivileged) run(args ...string) (int, string, string) {
	u.t.Helper()
	if u.bin == "" {
		return runCmd(u.t, nil, args...)
	}
	raw, _ := json.Marshal(args)
	cmd := exec.Command(u.bin, "-test.run=^TestHelperChild$")
	cmd.Env = []string{childArgsEnv + "=" + string(raw), "HOME=/nonexistent", "PATH=/usr/bin:/bin"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		u.t.Fatalf("running as nobody: %v (%s)", err, errb.String())
	}
	return code, out.String(), errb.String()
}

// scratchDir is a directory outside t.TempDir (whose parent is private to
// its owner) that nobody may enter, removed at the end.
func scratchDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "vmt-media-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
			if err == nil && fi.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
		os.RemoveAll(dir)
	})
	return dir
}

// copyFile copies src to dst with mode.
func copyFile(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestAdminCommandsOnReadOnlyMedia is issue 17's fault 6: vmt audit verify
// and vmt backup read a cleanly stopped SQLite store on media they cannot
// write (a directory and file without write permission, the command run
// as a user the modes bind), and refuse, saying why, a copy whose -wal
// holds commits.
func TestAdminCommandsOnReadOnlyMedia(t *testing.T) {
	dsn := sqldbtest.DSN(t, sqldb.SQLite)
	seed(t, dsn) // closes the store: a clean stop leaves no -wal
	if _, err := os.Stat(dsn + "-wal"); err == nil {
		t.Fatal("a clean stop left a -wal file")
	}
	scratch := scratchDir(t)
	u := newUnprivileged(t, scratch)
	media := filepath.Join(scratch, "media")
	if err := os.Mkdir(media, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, dsn, filepath.Join(media, "vmt.db"), 0o444)
	if err := os.Chmod(media, 0o555); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(scratch, "out")
	if err := os.Mkdir(out, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(out, 0o777); err != nil { // past the umask
		t.Fatal(err)
	}

	code, stdout, stderr := u.run("audit", "verify", "--data", media)
	if code != exitOK || !strings.Contains(stdout, "audit log intact: 7 events") {
		t.Fatalf("audit verify on read-only media: exit %d out %q err %q", code, stdout, stderr)
	}
	file := filepath.Join(out, "backup.db")
	code, stdout, stderr = u.run("backup", "--data", media, file)
	if code != exitOK {
		t.Fatalf("backup from read-only media: exit %d out %q err %q", code, stdout, stderr)
	}
	if ents, _ := os.ReadDir(media); len(ents) != 1 {
		t.Errorf("the commands left files on the media: %v", ents)
	}
	restored := filepath.Join(t.TempDir(), "restored")
	if err := os.Mkdir(restored, 0o700); err != nil {
		t.Fatal(err)
	}
	copyFile(t, file, filepath.Join(restored, "vmt.db"), 0o600)
	if code, stdout, stderr := runCmd(t, nil, "audit", "verify", "--data", restored); code != exitOK || !strings.Contains(stdout, "7 events") {
		t.Fatalf("verify the backup: exit %d out %q err %q", code, stdout, stderr)
	}
}

// TestReadOnlyMediaRefusesAnUncleanCopy: a copy taken while the store ran
// has commits in its -wal, which an immutable read would miss; the open is
// refused with what to do.
func TestReadOnlyMediaRefusesAnUncleanCopy(t *testing.T) {
	dsn := sqldbtest.DSN(t, sqldb.SQLite)
	seed(t, dsn)
	st, err := sqldb.Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sqldbtest.Exec(t, dsn, `UPDATE store_probe SET at = 1`) // a commit in the -wal while st holds it open
	scratch := scratchDir(t)
	u := newUnprivileged(t, scratch)
	media := filepath.Join(scratch, "media")
	if err := os.Mkdir(media, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, dsn, filepath.Join(media, "vmt.db"), 0o444)
	copyFile(t, dsn+"-wal", filepath.Join(media, "vmt.db-wal"), 0o444)
	if err := os.Chmod(media, 0o555); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := u.run("audit", "verify", "--data", media)
	if code == exitOK || !strings.Contains(stderr, "not stopped cleanly") {
		t.Fatalf("verify an unclean read-only copy: exit %d out %q err %q", code, stdout, stderr)
	}
}
