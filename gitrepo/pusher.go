package gitrepo

import (
	"context"
	"errors"
	"fmt"

	"github.com/vmtproject/vmt"
)

// Pusher is the vmt.FixPusher over a Checker's mirrors: it pushes a
// report's approved series, at disclosure, to the project's push remote.
type Pusher struct {
	Checker *Checker          // its mirror of the project, fetched before each push
	Remotes map[string]string // project name → https URL, file:// URL or absolute path
	// Auth, when set, gives the credentials of a push: those of the
	// project's forge when the remote is its repository (ok false: none).
	Auth func(ctx context.Context, project, remote string) (user, password string, ok bool, err error)
}

var _ vmt.FixPusher = (*Pusher)(nil)

// Pushes reports whether project has a push remote.
func (p *Pusher) Pushes(project string) bool {
	_, ok := p.Remotes[project]
	return ok
}

// PushFixes applies the series, in order, on the current tip of branch and
// pushes the commits to the project's remote as target. A series that no
// longer parses or applies, and a branch gone upstream, are EINVALID.
func (p *Pusher) PushFixes(ctx context.Context, proj *vmt.Project, branch, target string, series []string) (string, error) {
	remote, ok := p.Remotes[proj.Name]
	if !ok {
		return "", vmt.Invalid("project", "no push remote is configured for project %s", proj.Name)
	}
	lim := p.Checker.limits()
	all := &Series{}
	for _, text := range series {
		s, err := ParseSeries([]byte(text), lim)
		if err != nil {
			return "", err
		}
		all.Patches = append(all.Patches, s.Patches...)
	}
	repo, err := p.Checker.mirror(ctx, proj.Name)
	if err != nil {
		return "", err
	}
	var auth HTTPAuth
	if p.Auth != nil {
		user, password, ok, err := p.Auth(ctx, proj.Name, remote)
		if err != nil {
			return "", fmt.Errorf("credentials to push to %s: %w", remote, err)
		}
		if ok {
			auth = HTTPAuth{User: user, Password: password}
		}
	}
	head, err := repo.PushSeries(ctx, branch, all, remote, target, auth)
	if errors.Is(err, ErrBranchGone) {
		return "", vmt.Invalid("branch", "branch %q is not in the repository of %s (deleted upstream?)", branch, proj.Name)
	}
	return head, err
}

// ValidRemote checks a push remote as PushSeries would: an https:// or
// file:// URL without credentials, or an absolute path.
func ValidRemote(remote string) error { return validSource(remote) }
