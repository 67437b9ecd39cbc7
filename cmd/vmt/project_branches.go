package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/vmtproject/vmt"
)

func init() {
	projectGroup.add(&command{name: "branches", summary: "show or set a project's supported branches (the development branch first)", run: projectBranches})
}

// projectBranches shows the branches, or sets them: --set gives the whole
// list, --add and --remove change the current one. The server checks the
// names and the limit, naming "branches".
func projectBranches(ctx context.Context, e *env, args []string) error {
	const use = "NAME [--set B1,B2,... | --add B ... | --remove B ...] [--json]\n\n" +
		"The first branch is the development branch; every branch listed gets a fix before a notice goes out.\n\n" +
		"example: vmt project branches kata-containers --set main,stable-3.2\n" +
		"example: vmt project branches kata-containers --add stable-3.3 --remove stable-3.1"
	fs := newFlags(e, "project branches", use)
	var af apiFlags
	af.register(fs)
	var set, add, remove listFlag
	fs.Var(&set, "set", "the whole list, comma-separated, the development branch first")
	fs.Var(&add, "add", "a branch to add at the end; repeatable or comma-separated")
	fs.Var(&remove, "remove", "a branch to remove; repeatable or comma-separated")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 1, "project branches "+use); err != nil {
		return err
	}
	if isSet(fs, "set") && (len(add) > 0 || len(remove) > 0) {
		return usagef("give --set, or --add and --remove, not both")
	}
	if isSet(fs, "set") && len(set) == 0 {
		return usagef("--set: at least one branch (the development branch)")
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	p, err := c.Project(ctx, pos[0])
	if err != nil {
		return err
	}
	if len(set) > 0 || len(add) > 0 || len(remove) > 0 {
		bs := slices.Clone(p.Branches)
		if len(set) > 0 {
			bs = slices.Clone([]string(set))
		}
		for _, b := range remove {
			i := slices.Index(bs, b)
			if i < 0 {
				return vmt.Invalid("branches", "%s has no branch %q to remove (it has %s)", p.Name, b, strings.Join(p.Branches, ", "))
			}
			bs = slices.Delete(bs, i, i+1)
		}
		for _, b := range add {
			if slices.Contains(bs, b) {
				return vmt.Invalid("branches", "%s has the branch %q already", p.Name, b)
			}
			bs = append(bs, b)
		}
		if p, err = c.UpdateProject(ctx, p.Name, vmt.ProjectPatch{Branches: &bs}); err != nil {
			return err
		}
	}
	if af.json {
		return emitJSON(e.stdout, p.Branches)
	}
	for i, b := range p.Branches {
		what := "stable"
		if i == 0 {
			what = "development"
		}
		fmt.Fprintf(e.stdout, "%s\t%s\n", b, what)
	}
	return nil
}
