package main

import (
	"context"
)

func init() {
	reportGroup.add(&command{name: "cve-request", summary: "record that a CVE was requested for a report", run: reportCVERequest})
}

func reportCVERequest(ctx context.Context, e *env, args []string) error {
	const use = "ID"
	fs := newFlags(e, "report cve-request", use)
	var af apiFlags
	af.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "report cve-request "+use); err != nil {
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
	v, err := c.RecordCVERequest(ctx, id)
	if err != nil {
		return err
	}
	return reportOut(e, &af, v)
}
