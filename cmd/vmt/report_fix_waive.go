package main

import (
	"context"
	"fmt"

	"github.com/vmtproject/vmt"
)

func init() {
	reportGroup.add(&command{name: "fix-waive", summary: "record why a report may be disclosed without an approved fix on a branch (or on any)", run: reportFixWaive})
}

func reportFixWaive(ctx context.Context, e *env, args []string) error {
	const use = "ID [--branch B] --reason R"
	fs := newFlags(e, "report fix-waive", use)
	var af apiFlags
	af.register(fs)
	branch := fs.String("branch", "", "the supported branch waived (default: every branch of the report)")
	reason := fs.String("reason", "", "why the report may reach its disclosure hour without an approved fix there")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "report fix-waive "+use); err != nil {
		return err
	}
	id, err := parseID("report", pos[0])
	if err != nil {
		return err
	}
	if *reason == "" {
		return usagef("give --reason: a waiver says why")
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	w, err := c.WaiveFix(ctx, id, vmt.WaiverInput{Branch: *branch, Reason: *reason})
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, w)
	}
	what := "branch " + w.Branch
	if w.Branch == "" {
		what = "every branch"
	}
	fmt.Fprintf(e.stdout, "Report %d may be disclosed without an approved fix on %s: %s\n", w.ReportID, what, w.Reason)
	return nil
}
