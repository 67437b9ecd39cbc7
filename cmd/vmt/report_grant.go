package main

import (
	"context"
	"fmt"
)

func init() {
	reportGroup.add(&command{name: "grant", summary: "let a stakeholder's account read an embargoed report after the notice, or end that (--revoke)", run: reportGrant})
}

func reportGrant(ctx context.Context, e *env, args []string) error {
	const use = "ID USER_ID [--revoke]"
	var af apiFlags
	fs := reportFlags(e, "grant", use, &af)
	revoke := fs.Bool("revoke", false, "end the grant instead")
	id, pos, err := reportArgs(fs, args, 2, "grant", use)
	if err != nil {
		return err
	}
	uid, err := parseID("user", pos[1])
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	if *revoke {
		if err := c.RevokeStakeholder(ctx, id, uid); err != nil {
			return err
		}
		if !af.json { // the API answers a revocation with no content
			fmt.Fprintf(e.stdout, "User %d may no longer read report %d.\n", uid, id)
		}
		return nil
	}
	g, err := c.GrantStakeholder(ctx, id, uid)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, g)
	}
	fmt.Fprintf(e.stdout, "User %d (%s) may now read report %d.\n", g.UserID, g.Organisation, g.ReportID)
	return nil
}
