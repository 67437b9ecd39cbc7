package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestLoginSavesConfig(t *testing.T) {
	s := newAPIServer(t)
	u := newCLIUser(t)
	out := u.ok("login", "--server", s.url+"/", "--token", s.adminToken)
	if want := "Signed in to " + s.url + " as Administrator <admin@example.org> (user 1, admin)."; !strings.HasPrefix(out, want) {
		t.Errorf("login printed %q, want it to start with %q", out, want)
	}
	path := filepath.Join(u.env["XDG_CONFIG_HOME"], "vmt", "config.json")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("config mode %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(filepath.Dir(path)); di.Mode().Perm() != 0o700 {
		t.Errorf("config dir mode %v, want 0700", di.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	var cfg cliConfig
	if err := json.Unmarshal(b, &cfg); err != nil || cfg.Server != s.url || cfg.Token != s.adminToken {
		t.Errorf("config %s (%v), want the server without its trailing slash and the token", b, err)
	}
	if !strings.Contains(u.ok("user", "list"), "admin@example.org") {
		t.Error("a command after login does not use the saved server and token")
	}

	out = u.ok("logout")
	if !strings.Contains(out, "Signed out") {
		t.Errorf("logout printed %q", out)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("config still there after logout: %v", err)
	}
	if out := u.ok("logout"); out != "Not signed in.\n" {
		t.Errorf("second logout printed %q", out)
	}
	u.fails(exitAuth, "vmt report: no server: run 'vmt login", "report", "list")
}

func TestLoginTokenSources(t *testing.T) {
	s := newAPIServer(t)
	tests := []struct {
		name  string
		stdin string
		env   map[string]string
		args  []string
		code  int
		want  string // in stdout on success, in stderr on failure
	}{
		{"flag", "", nil, []string{"--server", s.url, "--token", s.adminToken}, 0, "as Administrator"},
		{"stdin", s.adminToken + "\n", nil, []string{"--server", s.url, "--token", "-"}, 0, "as Administrator"},
		{"env", "", map[string]string{"VMT_SERVER": s.url, "VMT_TOKEN": s.adminToken}, nil, 0, "as Administrator"},
		{"wrong token", "", nil, []string{"--server", s.url, "--token", "vmt_wrongwrongwrongwrongwrong"}, exitAuth, "vmt login: invalid token"},
		{"no token", "", nil, []string{"--server", s.url}, exitUsage, "give the token with --token"},
		{"empty stdin", "", nil, []string{"--server", s.url, "--token", "-"}, exitUsage, "no token on standard input"},
		{"no server", "", nil, []string{"--token", s.adminToken}, exitUsage, "--server is required"},
		{"not a URL", "", nil, []string{"--server", "ftp://x", "--token", s.adminToken}, exitUsage, "not an http:// or https:// URL"},
		{"extra argument", "", nil, []string{"--server", s.url, "--token", s.adminToken, "extra"}, exitUsage, "usage: vmt login"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := newCLIUser(t)
			for k, v := range tt.env {
				u.env[k] = v
			}
			r := u.vmt(tt.stdin, append([]string{"login"}, tt.args...)...)
			got := r.stdout
			if tt.code != 0 {
				got = r.stderr
			}
			if r.code != tt.code || !strings.Contains(got, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", r.code, r.stdout, r.stderr, tt.code, tt.want)
			}
			_, err := os.Stat(filepath.Join(u.env["XDG_CONFIG_HOME"], "vmt", "config.json"))
			if saved := err == nil; saved != (tt.code == 0) {
				t.Errorf("config saved: %v, want %v", saved, tt.code == 0)
			}
		})
	}
}

// TestConfigPrecedence checks that flags beat the environment, which beats
// the saved configuration.
func TestConfigPrecedence(t *testing.T) {
	s := newAPIServer(t)
	u := newCLIUser(t)
	u.login(s, s.adminToken)
	u.env["VMT_TOKEN"] = "vmt_wrongwrongwrongwrongwrong"
	u.fails(exitAuth, "vmt user: invalid token", "user", "list")
	if out := u.ok("user", "list", "--token", s.adminToken); !strings.Contains(out, "admin@example.org") {
		t.Errorf("--token did not override VMT_TOKEN: %q", out)
	}
	delete(u.env, "VMT_TOKEN")
	u.env["VMT_SERVER"] = "http://127.0.0.1:1" // nothing listens there
	r := u.vmt("", "user", "list")
	if r.code != exitError || !strings.Contains(r.stderr, "127.0.0.1:1") {
		t.Errorf("VMT_SERVER not used: exit %d, stderr %q", r.code, r.stderr)
	}
	if out := u.ok("user", "list", "--server", s.url); !strings.Contains(out, "admin@example.org") {
		t.Errorf("--server did not override VMT_SERVER: %q", out)
	}
}

func TestUserConfigDir(t *testing.T) {
	switch runtime.GOOS {
	case "windows", "darwin", "ios":
		t.Skip("the XDG layout is for the other systems")
	}
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_CONFIG_HOME": "/x/config", "HOME": "/home/a"}, "/x/config/vmt/config.json"},
		{map[string]string{"XDG_CONFIG_HOME": "relative", "HOME": "/home/a"}, "/home/a/.config/vmt/config.json"},
		{map[string]string{"HOME": "/home/a"}, "/home/a/.config/vmt/config.json"},
		{map[string]string{}, ""},
	}
	for _, tt := range tests {
		e := &env{getenv: func(k string) string { return tt.env[k] }}
		got, err := configPath(e)
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("configPath(%v) = %q, %v; want %q", tt.env, got, err, tt.want)
		}
	}
}
