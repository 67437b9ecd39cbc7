package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/vmtproject/vmt"
)

func init() {
	reportGroup.add(&command{name: "status", summary: "move a report to another status", run: reportStatus})
}

func reportStatus(ctx context.Context, e *env, args []string) error {
	const use = "ID STATUS [--reason R] [--hardening] [--class C]"
	var af apiFlags
	fs := reportFlags(e, "status", use, &af)
	reason := fs.String("reason", "", "why (required to reopen or to send back for rework)")
	hardening := fs.Bool("hardening", false, "tag the report as security hardening on a move to Won't Fix or Invalid")
	class := fs.String("class", "", "classify the report in the same action (e.g. E with invalid)")
	id, pos, err := reportArgs(fs, args, 2, "status", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	wasPublic := false
	if old, err := c.Report(ctx, id); err == nil {
		wasPublic = old.Visibility == vmt.Public
	}
	v, err := c.Transition(ctx, id, vmt.TransitionInput{To: normStatus(pos[1]), Reason: *reason, Hardening: *hardening, Class: strings.ToUpper(strings.TrimSpace(*class))})
	if err != nil {
		return err
	}
	if !af.json && !wasPublic && v.Visibility == vmt.Public {
		fmt.Fprintf(e.stdout, "The move to %s ended the embargo: the report is now public.\n", v.Status.Label())
	}
	return reportOut(e, &af, v)
}
