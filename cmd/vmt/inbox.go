package main

import (
	"context"
	"fmt"

	"github.com/vmtproject/vmt"
)

func init() {
	commands = append(commands, &command{name: "inbox", summary: "list what waits on you, most urgent first, then what you wait on", run: inbox})
}

func inbox(ctx context.Context, e *env, args []string) error {
	const use = "[--json]"
	var af apiFlags
	fs := newFlags(e, "inbox", use)
	af.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("usage: vmt inbox %s", use)
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	in, err := c.Inbox(ctx)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, in)
	}
	for _, part := range []struct {
		title string
		items []vmt.InboxItem
		empty string
	}{{"Waiting on you:", in.Mine, "Nothing waits on you."}, {"You wait on:", in.Others, "You wait on no one."}} {
		fmt.Fprintln(e.stdout, part.title)
		if len(part.items) == 0 {
			fmt.Fprintln(e.stdout, "  "+part.empty)
			continue
		}
		t := newTable(e.stdout, "ID", "STATUS", "STEP", "WAITS ON", "AS", "DISCLOSURE", "SINCE", "TITLE")
		for _, x := range part.items {
			status := x.Status.Label()
			if x.Overdue {
				status += " (overdue)"
			}
			t.row(fmt.Sprint(x.ReportID), status, x.Action, x.WaitsOn, x.As, whenp(x.DisclosureAt), when(x.StatusSince), x.Title)
		}
		if err := t.flush(); err != nil {
			return err
		}
	}
	return nil
}
