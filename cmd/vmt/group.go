package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

// group is a command with subcommands, such as "report", each in a file of
// its own that adds itself in its init.
type group struct {
	name    string
	summary string
	subs    []*command
}

// add registers a subcommand.
func (g *group) add(c *command) { g.subs = append(g.subs, c) }

// command returns the top-level command that dispatches to the group.
func (g *group) command() *command {
	return &command{name: g.name, summary: g.summary, run: g.run}
}

func (g *group) run(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		g.usage(e.stderr)
		return usagef("missing subcommand")
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		g.usage(e.stdout)
		return flag.ErrHelp
	}
	for _, c := range g.subs {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	g.usage(e.stderr)
	return usagef("unknown subcommand %q", args[0])
}

func (g *group) usage(w io.Writer) {
	fmt.Fprintf(w, "usage: vmt %s <subcommand> [flags] [arguments]\n\nsubcommands:\n", g.name)
	for _, c := range g.subs {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'vmt %s <subcommand> -h' for its flags.\n", g.name)
}
