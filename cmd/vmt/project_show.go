package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/vmtproject/vmt"
)

func init() {
	projectGroup.add(&command{name: "show", summary: "show a project and its members", run: projectShow})
}

func projectShow(ctx context.Context, e *env, args []string) error {
	const use = "NAME [--json]"
	fs := newFlags(e, "project show", use)
	var af apiFlags
	af.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "project show "+use); err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	p, err := c.Project(ctx, pos[0])
	if err != nil {
		return err
	}
	ms, err := c.Members(ctx, p.Name)
	if err != nil {
		return err
	}
	if af.json {
		// The project as the API has it, with its members added.
		return emitJSON(e.stdout, struct {
			*vmt.Project
			Members []vmt.Member `json:"members"`
		}{p, ms})
	}
	fmt.Fprintf(e.stdout, "Project %s\n\n", p.Name)
	if err := fields(e.stdout, "ID", strconv.FormatInt(p.ID, 10), "Advisory prefix", p.AdvisoryPrefix,
		"Note prefix", p.NotePrefix, "Branches", strings.Join(p.Branches, ", "), "Created", when(p.CreatedAt)); err != nil {
		return err
	}
	section(e.stdout, fmt.Sprintf("Members (%d)", len(ms)), "")
	if len(ms) == 0 {
		return nil
	}
	t := newTable(e.stdout, "USER", "ROLE")
	for _, m := range ms {
		t.row(strconv.FormatInt(m.UserID, 10), string(m.Role))
	}
	return t.flush()
}
