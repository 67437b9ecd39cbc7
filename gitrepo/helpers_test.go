package gitrepo

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testRepo is a real git repository with a work tree, made in a test.
type testRepo struct {
	t    testing.TB
	dir  string
	tick int // each commit is one minute after the one before
}

func newTestRepo(t testing.TB) *testRepo {
	t.Helper()
	r := &testRepo{t: t, dir: filepath.Join(t.TempDir(), "upstream")}
	if err := os.Mkdir(r.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r.git("init", "-q", "-b", "master")
	return r
}

// gitEnv is a fixed author, committer and date, and no host configuration.
func gitEnv(home string, tick int) []string {
	date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(tick) * time.Minute).Format(time.RFC3339)
	return []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=Ada Tester", "GIT_AUTHOR_EMAIL=ada@example.org", "GIT_AUTHOR_DATE=" + date,
		"GIT_COMMITTER_NAME=Ada Tester", "GIT_COMMITTER_EMAIL=ada@example.org", "GIT_COMMITTER_DATE=" + date,
		"LC_ALL=C", "TZ=UTC",
	}
}

func (r *testRepo) git(args ...string) string {
	r.t.Helper()
	return r.gitIn("", args...)
}

func (r *testRepo) gitIn(stdin string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = gitEnv(r.dir, r.tick)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (r *testRepo) write(path, content string) {
	r.t.Helper()
	full := filepath.Join(r.dir, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// commit commits everything in the work tree and returns the new hash.
func (r *testRepo) commit(msg string) string {
	r.t.Helper()
	r.tick++
	r.git("add", "-A")
	r.git("commit", "-q", "--allow-empty", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

// formatPatch returns git format-patch output for a revision range.
func (r *testRepo) formatPatch(rng string) string {
	r.t.Helper()
	return r.git("format-patch", "--stdout", rng) + "\n"
}

// mirror makes vmt's mirror of the test repository.
func (r *testRepo) mirror() *Repo {
	r.t.Helper()
	repo, err := Mirror(context.Background(), r.dir, filepath.Join(r.t.TempDir(), "mirrors", "project.git"), Options{})
	if err != nil {
		r.t.Fatal(err)
	}
	return repo
}

// lines returns n numbered lines "name i", the content of a test file.
func lines(name string, from, n int) string {
	var b strings.Builder
	for i := from; i < from+n; i++ {
		b.WriteString(name + " line " + itoa(i) + "\n")
	}
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }
