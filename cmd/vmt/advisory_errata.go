package main

import "context"

func init() {
	advisoryGroup.add(&command{name: "errata", summary: "publish a corrected text of a published advisory as a new revision", run: advisoryErrata})
}

func advisoryErrata(ctx context.Context, e *env, args []string) error {
	const use = "RECORD --change TEXT ADVISORY.json"
	var af apiFlags
	fs := advisoryFlags(e, "errata", use, &af)
	change := fs.String("change", "", "what the erratum corrects; published with the revision (required)")
	id, pos, c, err := advisoryArgs(e, fs, &af, args, 2, "errata", use)
	if err != nil {
		return err
	}
	if *change == "" {
		return usagef("--change is required")
	}
	doc, err := readDocument(e, pos[1])
	if err != nil {
		return err
	}
	d, err := c.AmendAdvisory(ctx, id, *doc, *change)
	if err != nil {
		return err
	}
	return advisoryOut(e, &af, d)
}
