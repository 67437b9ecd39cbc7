package main

import (
	"context"
	"flag"

	vmthttp "github.com/vmtproject/vmt/http"
)

// tokenGroup holds the token subcommands; each file token_*.go adds one.
var tokenGroup = &group{name: "token", summary: "make, list and revoke API tokens"}

func init() { commands = append(commands, tokenGroup.command()) }

// tokenUser is the --user flag of the token commands: whose tokens.
type tokenUser struct{ user string }

func (u *tokenUser) register(fs *flag.FlagSet) {
	fs.StringVar(&u.user, "user", "", "the user, by email address or id (default: you; others' tokens are for administrators)")
}

// resolve returns the user id the flag names, asking the server who "you"
// are when it is not given.
func (u *tokenUser) resolve(ctx context.Context, c *vmthttp.Client) (int64, error) {
	if u.user != "" {
		return userArg(ctx, c, "user", u.user)
	}
	me, err := c.Me(ctx)
	if err != nil {
		return 0, err
	}
	return me.ID, nil
}
