package main

import (
	"context"
	"strconv"
	"strings"
)

func init() {
	projectGroup.add(&command{name: "list", summary: "list every project", run: projectList})
}

func projectList(ctx context.Context, e *env, args []string) error {
	const use = "[--json]"
	fs := newFlags(e, "project list", use)
	var af apiFlags
	af.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "project list "+use); err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	ps, err := c.Projects(ctx)
	if err != nil {
		return err
	}
	if af.json {
		return emitList(e.stdout, ps)
	}
	t := newTable(e.stdout, "ID", "NAME", "ADVISORY", "NOTE", "BRANCHES")
	for _, p := range ps {
		t.row(strconv.FormatInt(p.ID, 10), p.Name, p.AdvisoryPrefix, p.NotePrefix, strings.Join(p.Branches, ", "))
	}
	return t.flush()
}
