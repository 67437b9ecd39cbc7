package http_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/gitrepo"
)

// gitUpstream makes a repository with branches main and stable-3.2 and
// returns it with a format-patch series that applies to both.
func gitUpstream(t *testing.T) (string, string) {
	dir := filepath.Join(t.TempDir(), "up")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) string {
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
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, "virtio.go"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("init", "-q", "-b", "main")
	write("a\nb\nc\n")
	git("add", ".")
	git("commit", "-qm", "base")
	git("branch", "stable-3.2")
	write("a\nB\nc\n")
	git("commit", "-qam", "virtio: bound the queue")
	series := git("format-patch", "--stdout", "HEAD~1")
	git("reset", "-q", "--hard", "HEAD~1")
	return dir, series
}

// postSeries sends a series as the body itself, as git format-patch wrote it.
func (e *env) postSeries(path, token, series string) (int, string) {
	e.t.Helper()
	req, err := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(series))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/mbox")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestFixesAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		e := newEnv(t, engine)
		up, series := gitUpstream(t)
		e.setDeps(func(d *app.Deps) {
			d.Checker = &gitrepo.Checker{Dir: filepath.Join(t.TempDir(), "mirrors"), Sources: map[string]string{"kata-containers": up}}
		})
		own, ownTok := e.user("own@example.org", vmt.RoleReporter)
		rev, revTok := e.user("rev@example.org", vmt.RoleReviewer)
		_, outTok := e.user("out@example.org", vmt.RoleReporter)
		if err := e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: rev.ID(), Role: vmt.MemberReviewer}); err != nil {
			t.Fatal(err)
		}
		r, err := e.svc.CreateReport(ctx, own, vmt.ReportInput{Title: "virtio overflow", Description: "It overflows."})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Subscribe(ctx, e.admin, r.ID, rev.ID()); err != nil {
			t.Fatal(err)
		}
		fixes := "/api/v1/reports/" + strconv.FormatInt(r.ID, 10) + "/fixes"

		code, body := e.postSeries(fixes+"?branch=stable-3.2", ownTok, series)
		var f vmt.Fix
		if code != 201 || json.Unmarshal([]byte(body), &f) != nil || f.Version != 1 || f.Branch != "stable-3.2" ||
			len(f.Subjects) != 1 || f.Subjects[0] != "virtio: bound the queue" || f.SeriesBytes != len(series) || f.Series != "" {
			t.Fatalf("upload: %d %s", code, body)
		}
		// The answer and the lists carry the series' size; its bytes are
		// served alone, as private as the report.
		patch := fixes + "/" + strconv.FormatInt(f.ID, 10) + "/patch"
		if code, body := e.do("GET", patch, ownTok, ""); code != 200 || body != series {
			t.Errorf("the patch as its reporter: %d %.80q", code, body)
		}
		if code, body := e.do("GET", patch, outTok, ""); code != 404 || strings.Contains(body, "virtio") {
			t.Errorf("the patch as an outsider: %d %s", code, body)
		}
		for _, tc := range []struct {
			name, query, token, series string
			code                       int
			msg                        string
		}{
			{"outsider", "?branch=main", outTok, series, 404, "report not found"},
			{"traversal", "?branch=main", ownTok, strings.ReplaceAll(series, "virtio.go", "../../virtio.go"), 400, "leaves the repository"},
			{"binary", "?branch=main", ownTok, series[:100] + "\x00" + series[100:], 400, "NUL byte"},
			{"unknown branch", "?branch=stable-9", ownTok, series, 400, "not a supported branch"},
			{"too large", "?branch=main", ownTok, strings.Repeat("x", vmt.MaxFixSeriesBytes+1), 413, "over 4 MiB"},
		} {
			code, body := e.postSeries(fixes+tc.query, tc.token, tc.series)
			if code != tc.code || !strings.Contains(body, tc.msg) {
				t.Errorf("%s: %d %s, want %d with %q", tc.name, code, body, tc.code, tc.msg)
			}
		}
		if code, body := e.do("GET", fixes, outTok, ""); code != 404 || strings.Contains(body, "virtio") {
			t.Errorf("list as an outsider: %d %s", code, body)
		}
		review := "/api/v1/fixes/" + strconv.FormatInt(f.ID, 10) + "/review"
		for _, tc := range []struct {
			token string
			code  int
		}{{outTok, 404}, {ownTok, 403}, {revTok, 200}} {
			if code, body := e.do("POST", review, tc.token, `{"review":"approved","note":"LGTM"}`); code != tc.code {
				t.Errorf("review: %d %s, want %d", code, body, tc.code)
			}
		}
		code, body = e.do("GET", fixes+"/matrix", ownTok, "")
		var m struct{ Items []vmt.FixRow }
		if code != 200 || json.Unmarshal([]byte(body), &m) != nil || len(m.Items) != 2 || m.Items[0].Branch != "main" ||
			m.Items[0].Fix != nil || m.Items[1].Fix == nil || m.Items[1].Fix.Review != vmt.ReviewApproved {
			t.Errorf("matrix: %d %s", code, body)
		}
		code, body = e.do("GET", fixes, ownTok, "")
		var l struct{ Items []vmt.Fix }
		if code != 200 || json.Unmarshal([]byte(body), &l) != nil || len(l.Items) != 1 ||
			l.Items[0].Review != vmt.ReviewApproved || l.Items[0].ReviewedBy != rev.ID() {
			t.Errorf("list after review: %d %s", code, body)
		}
	})
}
