package main

import (
	"flag"
	"io"
	"testing"
	"time"
)

func TestGitFlags(t *testing.T) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var g gitFlags
	g.register(fs)
	err := fs.Parse([]string{"--repo", "kata-containers=https://github.com/kata-containers/kata-containers.git",
		"--repo", "other=/srv/git/other.git", "--track-every", "1m"})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.repos) != 2 || g.repos["other"] != "/srv/git/other.git" || g.every != time.Minute {
		t.Errorf("parsed %v every %v", g.repos, g.every)
	}
	for _, bad := range []string{"no-equals", "=https://x", "name="} {
		if err := fs.Parse([]string{"--repo", bad}); err == nil {
			t.Errorf("--repo %q accepted", bad)
		}
	}
}
