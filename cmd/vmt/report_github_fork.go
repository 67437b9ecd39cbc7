package main

import (
	"context"
	"strconv"
)

func init() {
	reportGroup.add(&command{name: "github-fork", summary: "make the temporary private fork of a report's GitHub advisory, to work on the fix under embargo", run: reportGitHubFork})
}

// reportGitHubFork asks for the fork; run again, it shows the fork once
// GitHub has made it.
func reportGitHubFork(ctx context.Context, e *env, args []string) error {
	const use = "ID"
	var af apiFlags
	fs := reportFlags(e, "github-fork", use, &af)
	id, _, err := reportArgs(fs, args, 1, "github-fork", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	st, err := c.CreateForgeFork(ctx, id)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, st)
	}
	fork, clone := "(being made: run this again in a few minutes)", "-"
	if st.Fork != nil {
		fork, clone = st.Fork.URL, st.Fork.CloneURL
	}
	queued := "no (asked before)"
	if st.Queued {
		queued = "yes"
	}
	return fields(e.stdout, "report", strconv.FormatInt(st.ReportID, 10), "advisory", firstOf(st.GHSA, "(made with the fork)"),
		"queued", queued, "fork", fork, "clone", clone)
}
