package main

import (
	"context"
	"fmt"

	"github.com/vmtproject/vmt"
)

func init() {
	reportGroup.add(&command{name: "fix-review", summary: "approve a fix version, or ask for changes", run: reportFixReview})
}

func reportFixReview(ctx context.Context, e *env, args []string) error {
	const use = "FIX-ID (--approve | --request-changes) [--note N]"
	fs := newFlags(e, "report fix-review", use)
	var af apiFlags
	af.register(fs)
	approve := fs.Bool("approve", false, "pre-approve this version")
	changes := fs.Bool("request-changes", false, "ask for a new version")
	note := fs.String("note", "", "what the reviewer says")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "report fix-review "+use); err != nil {
		return err
	}
	id, err := parseID("fix", pos[0])
	if err != nil {
		return err
	}
	if *approve == *changes {
		return usagef("give one of --approve and --request-changes")
	}
	in := vmt.ReviewInput{Review: vmt.ReviewApproved, Note: *note}
	if *changes {
		in.Review = vmt.ReviewChangesRequested
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	f, err := c.ReviewFix(ctx, id, in)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, f)
	}
	fmt.Fprintf(e.stdout, "Fix %d (version %d for %s): %s.\n", f.ID, f.Version, f.Branch, f.Review)
	return nil
}
