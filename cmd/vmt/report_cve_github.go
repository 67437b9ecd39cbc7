package main

import (
	"context"
)

func init() {
	reportGroup.add(&command{name: "cve-github", summary: "ask GitHub's CNA for a report's CVE through its repository advisory (a project whose CNA is GitHub)", run: reportCVEGitHub})
}

func reportCVEGitHub(ctx context.Context, e *env, args []string) error {
	const use = "ID"
	var af apiFlags
	fs := reportFlags(e, "cve-github", use, &af)
	id, _, err := reportArgs(fs, args, 1, "cve-github", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	v, err := c.RequestForgeCVE(ctx, id)
	if err != nil {
		return err
	}
	return reportOut(e, &af, v)
}
