package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/schematest"
)

// zeros is an endless standard input, as `vmt ... -` fed from /dev/zero.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestFileFlagsHaveTheServersLimit runs every command flag that reads a
// file with /dev/zero (an endless file, under the names the commands
// want), and with "-" on an endless standard input: each must end
// promptly, refusing the file with the server's limit for its field,
// instead of growing until the kernel kills it.
func TestFileFlagsHaveTheServersLimit(t *testing.T) {
	s := newAPIServer(t)
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	var rep struct{ ID int64 }
	if err := json.Unmarshal([]byte(admin.ok("report", "new", "--title", "Escape", "--description", "Steps.", "--json")), &rep); err != nil || rep.ID == 0 {
		t.Fatalf("report new: %v", err)
	}
	id := strconv.FormatInt(rep.ID, 10)
	dir := t.TempDir()
	zero := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.Symlink("/dev/zero", p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	zjson, zyaml, zasc := zero("zero.json"), zero("zero.yaml"), zero("zero.asc")
	doc, err := json.Marshal(schematest.Advisory())
	if err != nil {
		t.Fatal(err)
	}
	adv := filepath.Join(dir, "advisory.json")
	if err := os.WriteFile(adv, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		lim  int
		what string
	}{
		{[]string{"report", "new", "--title", "T", "--description-file", "/dev/zero"}, vmt.MaxDescriptionBytes, "a description"},
		{[]string{"report", "new", "--title", "T", "--description-file", "-"}, vmt.MaxDescriptionBytes, "a description"},
		{[]string{"report", "edit", id, "--description-file", "/dev/zero"}, vmt.MaxDescriptionBytes, "a description"},
		{[]string{"report", "edit", id, "--impact-file", "/dev/zero"}, vmt.MaxImpactBytes, "an impact description"},
		{[]string{"report", "comment", id, "--body-file", "/dev/zero"}, vmt.MaxCommentBytes, "a comment"},
		{[]string{"report", "comment", id, "--body-file", "-"}, vmt.MaxCommentBytes, "a comment"},
		{[]string{"report", "fix-attach", id, "--branch", "main", "--series-file", "/dev/zero"}, vmt.MaxFixSeriesBytes, "a patch series"},
		{[]string{"report", "fix-attach", id, "--branch", "main", "--series-file", "-"}, vmt.MaxFixSeriesBytes, "a patch series"},
		{[]string{"advisory", "draft", id, zjson}, vmthttp.MaxBodyBytes, "a request body"},
		{[]string{"advisory", "import", "--project", "kata-containers", zjson}, vmthttp.MaxBodyBytes, "a request body"},
		{[]string{"advisory", "import", "--local", zyaml}, vmthttp.MaxBodyBytes, "a request body"},
		{[]string{"advisory", "export", "--format", "osv", zjson}, vmthttp.MaxBodyBytes, "a request body"},
		{[]string{"advisory", "render", zjson}, vmthttp.MaxBodyBytes, "a request body"},
		{[]string{"advisory", "render", "--template-file", "/dev/zero", adv}, vmt.MaxTemplateBytes, "a template"},
		{[]string{"advisory", "cve-form", zjson}, vmthttp.MaxBodyBytes, "a request body"},
		{[]string{"advisory", "cve-form", "--key-file", "/dev/zero", adv}, vmt.MaxPublicKeyBytes, "an OpenPGP key"},
		{[]string{"project", "template", "set", "kata-containers", "advisory", "-f", "/dev/zero"}, vmt.MaxTemplateBytes, "a template"},
		{[]string{"user", "key", zasc}, vmt.MaxPublicKeyBytes, "an OpenPGP key"},
		{[]string{"user", "key", "-"}, vmt.MaxPublicKeyBytes, "an OpenPGP key"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			file := tc.args[len(tc.args)-1]
			for i, a := range tc.args {
				if a == "/dev/zero" || a == "-" {
					file = a
				} else if strings.HasPrefix(a, dir) && a != adv {
					file = tc.args[i]
				}
			}
			want := file + ": larger than " + strconv.Itoa(tc.lim) + " bytes (the server's limit for " + tc.what + ")"
			r := runWithin(t, admin, 20*time.Second, tc.args...)
			if r.code == 0 || !strings.Contains(r.stderr, want) {
				t.Errorf("exit %d, stderr %q; want an error %q", r.code, r.stderr, want)
			}
		})
	}
	// The CLI's own configuration file too.
	u := newCLIUser(t)
	cfg := filepath.Join(u.env["XDG_CONFIG_HOME"], "vmt")
	if err := os.MkdirAll(cfg, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(cfg, "config.json")); err != nil {
		t.Fatal(err)
	}
	if r := runWithin(t, u, 20*time.Second, "report", "list"); r.code == 0 || !strings.Contains(r.stderr, "config.json: larger than 65536 bytes") {
		t.Errorf("a config file of /dev/zero: exit %d, stderr %q", r.code, r.stderr)
	}
}

// runWithin runs the command with an endless standard input and fails the
// test if it has not ended within d.
func runWithin(t *testing.T, u *cliUser, d time.Duration, args ...string) result {
	t.Helper()
	done := make(chan result, 1)
	go func() {
		var out, errb strings.Builder
		e := &env{stdin: io.Reader(zeros{}), stdout: &out, stderr: &errb, getenv: func(k string) string { return u.env[k] }}
		code := run(t.Context(), e, args)
		done <- result{code, out.String(), errb.String()}
	}()
	select {
	case r := <-done:
		return r
	case <-time.After(d):
		t.Fatalf("vmt %s did not end within %s", strings.Join(args, " "), d)
		return result{}
	}
}
