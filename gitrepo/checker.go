package gitrepo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/vmtproject/vmt"
)

// Checker is the vmt.FixChecker of the service: it keeps one mirror per
// project in Dir (made from Sources on first use, fetched before each
// check, so a series is checked against the branch's current tip), parses
// the series and checks that it applies.
type Checker struct {
	Dir     string            // mirrors live in Dir/<project>.git
	Sources map[string]string // project name → https URL or absolute path
	Options Options
	Limits  Limits // zero: DefaultLimits

	mu sync.Mutex // one mirror operation at a time per Checker
}

var (
	_ vmt.FixChecker       = (*Checker)(nil)
	_ vmt.RepositoryKnower = (*Checker)(nil)
)

// HasRepository says whether the checker has a repository of project,
// for the setup checklist.
func (c *Checker) HasRepository(project string) bool {
	_, ok := c.Sources[project]
	return ok
}

// CheckSeries parses series and checks it against branch of the project's
// mirror, returning the subject of each patch and the tip it applied to. A malformed, hostile or
// non-applying series, a project without a repository and a branch absent
// upstream are EINVALID *vmt.Errors; failing to reach the repository is an
// internal error.
func (c *Checker) CheckSeries(ctx context.Context, p *vmt.Project, branch string, series []byte) (vmt.SeriesCheck, error) {
	s, err := ParseSeries(series, c.limits())
	if err != nil {
		return vmt.SeriesCheck{}, err
	}
	repo, err := c.mirror(ctx, p.Name)
	if err != nil {
		return vmt.SeriesCheck{}, err
	}
	tip, err := repo.checkTip(ctx, branch, s)
	if errors.Is(err, ErrBranchGone) {
		return vmt.SeriesCheck{}, vmt.Invalid("branch", "branch %q is not in the repository of %s", branch, p.Name)
	} else if err != nil {
		return vmt.SeriesCheck{}, err
	}
	subjects := make([]string, len(s.Patches))
	for i, patch := range s.Patches {
		subjects[i] = patch.Subject
	}
	return vmt.SeriesCheck{Subjects: subjects, Base: tip}, nil
}

// limits are c.Limits, or DefaultLimits when zero.
func (c *Checker) limits() Limits {
	if c.Limits == (Limits{}) {
		return DefaultLimits
	}
	return c.Limits
}

// mirror returns the project's mirror, fetched now, making it if needed.
func (c *Checker) mirror(ctx context.Context, project string) (*Repo, error) {
	src, ok := c.Sources[project]
	if !ok {
		return nil, vmt.Invalid("series", "no git repository is configured for project %s", project)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	dir := filepath.Join(c.Dir, project+".git")
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(c.Dir, 0o700); err != nil {
			return nil, fmt.Errorf("mirror of %s: %w", project, err)
		}
		return Mirror(ctx, src, dir, c.Options)
	}
	repo, err := Open(dir, c.Options)
	if err != nil {
		return nil, err
	}
	return repo, repo.Fetch(ctx)
}
