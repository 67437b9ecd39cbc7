package main

import (
	"context"
	"fmt"
	"strings"

	vmthttp "github.com/vmtproject/vmt/http"
)

func init() {
	reportGroup.add(&command{name: "move-date", summary: "move the disclosure date of a noticed report, for a reason; everyone the notice told hears of it", run: reportMoveDate})
}

func reportMoveDate(ctx context.Context, e *env, args []string) error {
	const use = "ID DATE --reason R [--override-reason R]   (DATE: YYYY-MM-DD, meaning 00:00 UTC, or RFC 3339)\n\n" +
		"Example: vmt report move-date 12 2026-12-15 --reason \"the fix for stable-3.2 needs another week\""
	var af apiFlags
	fs := reportFlags(e, "move-date", use, &af)
	var in vmthttp.MoveDisclosureInput
	fs.StringVar(&in.Reason, "reason", "", "why the date moves, for the stakeholders to read (required)")
	fs.StringVar(&in.OverrideReason, "override-reason", "", "why a date other than the one the reporter asked for is used (recorded)")
	id, pos, err := reportArgs(fs, args, 2, "move-date", use)
	if err != nil {
		return err
	}
	if strings.TrimSpace(in.Reason) == "" {
		return usagef("--reason is required: the stakeholders are told why")
	}
	in.DisclosureAt = pos[1]
	c, err := af.client(e)
	if err != nil {
		return err
	}
	v, err := c.MoveDisclosure(ctx, id, in)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, v)
	}
	fmt.Fprintf(e.stdout, "The disclosure of report %d is now %s; everyone the notice told is told.\n", id, whenp(v.DisclosureAt))
	return nil
}
