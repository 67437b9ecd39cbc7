package main

import (
	"context"
	"fmt"
)

func init() {
	reportGroup.add(&command{name: "decline-access", summary: "decline a stakeholder's request to read a report, with an optional reason the stakeholder reads", run: reportDeclineAccess})
	reportGroup.add(&command{name: "access-status", summary: "show, as a stakeholder, where your request to read a report stands", run: reportAccessStatus})
}

func reportDeclineAccess(ctx context.Context, e *env, args []string) error {
	const use = "ID USER [--reason R]   (USER: an email address or a user id)"
	var af apiFlags
	fs := reportFlags(e, "decline-access", use, &af)
	reason := fs.String("reason", "", "why, for the stakeholder to read")
	id, user, err := reportUserArgs(fs, args, "decline-access", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	uid, err := userArg(ctx, c, "user", user)
	if err != nil {
		return err
	}
	d, err := c.DeclineAccess(ctx, id, uid, *reason)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, d)
	}
	fmt.Fprintf(e.stdout, "The request of user %d to read report %d is declined; they may ask again after %s.\n", d.UserID, d.ReportID, when(d.AskAgainAfter))
	return nil
}

func reportAccessStatus(ctx context.Context, e *env, args []string) error {
	const use = "ID"
	var af apiFlags
	fs := reportFlags(e, "access-status", use, &af)
	id, _, err := reportArgs(fs, args, 1, "access-status", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	st, err := c.OwnAccessRequest(ctx, id)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, st)
	}
	switch {
	case st.Pending != nil:
		fmt.Fprintf(e.stdout, "You asked to read report %d on %s; the VMT has not answered yet.\n", id, when(st.Pending.At))
	case st.Declined != nil:
		reason := ""
		if st.Declined.Reason != "" {
			reason = ": " + st.Declined.Reason
		}
		fmt.Fprintf(e.stdout, "The VMT declined your request to read report %d on %s%s. You may ask again after %s.\n",
			id, when(st.Declined.At), reason, when(st.Declined.AskAgainAfter))
	default:
		fmt.Fprintf(e.stdout, "You have no request open on report %d.\n", id)
	}
	return nil
}
