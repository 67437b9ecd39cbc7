package main

import (
	"flag"
	"io"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// --push-remote: a remote needs the project's --repo (its mirror is where
// the series are applied) and a URL git takes without credentials; a good
// one gives the service its pusher and the worker the push handler.
func TestPushRemoteFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"--push-remote", "p=/srv/git/review.git"}, "no --repo for project p"},
		{[]string{"--repo", "p=/srv/git/p.git", "--push-remote", "p=ssh://example.org/p.git"}, "only https:// and file://"},
		{[]string{"--repo", "p=/srv/git/p.git", "--push-remote", "p=https://bot:secret@example.org/p.git"}, "credentials"},
		{[]string{"--repo", "p=/srv/git/p.git", "--push-remote", "p=-oProxyCommand=x"}, "not a URL"},
		{[]string{"--repo", "p=/srv/git/p.git", "--push-remote", "p=/srv/git/review.git"}, ""},
	} {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var g gitFlags
		g.register(fs)
		var m mailFlags
		m.register(fs)
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		svc, w, err := wire(&env{getenv: func(string) string { return "" }}, testDeps(), &g, &m, t.TempDir(), "127.0.0.1:8080")
		var pusher vmt.FixPusher
		if svc != nil {
			pusher = svc.Deps().Pusher
		}
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%v: %v, want %q", tc.args, err, tc.err)
		case tc.err != "" && (svc != nil || w != nil):
			t.Errorf("%v: refused, but wired", tc.args)
		case tc.err == "" && (err != nil || pusher == nil || w.Handlers[vmt.KindPush] == nil || !pusher.Pushes("p")):
			t.Errorf("%v: %v, pusher %v", tc.args, err, pusher)
		}
	}
}
