package main

import (
	"context"
	"strconv"
)

func init() {
	reportGroup.add(&command{name: "assign", summary: "make a VMT member the coordinator of a report (0 unassigns)", run: reportAssign})
}

func reportAssign(ctx context.Context, e *env, args []string) error {
	const use = "ID USER_ID"
	var af apiFlags
	fs := reportFlags(e, "assign", use, &af)
	id, pos, err := reportArgs(fs, args, 2, "assign", use)
	if err != nil {
		return err
	}
	uid, err := strconv.ParseInt(pos[1], 10, 64)
	if err != nil || uid < 0 {
		return usagef("%q is not a user id (0 unassigns)", pos[1])
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	v, err := c.Assign(ctx, id, uid)
	if err != nil {
		return err
	}
	return reportOut(e, &af, v)
}
