package main

import (
	"context"

	"github.com/vmtproject/vmt"
)

func init() {
	reportGroup.add(&command{name: "extent", summary: "show who could see a report, since when, and who let them in", run: reportExtent})
}

func reportExtent(ctx context.Context, e *env, args []string) error {
	const use = "ID [--json]"
	var af apiFlags
	fs := reportFlags(e, "extent", use, &af)
	id, _, err := reportArgs(fs, args, 1, "extent", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	ex, err := c.Extent(ctx, id)
	if err != nil {
		return err
	}
	if af.json {
		return emitList(e.stdout, ex)
	}
	t := newTable(e.stdout, "WHO", "REASON", "SINCE", "UNTIL", "GRANTED BY")
	for _, x := range ex {
		t.row(extentWho(x), x.Reason, when(x.Since), whenp(x.Until), userRef(x.GrantedBy, "the process"))
	}
	return t.flush()
}

func extentWho(x vmt.ExtentEntry) string {
	switch x.Who {
	case "user":
		return userRef(x.UserID, "?")
	case "admins":
		return "administrators"
	}
	return x.Who
}
