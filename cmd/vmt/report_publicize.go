package main

import (
	"context"
)

func init() {
	reportGroup.add(&command{name: "publicize", summary: "end a report's embargo now, for a reason", run: reportPublicize})
}

func reportPublicize(ctx context.Context, e *env, args []string) error {
	const use = "ID --reason R"
	var af apiFlags
	fs := reportFlags(e, "publicize", use, &af)
	reason := fs.String("reason", "", "why the embargo ends, e.g. the report leaked (required)")
	id, _, err := reportArgs(fs, args, 1, "publicize", use)
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
