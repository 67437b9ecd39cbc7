package main

import (
	"context"
)

func init() {
	reportGroup.add(&command{name: "publicize", summary: "end a report's embargo now, for a reason", run: reportPublicize})
}

func reportPublicize(ctx context.Context, e *env, args []string) error {
	const use = "ID --reason R"
	fs := newFlags(e, "report publicize", use)
	var af apiFlags
	af.register(fs)
	reason := fs.String("reason", "", "why the embargo ends, e.g. the report leaked (required)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "report publicize "+use); err != nil {
		return err
	}
	id, err := parseID("report", pos[0])
	if err != nil {
		return err
	}
	if *reason == "" {
		return usagef("--reason is required")
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	v, err := c.MakePublic(ctx, id, *reason)
	if err != nil {
		return err
	}
	return reportOut(e, &af, v)
}
