package main

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/gitrepo"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// fixRepo makes a git repository with branches main and stable-3.2 and
// writes a series that applies to both and one that applies to neither.
func fixRepo(t *testing.T) (dir, good, bad string) {
	dir = filepath.Join(t.TempDir(), "up")
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Mkdir(dir, 0o755))
	git := func(args ...string) string {
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
	write := func(s string) { must(os.WriteFile(filepath.Join(dir, "agent.rs"), []byte(s), 0o644)) }
	git("init", "-q", "-b", "main")
	write("a\nb\nc\n")
	git("add", ".")
	git("commit", "-qm", "base")
	git("branch", "stable-3.2")
	write("a\nB\nc\n")
	git("commit", "-qam", "agent: check the path")
	good = filepath.Join(t.TempDir(), "good.mbox")
	must(os.WriteFile(good, []byte(git("format-patch", "--stdout", "HEAD~1")), 0o644))
	write("a\nBB\nc\n")
	git("commit", "-qam", "agent: more")
	bad = filepath.Join(t.TempDir(), "bad.mbox")
	must(os.WriteFile(bad, []byte(git("format-patch", "--stdout", "HEAD~1")), 0o644))
	git("reset", "-q", "--hard", "HEAD~2")
	return dir, good, bad
}

func TestReportFixCommands(t *testing.T) {
	up, good, bad := fixRepo(t)
	log := sqldbtest.Logger(t)
	svc := app.Must(app.New(app.Deps{
		Store:   sqldbtest.Open(t, sqldb.SQLite),
		Hasher:  password.Hasher{P: password.Default},
		Now:     time.Now,
		Log:     log,
		Checker: &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"kata-containers": up}},
	}))
	secret, err := svc.Bootstrap(t.Context(), vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "kata-containers", AdvisoryPrefix: "KCSA", NotePrefix: "KCSN", Branches: []string{"main", "stable-3.2"}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(vmthttp.NewServer(svc, log))
	t.Cleanup(srv.Close)
	admin, _ := svc.Authenticate(t.Context(), secret)
	r, err := svc.CreateReport(t.Context(), admin, vmt.ReportInput{Title: "Agent path escape", Description: "It escapes."})
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(r.ID, 10)
	u := newCLIUser(t)
	u.ok("login", "--server", srv.URL, "--token", secret)

	out := u.ok("report", "fix-attach", id, "--branch", "main", "--series-file", good)
	if !strings.Contains(out, "version 1 for main") || !strings.Contains(out, "agent: check the path") {
		t.Errorf("fix-attach: %q", out)
	}
	u.fails(2, "does not apply", "report", "fix-attach", id, "--branch", "stable-3.2", "--series-file", bad)
	u.fails(2, "give --branch", "report", "fix-attach", id, "--series-file", good)
	u.fails(2, "not a pull request link", "report", "fix-attach", id, "--branch", "main", "--url", "https://example.org/pr/1")
	rows := decodeJSON[vmthttp.List[vmt.FixRow]](t, u.ok("report", "fixes", id, "--json"))
	if len(rows.Items) != 2 || rows.Items[0].Fix == nil || rows.Items[1].Fix != nil {
		t.Fatalf("fixes --json: %+v", rows)
	}
	fix := strconv.FormatInt(rows.Items[0].Fix.ID, 10)
	u.fails(2, "one of --approve", "report", "fix-review", fix, "--approve", "--request-changes")
	if out := u.ok("report", "fix-review", fix, "--approve", "--note", "LGTM"); !strings.Contains(out, ": approved.") {
		t.Errorf("fix-review: %q", out)
	}
	table := u.ok("report", "fixes", id)
	if l := lines(table, "main", fix, "approved", "agent: check the path"); len(l) != 1 {
		t.Errorf("fixes table has no approved main row:\n%s", table)
	}
	if l := lines(table, "stable-3.2  -"); len(l) != 1 {
		t.Errorf("fixes table has no empty stable-3.2 row:\n%s", table)
	}

	if out := u.ok("report", "fixes", id); !strings.Contains(out, "No approved fix nor waiver for: stable-3.2") {
		t.Errorf("fixes does not name the branch missing approval:\n%s", out)
	}
	// A waiver of stable-3.2, which has no fix, is in the table and the
	// pre-approval state; a second one is refused.
	u.fails(2, "give --reason", "report", "fix-waive", id, "--branch", "stable-3.2")
	if out := u.ok("report", "fix-waive", id, "--branch", "stable-3.2", "--reason", "end of life on Friday"); !strings.Contains(out, "on branch stable-3.2: end of life on Friday") {
		t.Errorf("fix-waive: %q", out)
	}
	u.fails(5, "already waived", "report", "fix-waive", id, "--branch", "stable-3.2", "--reason", "again")
	if l := lines(u.ok("report", "fixes", id), "stable-3.2", "end of life on Friday"); len(l) != 1 {
		t.Errorf("fixes table does not show the waiver")
	}
	if out := u.ok("report", "fixes", id); strings.Contains(out, "No approved fix nor waiver") {
		t.Errorf("fixes still says approvals are missing:\n%s", out)
	}

	// A public report takes a link with its commit.
	_, err = svc.MakePublic(t.Context(), admin, r.ID, "fixed in the open")
	if err != nil {
		t.Fatal(err)
	}
	u.fails(2, "commit", "report", "fix-attach", id, "--branch", "main", "--url", "https://example.org/pr/1", "--commit", "abc")
	hash := strings.Repeat("ab", 20)
	if out := u.ok("report", "fix-attach", id, "--branch", "main", "--url", "https://example.org/pr/1", "--commit", hash); !strings.Contains(out, "https://example.org/pr/1") {
		t.Errorf("fix-attach of a link: %q", out)
	}
	rows = decodeJSON[vmthttp.List[vmt.FixRow]](t, u.ok("report", "fixes", id, "--json"))
	if f := rows.Items[0].Fix; f == nil || f.Commit != hash || f.URL != "https://example.org/pr/1" || f.Version != 2 {
		t.Errorf("the link in the matrix: %+v", f)
	}
}
