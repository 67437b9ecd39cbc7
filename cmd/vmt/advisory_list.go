package main

import (
	"context"
	"fmt"
)

func init() {
	advisoryGroup.add(&command{name: "list", summary: "list the advisories and notes of a report, with their record ids", run: advisoryList})
}

func advisoryList(ctx context.Context, e *env, args []string) error {
	const use = "REPORT"
	var af apiFlags
	fs := advisoryFlags(e, "list", use, &af)
	report, _, c, err := advisoryArgs(e, fs, &af, args, 1, "list", use)
	if err != nil {
		return err
	}
	ds, err := c.ReportAdvisories(ctx, report)
	if err != nil {
		return err
	}
	if af.json {
		return emitList(e.stdout, ds)
	}
	t := newTable(e.stdout, "RECORD", "ID", "KIND", "STATE", "TITLE")
	for _, d := range ds {
		t.row(fmt.Sprint(d.RecordID), d.ID.String(), string(d.Kind), string(d.State), clip(d.Title, 60))
	}
	return t.flush()
}
