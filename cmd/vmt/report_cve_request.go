package main

import (
	"context"
)

func init() {
	reportGroup.add(&command{name: "cve-request", summary: "record that a CVE was requested for a report", run: reportCVERequest})
}

func reportCVERequest(ctx context.Context, e *env, args []string) error {
	const use = "ID"
	var af apiFlags
	fs := reportFlags(e, "cve-request", use, &af)
	id, _, err := reportArgs(fs, args, 1, "cve-request", use)
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
