package main

import (
	"context"
)

func init() {
	reportGroup.add(&command{name: "raise", summary: "raise an embargoed report for going public, for a reason (the architecture committee is subscribed)", run: reportRaise})
}

func reportRaise(ctx context.Context, e *env, args []string) error {
	const use = "ID --reason R"
	var af apiFlags
	fs := reportFlags(e, "raise", use, &af)
	reason := fs.String("reason", "", "why the embargo should be reconsidered, e.g. the fix needs a complex patch (required)")
	id, _, err := reportArgs(fs, args, 1, "raise", use)
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
	v, err := c.RaiseEmbargo(ctx, id, *reason)
	if err != nil {
		return err
	}
	return reportOut(e, &af, v)
}
