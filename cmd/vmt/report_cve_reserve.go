package main

import "context"

func init() {
	reportGroup.add(&command{name: "cve-reserve", summary: "reserve a CVE id through CVE Services (the project is a CNA) and record it", run: reportCVEReserve})
}

func reportCVEReserve(ctx context.Context, e *env, args []string) error {
	const use = "ID [--json]"
	var af apiFlags
	fs := reportFlags(e, "cve-reserve", use, &af)
	id, _, err := reportArgs(fs, args, 1, "cve-reserve", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	v, err := c.ReserveCVE(ctx, id)
	if err != nil {
		return err
	}
	return reportOut(e, &af, v)
}
