package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/vmtproject/vmt"
)

func init() {
	userGroup.add(&command{name: "invite", summary: "invite someone by email: a one-time link that proves the address and sets a password", run: userInvite})
}

func userInvite(ctx context.Context, e *env, args []string) error {
	const use = "EMAIL --role R [--name N]\n\nexample: vmt user invite carol@example.org --role vmt --name 'Carol C.'"
	fs := newFlags(e, "user invite", use)
	var af apiFlags
	af.register(fs)
	var in vmt.UserInput
	role := fs.String("role", "", "admin, vmt, reviewer, committee, reporter or stakeholder (required)")
	fs.StringVar(&in.Name, "name", "", "full name")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "user invite "+use); err != nil {
		return err
	}
	if *role == "" {
		return usagef("--role is required")
	}
	in.Email, in.Role = pos[0], vmt.Role(strings.ToLower(*role))
	c, err := af.client(e)
	if err != nil {
		return err
	}
	inv, err := c.InviteUser(ctx, in)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, inv)
	}
	fmt.Fprintf(e.stdout, "Invited %s as %s (user %d): the link is mailed to the address and works once, until %s.\n",
		who(inv.User.Name, inv.User.Email), inv.User.Role, inv.User.ID, when(inv.Link.ExpiresAt))
	return nil
}
