package main

import (
	"context"
	"fmt"
	"strings"
)

func init() {
	reportGroup.add(&command{name: "notice", summary: "send the downstream notice of an embargoed report (--override-reason to set the reporter's date aside)", run: reportNotice})
}

func reportNotice(ctx context.Context, e *env, args []string) error {
	const use = "ID [--override-reason R]"
	var af apiFlags
	fs := reportFlags(e, "notice", use, &af)
	reason := fs.String("override-reason", "", "use the project's disclosure date instead of the one the reporter asked for, for this reason (recorded)")
	id, _, err := reportArgs(fs, args, 1, "notice", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	res, err := c.SendNotice(ctx, id, *reason)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, res)
	}
	fmt.Fprintf(e.stdout, "The notice of report %d is on its way to %d recipients: %s.\n", id, len(res.Recipients), strings.Join(res.Recipients, ", "))
	fmt.Fprintf(e.stdout, "Disclosure: %s.\n", when(res.Disclosure))
	if o := res.Report.TermsOverride; o != nil {
		fmt.Fprintf(e.stdout, "The reporter's date %s is set aside: %s\n", when(o.Requested), o.Reason)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stdout, "warning: %s\n", w)
	}
	return nil
}
