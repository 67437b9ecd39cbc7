package gitrepo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGitIgnoresTheHostEnvironment: git variables, a global config and an
// external diff program set for the vmt process reach no git call; a run
// of every operation leaves the program's marker file unwritten.
func TestGitIgnoresTheHostEnvironment(t *testing.T) {
	ctx := context.Background()
	f := newTrackFixture(t)
	marker := filepath.Join(t.TempDir(), "ran")
	evil := filepath.Join(t.TempDir(), "evil.sh")
	if err := os.WriteFile(evil, []byte("#!/bin/sh\ntouch "+marker+"\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	global := filepath.Join(t.TempDir(), "gitconfig")
	config := "[diff]\n\texternal = " + evil + "\n[core]\n\thooksPath = /nonexistent\n\tpager = " + evil + "\n[protocol]\n\tallow = always\n"
	if err := os.WriteFile(global, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"GIT_DIR": "/nonexistent", "GIT_INDEX_FILE": "/nonexistent/index", "GIT_EXTERNAL_DIFF": evil,
		"GIT_CONFIG_GLOBAL": global, "GIT_CONFIG_PARAMETERS": "'diff.external'='" + evil + "'",
		"GIT_PAGER": evil, "GIT_SSH_COMMAND": evil, "GIT_ALLOW_PROTOCOL": "ext",
	} {
		t.Setenv(k, v)
	}
	repo := f.up.mirror()
	if err := repo.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := ParseSeries([]byte(f.series), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.Check(ctx, "stable-4", s); err != nil {
		t.Errorf("Check: %v", err)
	}
	results, err := NewTracker(repo, Range{}).Evaluate(ctx, []string{"master"}, []Fix{NewFix("series", s)})
	if err != nil || results[0].State != Merged {
		t.Errorf("Evaluate = %+v, %v", results, err)
	}
	if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
		t.Error("a program from the host environment ran")
	}
}

// TestGitDeadline: every call is bounded by Options.Timeout.
func TestGitDeadline(t *testing.T) {
	f := newFixture(t)
	repo, err := Open(f.up.mirror().Dir(), Options{Timeout: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = repo.Branches(context.Background())
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "for-each-ref") {
		t.Errorf("Branches with a 1ns deadline = %v, want a deadline error", err)
	}
}
