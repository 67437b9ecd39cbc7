package main

import (
	"context"
	"strconv"
)

func init() {
	tokenGroup.add(&command{name: "list", summary: "list a user's API tokens (never their secrets)", run: tokenList})
}

func tokenList(ctx context.Context, e *env, args []string) error {
	const use = "[--user USER] [--json]"
	fs := newFlags(e, "token list", use)
	var af apiFlags
	af.register(fs)
	var tu tokenUser
	tu.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "token list "+use); err != nil {
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
	ts, err := c.Tokens(ctx, uid)
	if err != nil {
		return err
	}
	if af.json {
		return emitList(e.stdout, ts)
	}
	t := newTable(e.stdout, "ID", "NAME", "USER", "CREATED")
	for _, tk := range ts {
		t.row(strconv.FormatInt(tk.ID, 10), tk.Name, strconv.FormatInt(tk.UserID, 10), when(tk.CreatedAt))
	}
	return t.flush()
}
