package gitrepo

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/vmtproject/vmt"
)

// Check verifies that the series applies cleanly, patch after patch, to the
// tip of branch. It returns an error wrapping ErrBranchGone for a branch the
// mirror lacks, and an EINVALID *vmt.Error carrying git's reason for a patch
// that does not apply.
//
// git works on a temporary index (read-tree of the tip) and writes the blobs
// it makes to a temporary object directory, with the mirror's objects as
// alternates: the mirror's refs, objects and config are untouched and no work
// tree exists, so nothing can be written outside the temporary directory.
func (r *Repo) Check(ctx context.Context, branch string, s *Series) error {
	_, err := r.checkTip(ctx, branch, s)
	return err
}

// checkTip is Check, and returns the tip the series applied to.
func (r *Repo) checkTip(ctx context.Context, branch string, s *Series) (string, error) {
	tip, err := r.Tip(ctx, branch)
	if err != nil {
		return "", err
	}
	g, done, err := r.scratch("vmt-check-")
	if err != nil {
		return "", fmt.Errorf("check patches on %s: %w", branch, err)
	}
	defer done()
	return tip, applySeries(ctx, g, tip, branch, s, "check patches", nil)
}

// applySeries reads tip into g's index and applies the series to it patch
// after patch, calling after (when not nil) once each patch is applied. what
// names the work in the error of a failed read-tree.
func applySeries(ctx context.Context, g runner, tip, branch string, s *Series, what string, after func(i int, p Patch) error) error {
	if _, err := g.run(ctx, nil, "read-tree", tip); err != nil {
		return fmt.Errorf("%s on %s: %w", what, branch, err)
	}
	for i, p := range s.Patches {
		if _, err := g.run(ctx, strings.NewReader(p.Diff), "apply", "--cached", "--whitespace=nowarn"); err != nil {
			return notApplied(err, i+1, len(s.Patches), p.Subject, branch, tip)
		}
		if after != nil {
			if err := after(i, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// scratch makes a temporary directory (named after prefix) and returns a
// runner whose index and new objects live there, with the mirror's objects
// as alternates, and the function that removes the directory.
func (r *Repo) scratch(prefix string) (runner, func(), error) {
	tmp, err := os.MkdirTemp("", prefix)
	if err != nil {
		return runner{}, nil, err
	}
	done := func() { os.RemoveAll(tmp) }
	if err := os.Mkdir(filepath.Join(tmp, "objects"), 0o700); err != nil {
		done()
		return runner{}, nil, err
	}
	g := r.git
	g.env = []string{
		"GIT_INDEX_FILE=" + filepath.Join(tmp, "index"),
		"GIT_OBJECT_DIRECTORY=" + filepath.Join(tmp, "objects"),
		"GIT_ALTERNATE_OBJECT_DIRECTORIES=" + filepath.Join(r.dir, "objects"),
	}
	return g, done, nil
}

// notApplied turns git apply's failure into the caller's error, with git's
// own reason; a timeout or a missing git stays an internal error.
func notApplied(err error, n, of int, subject, branch, tip string) error {
	ge, ok := err.(*gitError)
	if !ok || exitCode(ge.err) < 0 {
		return fmt.Errorf("apply patch %d of %d on %s: %w", n, of, branch, err)
	}
	return vmt.Invalid("patch", "patch %d of %d (%q) does not apply to %s at %.12s: %s", n, of, subject, branch, tip, ge.stderr)
}
