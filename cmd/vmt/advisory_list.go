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
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "advisory list "+use); err != nil {
		return err
	}
	report, err := parseID("report", pos[0])
	if err != nil {
		return err
	}
	c, err := af.client(e)
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
