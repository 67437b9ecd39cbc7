package gitrepo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMirrorFetchAndBranchGone(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	repo := f.up.mirror()
	tips, err := repo.Branches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(tips) != 3 || tips["master"] != f.up.git("rev-parse", "master") || tips["stable-1"] == "" || tips["topic"] == "" {
		t.Fatalf("branches = %v", tips)
	}
	f.up.write("src/c.go", "c\n")
	newTip := f.up.commit("c")
	f.up.git("branch", "-D", "stable-1")
	if err := repo.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	if tip, err := repo.Tip(ctx, "master"); err != nil || tip != newTip {
		t.Errorf("Tip(master) = %q, %v; want %s", tip, err, newTip)
	}
	if tip, err := repo.Tip(ctx, "stable-1"); !errors.Is(err, ErrBranchGone) || tip != "" {
		t.Errorf("Tip(stable-1) after its deletion = %q, %v; want ErrBranchGone", tip, err)
	}
	if _, err := repo.Tip(ctx, "--upload-pack=touch /tmp/x"); err == nil || errors.Is(err, ErrBranchGone) {
		t.Errorf("Tip of an option-like name = %v, want a refusal of the name", err)
	}
	reopened, err := Open(repo.Dir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tip, err := reopened.Tip(ctx, "master"); tip != newTip || err != nil {
		t.Errorf("reopened Tip(master) = %q, %v", tip, err)
	}
}

func TestMirrorRefusesBadSources(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	base := t.TempDir()
	for i, src := range []string{
		"", "-uhack", "relative/path", "ssh://example.org/x.git", "git://example.org/x.git",
		"ext::sh -c touch% /tmp/pwned", "https://user:secret@example.org/x.git", "https:///x.git", "http://example.org/x.git",
	} {
		dir := filepath.Join(base, itoa(i))
		if _, err := Mirror(ctx, src, dir, Options{}); err == nil {
			t.Errorf("Mirror(%q) succeeded", src)
		}
		if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("Mirror(%q) left %s behind", src, dir)
		}
	}
	// A transport the options do not allow is refused by git itself.
	dir := filepath.Join(base, "https-only")
	_, err := Mirror(ctx, f.up.dir, dir, Options{Protocols: []string{"https"}})
	if err == nil || !strings.Contains(err.Error(), "transport 'file' not allowed") {
		t.Errorf("Mirror of a local path with https only = %v, want git's refusal", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed Mirror left %s behind", dir)
	}
	existing := t.TempDir()
	if _, err := Mirror(ctx, f.up.dir, existing, Options{}); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("Mirror into an existing directory = %v", err)
	}
	if _, err := Open(existing, Options{}); err == nil {
		t.Error("Open of an empty directory succeeded")
	}
}

func TestValidBranch(t *testing.T) {
	for _, name := range []string{"master", "stable/3.2", "stable-3.2", "release_1+x"} {
		if err := ValidBranch(name); err != nil {
			t.Errorf("ValidBranch(%q) = %v", name, err)
		}
	}
	for _, name := range []string{"", "-x", "/x", "x/", "a..b", "a//b", "x@{1}", "x.lock", "x.", "HEAD", ".hidden", "a/.b", "a b", "a:b", "a~1", "a^", "a\x00"} {
		if err := ValidBranch(name); err == nil {
			t.Errorf("ValidBranch(%q) = nil, want an error", name)
		}
	}
}
