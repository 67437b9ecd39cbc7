package main

import (
	"context"
	"fmt"

	"github.com/vmtproject/vmt"
)

func init() {
	reportGroup.add(&command{name: "impact", summary: "show a report's impact description and who has approved it", run: reportImpact})
}

func reportImpact(ctx context.Context, e *env, args []string) error {
	const use = "ID [--json]"
	var af apiFlags
	fs := reportFlags(e, "impact", use, &af)
	id, _, err := reportArgs(fs, args, 1, "impact", use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	st, err := c.Impact(ctx, id)
	if err != nil {
		return err
	}
	return impactOut(e, &af, st)
}

func impactOut(e *env, af *apiFlags, st *vmt.ImpactState) error {
	if af.json {
		return emitJSON(e.stdout, st)
	}
	if st.Text == "" {
		fmt.Fprintf(e.stdout, "Report %d has no impact description yet.\n", st.ReportID)
		return nil
	}
	if err := fields(e.stdout, "Reporter", approvalText(st.Reporter), "Architecture committee", approvalText(st.Committee)); err != nil {
		return err
	}
	section(e.stdout, "Impact description", st.Text)
	return nil
}

func approvalText(a *vmt.ImpactApproval) string {
	if a == nil {
		return "not yet approved"
	}
	return "approved " + when(a.ApprovedAt) + " by " + userRef(a.UserID, "the reporter")
}
