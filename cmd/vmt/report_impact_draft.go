package main

import "context"

func init() {
	reportGroup.add(&command{name: "impact-draft", summary: "draft a report's impact description from the project's template", run: reportImpactDraft})
}

func reportImpactDraft(ctx context.Context, e *env, args []string) error {
	const use = "ID [--replace] [--json]"
	var af apiFlags
	fs := reportFlags(e, "impact-draft", use, &af)
	replace := fs.Bool("replace", false, "replace the impact description the report already has")
	id, _, err := reportArgs(fs, args, 1, "impact-draft", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	if _, err := c.DraftImpact(ctx, id, *replace); err != nil {
		return err
	}
	st, err := c.Impact(ctx, id)
	if err != nil {
		return err
	}
	return impactOut(e, &af, st)
}
