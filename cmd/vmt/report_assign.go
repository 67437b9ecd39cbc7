package main

import (
	"context"
)

func init() {
	reportGroup.add(&command{name: "assign", summary: "make a VMT member the coordinator of a report (0 unassigns)", run: reportAssign})
}

func reportAssign(ctx context.Context, e *env, args []string) error {
	const use = "ID USER   (USER: an email address or a user id; 0 unassigns)"
	var af apiFlags
	fs := reportFlags(e, "assign", use, &af)
	id, pos, err := reportArgs(fs, args, 2, "assign", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	var uid int64
	if pos[1] != "0" {
		if uid, err = userArg(ctx, c, "user", pos[1]); err != nil {
			return err
		}
	}
	v, err := c.Assign(ctx, id, uid)
	if err != nil {
		return err
	}
	return reportOut(e, &af, v)
}
