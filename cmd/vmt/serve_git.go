package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/gitrepo"
)

// gitFlags name the projects' git repositories, which vmt mirrors under
// its data directory to check patches and to track fixes until merged.
type gitFlags struct {
	repos, pushRemotes repoFlag
	every              time.Duration
	checker            *gitrepo.Checker // set by wire when there are repositories
}

func (g *gitFlags) register(fs *flag.FlagSet) {
	fs.Var(&g.repos, "repo", "PROJECT=URL: the git repository of a project (https:// URL or absolute path; an https:// URL is named in the GIT ranges of the OSV exports); repeatable")
	fs.DurationVar(&g.every, "track-every", 15*time.Minute, "how often to fetch the mirrors and look for fixes on their branches")
	fs.Var(&g.pushRemotes, "push-remote", "PROJECT=URL: where the approved fixes of a project are pushed at disclosure, one branch vmt/CVE/BRANCH per supported branch (https:// URL or absolute path; needs --repo for the project); repeatable")
}

// wire gives the service its patch checker and merge tracker, and runs the
// tracking job every g.every until ctx ends. Without --repo it does nothing.
// deps gives d the checker and the merge tracker of the project
// repositories, when there are any.
func (g *gitFlags) deps(d *app.Deps, dataDir string) {
	if len(g.repos) == 0 {
		return
	}
	checker := &gitrepo.Checker{Dir: filepath.Join(dataDir, "mirrors"), Sources: g.repos}
	g.checker = checker
	d.Checker, d.Tracker = checker, &gitrepo.Merges{Checker: checker}
	// The OSV export names a repository anyone can clone in its GIT
	// ranges: an https:// URL. An absolute path is a copy on this
	// machine, which means nothing to a consumer, so it names none.
	for project, url := range g.repos {
		if strings.HasPrefix(url, "https://") {
			if d.Repositories == nil {
				d.Repositories = map[string]string{}
			}
			d.Repositories[project] = url
		}
	}
}

// track looks for fixes on their branches every g.every until ctx ends,
// when there are repositories or a forge, whose merged pull requests
// count (app/forge_hour.go: only for the projects that enabled one).
func (g *gitFlags) track(ctx context.Context, svc *app.Service, log *slog.Logger) {
	if len(g.repos) == 0 && svc.Deps().Forge == nil {
		return
	}
	go func() {
		t := time.NewTicker(g.every)
		defer t.Stop()
		for {
			if err := svc.TrackFixes(ctx); err != nil && ctx.Err() == nil {
				log.Warn("merge tracking", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

type repoFlag map[string]string

func (r *repoFlag) String() string { return fmt.Sprint(map[string]string(*r)) }

func (r *repoFlag) Set(v string) error {
	name, url, ok := strings.Cut(v, "=")
	if !ok || name == "" || url == "" {
		return fmt.Errorf("%q is not PROJECT=URL", v)
	}
	if *r == nil {
		*r = repoFlag{}
	}
	(*r)[name] = url
	return nil
}

// wirePush gives the service its pusher and the worker the handler of push
// items, when --push-remote is given. A remote of a project without a
// repository, or that git would not take, stops the server now rather than
// fail at the first disclosure.
// pusher returns the pusher of the --push-remote flags, nil without any.
// A remote needs the project's --repo, whose mirror the series are
// applied on, and a URL git takes without credentials.
func (g *gitFlags) pusher() (*gitrepo.Pusher, error) {
	if len(g.pushRemotes) == 0 {
		return nil, nil
	}
	for project, remote := range g.pushRemotes {
		if _, ok := g.repos[project]; !ok {
			return nil, fmt.Errorf("--push-remote %s: no --repo for project %s, whose mirror the fixes are applied on", project, project)
		}
		if err := gitrepo.ValidRemote(remote); err != nil {
			return nil, fmt.Errorf("--push-remote %s: %w", project, err)
		}
	}
	return &gitrepo.Pusher{Checker: g.checker, Remotes: g.pushRemotes}, nil
}
