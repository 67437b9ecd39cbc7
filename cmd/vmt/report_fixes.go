package main

import (
	"context"
	"fmt"
	"strings"
)

func init() {
	reportGroup.add(&command{name: "fixes", summary: "show a report's fixes: each supported branch with its latest fix", run: reportFixes})
}

func reportFixes(ctx context.Context, e *env, args []string) error {
	const use = "ID"
	fs := newFlags(e, "report fixes", use)
	var af apiFlags
	af.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "report fixes "+use); err != nil {
		return err
	}
	id, err := parseID("report", pos[0])
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	rows, err := c.FixMatrix(ctx, id)
	if err != nil {
		return err
	}
	if af.json {
		return emitList(e.stdout, rows)
	}
	t := newTable(e.stdout, "BRANCH", "FIX", "VERSION", "REVIEW", "MERGE", "WAIVED", "SUBJECTS")
	for _, r := range rows {
		waived := ""
		if r.Waiver != nil {
			waived = r.Waiver.Reason
		}
		if r.Fix == nil {
			t.row(r.Branch, "", "", "", "", waived, "")
			continue
		}
		f := r.Fix
		merge := r.Merge
		if f.MergeError != "" {
			merge += " (" + f.MergeError + ")"
		}
		t.row(r.Branch, fmt.Sprint(f.ID), fmt.Sprint(f.Version), string(f.Review), merge, waived, strings.Join(f.Subjects, "; ")+f.URL)
	}
	if err := t.flush(); err != nil {
		return err
	}
	ap, err := c.PreApproval(ctx, id)
	if err != nil {
		return err
	}
	if len(ap.Missing) > 0 {
		fmt.Fprintf(e.stdout, "No approved fix nor waiver for: %s (the notice waits for them)\n", strings.Join(ap.Missing, ", "))
	}
	if h := ap.Hold; h != nil {
		fmt.Fprintf(e.stdout, "Disclosure held since %s: %s lacked approval; disclosed at the worker's next round once approved or waived\n",
			when(h.HeldAt), strings.Join(h.Branches, ", "))
	}
	return nil
}
