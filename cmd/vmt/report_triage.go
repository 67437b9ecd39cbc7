package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/vmtproject/vmt/app"
)

func init() {
	reportGroup.add(&command{name: "triage", summary: "show the reports most like a report, with why, and its reporter's record", run: reportTriage})
	reportGroup.add(&command{name: "duplicate", summary: "mark a report a duplicate of another: its reporter is credited there and told", run: reportDuplicate})
}

func reportTriage(ctx context.Context, e *env, args []string) error {
	const use = "ID [--json]\n\nexample: vmt report triage 42"
	var af apiFlags
	fs := reportFlags(e, "triage", use, &af)
	id, _, err := reportArgs(fs, args, 1, "triage", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	tr, err := c.Triage(ctx, id)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, tr)
	}
	rr := tr.Reporter
	fmt.Fprintf(e.stdout, "The reporter's record with the project: %d sent, %d confirmed, %d duplicates, %d won't fix, %d invalid.\n\n",
		rr.Sent, rr.Confirmed, rr.Duplicates, rr.WontFix, rr.Invalid)
	if len(tr.Similar) == 0 {
		fmt.Fprintln(e.stdout, "No report of the project is much like it.")
		return nil
	}
	t := newTable(e.stdout, "REPORT", "SCORE", "STATUS", "TITLE", "WHY")
	for _, s := range tr.Similar {
		why := strings.Join(s.Reasons, "; ")
		if len(s.Advisories) > 0 {
			why += "; published as " + strings.Join(s.Advisories, ", ")
		}
		t.row(fmt.Sprintf("#%d", s.Report.ID), fmt.Sprintf("%.2f", s.Score), s.Report.Status.Label(), s.Report.Title, why)
	}
	return t.flush()
}

func reportDuplicate(ctx context.Context, e *env, args []string) error {
	const use = "ID --of ORIGINAL [--subscribe]\n\n" +
		"The reporter of ID is credited on ORIGINAL and told, by number only; --subscribe also lets them into ORIGINAL.\n\n" +
		"example: vmt report duplicate 57 --of 42"
	var af apiFlags
	fs := reportFlags(e, "duplicate", use, &af)
	of := fs.Int64("of", 0, "the number of the original report (required)")
	sub := fs.Bool("subscribe", false, "subscribe the duplicate's reporter to the original")
	id, _, err := reportArgs(fs, args, 1, "duplicate", use)
	if err != nil {
		return err
	}
	if *of <= 0 {
		return usagef("--of is required: the number of the original report")
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	v, err := c.MarkDuplicate(ctx, id, app.DuplicateInput{Of: *of, Subscribe: *sub})
	if err != nil {
		return err
	}
	return reportOut(e, &af, v)
}
