package main

import (
	"context"
	"fmt"
)

func init() {
	reportGroup.add(&command{name: "subscribe", summary: "let a user see and follow a report, or end that (--remove)", run: reportSubscribe})
}

func reportSubscribe(ctx context.Context, e *env, args []string) error {
	const use = "ID USER_ID [--remove]"
	var af apiFlags
	fs := reportFlags(e, "subscribe", use, &af)
	remove := fs.Bool("remove", false, "end the subscription instead")
	id, pos, err := reportArgs(fs, args, 2, "subscribe", use)
	if err != nil {
		return err
	}
	uid, err := parseID("user", pos[1])
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	if *remove {
		if err := c.Unsubscribe(ctx, id, uid); err != nil {
			return err
		}
		if !af.json { // the API answers a removal with no content
			fmt.Fprintf(e.stdout, "User %d is no longer subscribed to report %d.\n", uid, id)
		}
		return nil
	}
	s, err := c.Subscribe(ctx, id, uid)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, s)
	}
	fmt.Fprintf(e.stdout, "User %d is subscribed to report %d and may now see it.\n", s.UserID, s.ReportID)
	return nil
}
