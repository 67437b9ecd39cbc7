package main

import (
	"context"
	"fmt"
)

func init() {
	advisoryGroup.add(&command{name: "cve-publish", summary: "queue the publication of a published advisory's CVE record through CVE Services", run: advisoryCVEPublish})
}

func advisoryCVEPublish(ctx context.Context, e *env, args []string) error {
	const use = "RECORD [--cve CVE-YYYY-NNNN] [--json]"
	var af apiFlags
	fs := advisoryFlags(e, "cve-publish", use, &af)
	cve := fs.String("cve", "", "the CVE to publish, when the advisory has several")
	id, _, c, err := advisoryArgs(e, fs, &af, args, 1, "cve-publish", use)
	if err != nil {
		return err
	}
	res, err := c.PublishCVE(ctx, id, *cve)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, res)
	}
	fmt.Fprintf(e.stdout, "The CVE record of %s (%s, revision %d) is queued; the server's worker publishes it through CVE Services.\n",
		res.CVE, res.AdvisoryID, res.Revision)
	return nil
}
