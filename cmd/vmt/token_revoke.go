package main

import (
	"context"
	"fmt"
)

func init() {
	tokenGroup.add(&command{name: "revoke", summary: "revoke an API token", run: tokenRevoke})
}

func tokenRevoke(ctx context.Context, e *env, args []string) error {
	const use = "ID [--user USER]"
	fs := newFlags(e, "token revoke", use)
	var af apiFlags
	af.registerConn(fs)
	var tu tokenUser
	tu.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "token revoke "+use); err != nil {
		return err
	}
	id, err := parseID("token", pos[0])
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	uid, err := tu.resolve(ctx, c)
	if err != nil {
		return err
	}
	if err := c.DeleteToken(ctx, uid, id); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Revoked token %d of user %d.\n", id, uid)
	return nil
}
