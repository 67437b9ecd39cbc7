package main

import (
	"context"
	"strings"

	vmthttp "github.com/vmtproject/vmt/http"
)

func init() {
	userGroup.add(&command{name: "github-login", summary: "show or set your GitHub login (collaborator on the advisories of reports you are let in to)", run: userGitHubLogin})
}

// userGitHubLogin shows the GitHub logins of the caller's account, or
// sets its one: with it, a report the account is let in to has it as a
// collaborator on its draft advisory on GitHub.
func userGitHubLogin(ctx context.Context, e *env, args []string) error {
	const use = "[--user ID] [LOGIN]\n\nWithout LOGIN it shows your GitHub login. An administrator links one (LOGIN, with\n" +
		"--user for another account; --clear takes it off): a login lets its holder read embargoed\n" +
		"advisories on GitHub, and vmt cannot prove whose it is, so it is never set on its holder's word.\n\n" +
		"example: vmt user github-login --user 12 octocat"
	fs := newFlags(e, "user github-login", use)
	var af apiFlags
	af.register(fs)
	clear := fs.Bool("clear", false, "take your GitHub login off")
	user := fs.Int64("user", 0, "the account (administrators): with LOGIN or --clear")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 || len(pos) == 1 && *clear {
		return usagef("user github-login takes one LOGIN, or --clear")
	}
	if *user != 0 && len(pos) == 0 && !*clear {
		return usagef("with --user give LOGIN or --clear")
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	var ls *vmthttp.ForgeLogins
	switch {
	case *user != 0 && len(pos) == 1:
		ls, err = c.SetForgeLogin(ctx, *user, pos[0])
	case *user != 0:
		ls, err = c.SetForgeLogin(ctx, *user, "")
	case len(pos) == 1:
		ls, err = c.SetOwnForgeLogin(ctx, pos[0])
	case *clear:
		ls, err = c.SetOwnForgeLogin(ctx, "")
	default:
		ls, err = c.OwnForgeLogins(ctx)
	}
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, ls)
	}
	return fields(e.stdout, "github_login", firstOf(strings.Join(ls.Logins, ", "), "(none)"))
}
