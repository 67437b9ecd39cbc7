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
	fs := newFlags(e, "report subscribe", use)
	var af apiFlags
	af.register(fs)
	remove := fs.Bool("remove", false, "end the subscription instead")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 2, "report subscribe "+use); err != nil {
		return err
	}
	id, err := parseID("report", pos[0])
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
