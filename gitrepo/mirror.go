package gitrepo

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// ErrBranchGone is returned for a branch the mirror does not have, which is
// what a branch deleted upstream becomes after a fetch.
var ErrBranchGone = errors.New("branch not found in the mirror (deleted upstream?)")

// Repo is a bare mirror clone kept by vmt.
type Repo struct {
	dir string
	git runner
}

// Mirror makes a bare mirror clone of src in dir, which must not exist yet.
// src is an https:// or file:// URL or an absolute local path; a URL with
// credentials in it is refused so that none is stored in the mirror's config.
func Mirror(ctx context.Context, src, dir string, opts Options) (*Repo, error) {
	if err := validSource(src); err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("mirror %s: %w", dir, err)
	}
	if _, err := os.Lstat(dir); !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("mirror %s: the directory exists already", dir)
	}
	r := runner{opts: opts}
	if opts.Home == "" {
		r.opts.Home = filepath.Dir(dir)
	}
	if _, err := r.run(ctx, nil, "clone", "--mirror", "--quiet", "--", src, dir); err != nil {
		os.RemoveAll(dir) // a half-made clone is never left behind
		return nil, fmt.Errorf("mirror %s into %s: %w", src, dir, err)
	}
	return Open(dir, opts)
}

// Open returns the mirror in dir, made earlier by Mirror.
func Open(dir string, opts Options) (*Repo, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open mirror %s: %w", dir, err)
	}
	for _, name := range []string{"HEAD", "objects", "refs"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return nil, fmt.Errorf("open mirror %s: not a bare repository: %w", dir, err)
		}
	}
	return &Repo{dir: dir, git: runner{gitDir: dir, opts: opts}}, nil
}

// Dir returns the mirror's directory.
func (r *Repo) Dir() string { return r.dir }

// Fetch brings the mirror up to date with its source; branches deleted there
// are deleted here (--prune), so their Tip becomes ErrBranchGone.
func (r *Repo) Fetch(ctx context.Context) error {
	if _, err := r.git.run(ctx, nil, "fetch", "--prune", "--quiet", "origin"); err != nil {
		return fmt.Errorf("fetch %s: %w", r.dir, err)
	}
	return nil
}

// Branches returns every branch of the mirror with the hash of its tip.
func (r *Repo) Branches(ctx context.Context) (map[string]string, error) {
	out, err := r.git.run(ctx, nil, "for-each-ref", "--format=%(objectname) %(refname)", "refs/heads/")
	if err != nil {
		return nil, fmt.Errorf("list branches of %s: %w", r.dir, err)
	}
	tips := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		hash, ref, ok := strings.Cut(sc.Text(), " ")
		if !ok || !validHash(hash) {
			return nil, fmt.Errorf("list branches of %s: unexpected line %q", r.dir, sc.Text())
		}
		tips[strings.TrimPrefix(ref, "refs/heads/")] = hash
	}
	return tips, sc.Err()
}

// Tip returns the commit hash at the tip of branch, or an error wrapping
// ErrBranchGone if the mirror has no such branch.
func (r *Repo) Tip(ctx context.Context, branch string) (string, error) {
	if err := ValidBranch(branch); err != nil {
		return "", err
	}
	out, err := r.git.run(ctx, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", "refs/heads/"+branch+"^{commit}")
	if exitCode(err) == 1 {
		return "", fmt.Errorf("branch %s of %s: %w", branch, r.dir, ErrBranchGone)
	}
	if err != nil {
		return "", fmt.Errorf("tip of %s in %s: %w", branch, r.dir, err)
	}
	hash := strings.TrimSpace(string(out))
	if !validHash(hash) {
		return "", fmt.Errorf("tip of %s in %s: unexpected output %q", branch, r.dir, hash)
	}
	return hash, nil
}

// validSource accepts an https:// or file:// URL without credentials, or an
// absolute local path; nothing that git could take for an option or for
// another transport.
func validSource(src string) error {
	if src == "" || strings.HasPrefix(src, "-") || strings.ContainsAny(src, "\x00\n\r") {
		return fmt.Errorf("repository %q: not a URL nor an absolute path", src)
	}
	if filepath.IsAbs(src) {
		return nil
	}
	u, err := url.Parse(src)
	if err != nil {
		return fmt.Errorf("repository %q: %w", src, err)
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "file":
		return fmt.Errorf("repository %q: only https:// and file:// URLs or absolute paths are allowed", src)
	case u.User != nil:
		return fmt.Errorf("repository %q: credentials do not belong in the URL", src)
	case u.Scheme == "https" && u.Host == "":
		return fmt.Errorf("repository %q: the URL has no host", src)
	}
	return nil
}
