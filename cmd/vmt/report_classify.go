package main

import (
	"context"
	"strings"

	"github.com/vmtproject/vmt"
)

func init() {
	reportGroup.add(&command{name: "classify", summary: "set the taxonomy class of a report (A, B1, ... Z; \"\" clears it)", run: reportClassify})
}

func reportClassify(ctx context.Context, e *env, args []string) error {
	const use = "ID CLASS"
	fs := newFlags(e, "report classify", use)
	var af apiFlags
	af.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 2, "report classify "+use); err != nil {
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
	v, err := c.Classify(ctx, id, vmt.Class(strings.ToUpper(strings.TrimSpace(pos[1]))))
	if err != nil {
		return err
	}
	return reportOut(e, &af, v)
}
