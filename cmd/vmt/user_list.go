package main

import (
	"context"
	"strconv"
)

func init() {
	userGroup.add(&command{name: "list", summary: "list every user", run: userList})
}

func userList(ctx context.Context, e *env, args []string) error {
	const use = "[--json]"
	fs := newFlags(e, "user list", use)
	var af apiFlags
	af.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "user list "+use); err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	us, err := c.Users(ctx)
	if err != nil {
		return err
	}
	if af.json {
		return emitList(e.stdout, us)
	}
	t := newTable(e.stdout, "ID", "EMAIL", "NAME", "ROLE", "STATE", "CREATED")
	for _, u := range us {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		t.row(strconv.FormatInt(u.ID, 10), u.Email, u.Name, string(u.Role), state, when(u.CreatedAt))
	}
	return t.flush()
}
