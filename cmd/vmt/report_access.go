package main

import (
	"context"
	"fmt"
	"strconv"
)

func init() {
	reportGroup.add(&command{name: "ask-access", summary: "ask, as a stakeholder told of a report by the notice, to read it", run: reportAskAccess})
	reportGroup.add(&command{name: "access-requests", summary: "list the stakeholders asking to read a report", run: reportAccessRequests})
}

func reportAskAccess(ctx context.Context, e *env, args []string) error {
	const use = "ID [--note N]"
	var af apiFlags
	fs := reportFlags(e, "ask-access", use, &af)
	note := fs.String("note", "", "a note for the VMT")
	id, _, err := reportArgs(fs, args, 1, "ask-access", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	q, err := c.RequestAccess(ctx, id, *note)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, q)
	}
	fmt.Fprintf(e.stdout, "Your request to read report %d is with the VMT.\n", q.ReportID)
	return nil
}

func reportAccessRequests(ctx context.Context, e *env, args []string) error {
	const use = "ID"
	var af apiFlags
	fs := reportFlags(e, "access-requests", use, &af)
	id, _, err := reportArgs(fs, args, 1, "access-requests", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	qs, err := c.AccessRequests(ctx, id)
	if err != nil {
		return err
	}
	if af.json {
		return emitList(e.stdout, qs)
	}
	if len(qs) == 0 {
		fmt.Fprintf(e.stdout, "No one is asking to read report %d.\n", id)
		return nil
	}
	tw := newTable(e.stdout, "USER", "ORGANISATION", "ASKED", "NOTE")
	for _, q := range qs {
		tw.row(strconv.FormatInt(q.UserID, 10), q.Organisation, when(q.At), oneLine(q.Note))
	}
	return tw.flush()
}
