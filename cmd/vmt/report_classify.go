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
	var af apiFlags
	fs := reportFlags(e, "classify", use, &af)
	id, pos, err := reportArgs(fs, args, 2, "classify", use)
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
