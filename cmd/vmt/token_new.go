package main

import (
	"context"
	"fmt"
)

func init() {
	tokenGroup.add(&command{name: "new", summary: "make an API token and print its secret, once", run: tokenNew})
}

func tokenNew(ctx context.Context, e *env, args []string) error {
	const use = "--name N [--user USER]"
	fs := newFlags(e, "token new", use)
	var af apiFlags
	af.register(fs)
	var tu tokenUser
	tu.register(fs)
	name := fs.String("name", "", "what the token is for, e.g. \"ci\" (required)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "token new "+use); err != nil {
		return err
	}
	if *name == "" {
		return usagef("--name is required")
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	uid, err := tu.resolve(ctx, c)
	if err != nil {
		return err
	}
	t, err := c.CreateToken(ctx, uid, *name)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, t)
	}
	// The secret alone goes to standard output, so that
	// TOKEN=$(vmt token new --name ci) works; the advice goes to stderr.
	fmt.Fprintf(e.stderr, "Created token %d %q for user %d. This is the only time its secret is shown:\n", t.ID, t.Name, t.UserID)
	fmt.Fprintln(e.stdout, t.Secret)
	return nil
}
