package app_test

import (
	"context"
	"log/slog"
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
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// upstream is a real git repository with master and stable-1, and a
// format-patch series against both.
func upstream(t *testing.T) (dir, series, conflicting string) {
	dir = filepath.Join(t.TempDir(), "up")
	git := gitIn(t, dir)
	write := func(content string) {
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	git("init", "-q", "-b", "master")
	write("one\ntwo\nthree\n")
	git("add", ".")
	git("commit", "-qm", "base")
	git("branch", "stable-1")
	write("one\nTWO\nthree\n")
	git("commit", "-qam", "fix: check two")
	series = git("format-patch", "--stdout", "HEAD~1")
	write("one\nzwei\nthree\n")
	git("commit", "-qam", "other: two in German")
	conflicting = git("format-patch", "--stdout", "HEAD~1")
	git("reset", "-q", "--hard", "HEAD~2")
	return dir, series, conflicting
}

// gitIn returns a function running git in dir with a fixed identity and date.
func gitIn(t *testing.T, dir string) func(args ...string) string {
	return func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
			"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.org", "GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.org",
			"GIT_AUTHOR_DATE=2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2026-01-01T00:00:00Z"}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
}

func TestFixes(t *testing.T) {
	ctx := context.Background()
	up, series, conflicting := upstream(t)
	svc := app.Must(app.New(app.Deps{
		Store:   sqldbtest.Open(t, "sqlite"),
		Hasher:  password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		Now:     time.Now,
		Log:     slog.New(slog.DiscardHandler),
		Checker: &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"p": up}},
	}))
	secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "p", AdvisoryPrefix: "PSA", NotePrefix: "PSN", Branches: []string{"master", "stable-1"}}})
	if err != nil {
		t.Fatal(err)
	}
	admin, _ := svc.Authenticate(ctx, secret)
	mk := func(email string, role vmt.Role) vmt.Actor {
		u, err := svc.CreateUser(ctx, admin, vmt.UserInput{Email: email, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		return vmt.Actor{User: u}
	}
	reporter, dev, reviewer, outsider := mk("r@example.org", vmt.RoleReporter), mk("d@example.org", vmt.RoleReporter),
		mk("rev@example.org", vmt.RoleReviewer), mk("o@example.org", vmt.RoleReporter)
	p, _ := svc.Project(ctx, admin, "p")
	must(t, svc.SetMember(ctx, admin, vmt.Member{ProjectID: p.ID, UserID: reviewer.ID(), Role: vmt.MemberReviewer}))
	r, err := svc.CreateReport(ctx, reporter, vmt.ReportInput{Project: "p", Title: "Overflow", Description: "It overflows."})
	must(t, err)
	for _, u := range []vmt.Actor{dev, reviewer} {
		_, err := svc.Subscribe(ctx, admin, r.ID, u.ID())
		must(t, err)
	}

	attach := []struct {
		name         string
		actor        vmt.Actor
		in           vmt.FixInput
		code, detail string
	}{
		{"outsider", outsider, vmt.FixInput{Branch: "master", Series: series}, vmt.ENOTFOUND, ""},
		{"unsupported branch", dev, vmt.FixInput{Branch: "stable-9", Series: series}, vmt.EINVALID, "not a supported branch"},
		{"link on a private report", dev, vmt.FixInput{Branch: "master", URL: "https://example.org/pr/1"}, vmt.EINVALID, "not a pull request link"},
		{"does not apply", dev, vmt.FixInput{Branch: "master", Series: conflicting}, vmt.EINVALID, "does not apply"},
		{"hostile", dev, vmt.FixInput{Branch: "master", Series: strings.ReplaceAll(series, "main.go", "../main.go")}, vmt.EINVALID, "leaves the repository"},
		{"developer, master", dev, vmt.FixInput{Branch: "master", Series: series}, "", ""},
		{"reporter, stable-1", reporter, vmt.FixInput{Branch: "stable-1", Series: series}, "", ""},
		{"developer, master again", dev, vmt.FixInput{Branch: "master", Series: series}, "", ""},
	}
	var fixes []*vmt.Fix
	for _, tc := range attach {
		f, err := svc.AttachFix(ctx, tc.actor, r.ID, tc.in)
		if vmt.ErrorCode(err) != tc.code || err != nil && !strings.Contains(err.Error(), tc.detail) {
			t.Errorf("%s: AttachFix = %v, want %q with %q", tc.name, err, tc.code, tc.detail)
		}
		if err == nil {
			fixes = append(fixes, f)
		}
	}
	if len(fixes) != 3 || fixes[0].Version != 1 || fixes[2].Version != 2 || fixes[1].Version != 1 ||
		strings.Join(fixes[0].Subjects, "|") != "fix: check two" || fixes[0].Review != vmt.ReviewPending {
		t.Fatalf("attached %+v", fixes)
	}
	if _, err := svc.Fixes(ctx, outsider, r.ID); vmt.ErrorCode(err) != vmt.ENOTFOUND {
		t.Errorf("Fixes as an outsider: %v, want not found", err)
	}
	if list, err := svc.Fixes(ctx, reporter, r.ID); err != nil || len(list) != 3 || list[0].Series != "" || list[0].SeriesBytes != len(series) {
		t.Errorf("Fixes as the reporter: %d, %v", len(list), err)
	}
	// The bytes of one patch, and only to those who may see the report.
	if f, err := svc.FixPatch(ctx, reporter, r.ID, fixes[0].ID); err != nil || f.Series != series {
		t.Errorf("FixPatch as the reporter: %v", err)
	}
	if _, err := svc.FixPatch(ctx, outsider, r.ID, fixes[0].ID); vmt.ErrorCode(err) != vmt.ENOTFOUND {
		t.Errorf("FixPatch as an outsider: %v, want not found", err)
	}

	review := []struct {
		name  string
		actor vmt.Actor
		fix   *vmt.Fix
		in    vmt.ReviewInput
		code  string
	}{
		{"outsider", outsider, fixes[1], vmt.ReviewInput{Review: vmt.ReviewApproved}, vmt.ENOTFOUND},
		{"developer", dev, fixes[1], vmt.ReviewInput{Review: vmt.ReviewApproved}, vmt.EFORBIDDEN},
		{"not a verdict", reviewer, fixes[1], vmt.ReviewInput{Review: vmt.ReviewPending}, vmt.EINVALID},
		{"superseded version", reviewer, fixes[0], vmt.ReviewInput{Review: vmt.ReviewApproved}, vmt.ECONFLICT},
		{"reviewer approves stable-1", reviewer, fixes[1], vmt.ReviewInput{Review: vmt.ReviewApproved, Note: "LGTM"}, ""},
		{"admin asks for changes on master", admin, fixes[2], vmt.ReviewInput{Review: vmt.ReviewChangesRequested}, ""},
	}
	for _, tc := range review {
		_, err := svc.ReviewFix(ctx, tc.actor, tc.fix.ID, tc.in)
		if vmt.ErrorCode(err) != tc.code {
			t.Errorf("%s: ReviewFix = %v, want %q", tc.name, err, tc.code)
		}
	}
	list, err := svc.Fixes(ctx, admin, r.ID)
	must(t, err)
	got := []string{}
	for _, f := range list {
		got = append(got, f.Branch+"/"+strconv.Itoa(f.Version)+"/"+string(f.Review))
	}
	if want := "master/1/pending master/2/changes_requested stable-1/1/approved"; strings.Join(got, " ") != want {
		t.Errorf("fixes after reviews: %s, want %s", strings.Join(got, " "), want)
	}
	rows, err := svc.FixMatrix(ctx, reporter, r.ID)
	must(t, err)
	if len(rows) != 2 || rows[0].Branch != "master" || rows[0].Fix.Version != 2 || rows[1].Fix.Review != vmt.ReviewApproved {
		t.Errorf("matrix %+v", rows)
	}
	if un := vmt.UnapprovedBranches(rows); len(un) != 1 || un[0] != "master" {
		t.Errorf("unapproved branches %v, want [master]", un)
	}
	if _, err := svc.FixMatrix(ctx, outsider, r.ID); vmt.ErrorCode(err) != vmt.ENOTFOUND {
		t.Errorf("matrix as an outsider: %v", err)
	}
	if list[2].ReviewedBy != reviewer.ID() || list[2].ReviewNote != "LGTM" || list[2].ReviewedAt == nil || time.Since(*list[2].ReviewedAt) > time.Minute {
		t.Errorf("stable-1 review: %+v", list[2])
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
