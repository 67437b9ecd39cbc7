package main

import "context"

func init() {
	reportGroup.add(&command{name: "impact-approve", summary: "approve a report's impact description, as its reporter or for the architecture committee", run: reportImpactApprove})
}

func reportImpactApprove(ctx context.Context, e *env, args []string) error {
	const use = "ID [--json]"
	var af apiFlags
	fs := reportFlags(e, "impact-approve", use, &af)
	id, _, err := reportArgs(fs, args, 1, "impact-approve", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	st, err := c.ApproveImpact(ctx, id)
	if err != nil {
		return err
	}
	return impactOut(e, &af, st)
}
