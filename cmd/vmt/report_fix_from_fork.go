package main

import (
	"context"
	"fmt"
	"strings"
)

func init() {
	reportGroup.add(&command{name: "fix-from-fork", summary: "take a branch of the advisory's private fork in as a branch's patch series", run: reportFixFromFork})
}

func reportFixFromFork(ctx context.Context, e *env, args []string) error {
	const use = "ID --branch B --ref R\n\nThe commits of R in the report's temporary private fork on GitHub, on top of\n" +
		"the supported branch B, are checked as an upload and attached as B's series.\n\n" +
		"example: vmt report fix-from-fork 12 --branch main --ref fix-overflow"
	fs := newFlags(e, "report fix-from-fork", use)
	var af apiFlags
	af.register(fs)
	branch := fs.String("branch", "", "the supported branch the fix is for")
	ref := fs.String("ref", "", "the fork's branch holding the fix")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "report fix-from-fork "+use); err != nil {
		return err
	}
	id, err := parseID("report", pos[0])
	if err != nil {
		return err
	}
	if *branch == "" || *ref == "" {
		return usagef("give --branch and --ref")
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	f, err := c.FixFromFork(ctx, id, *branch, *ref)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, f)
	}
	fmt.Fprintf(e.stdout, "Fix %d (version %d for %s) taken from the fork's %s into report %d: %s\n", f.ID, f.Version, f.Branch, *ref,
		f.ReportID, strings.Join(f.Subjects, "; "))
	return nil
}
