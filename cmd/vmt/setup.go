package main

import (
	"context"
	"fmt"
)

func init() {
	commands = append(commands, &command{name: "setup", summary: "say what this instance still lacks before a notice can go out, and what to run for each", run: setupCmd})
}

func setupCmd(ctx context.Context, e *env, args []string) error {
	const use = "[--json]\n\nAdministrators only.\n\nexample: vmt setup"
	fs := newFlags(e, "setup", use)
	var af apiFlags
	af.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "setup "+use); err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	sc, err := c.Setup(ctx)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, sc)
	}
	missing := 0
	for _, it := range sc.Items {
		mark := "[x]"
		if !it.Done {
			mark, missing = "[ ]", missing+1
		}
		fmt.Fprintf(e.stdout, "%s %s: %s\n", mark, it.Title, it.Detail)
		if it.Fix != "" {
			fmt.Fprintf(e.stdout, "      run: %s\n", it.Fix)
		}
	}
	if sc.Ready {
		fmt.Fprintln(e.stdout, "\nReady: a notice can go out.")
	} else {
		fmt.Fprintf(e.stdout, "\nNot ready: %s before a notice can go out.\n", plural(missing, "thing is missing", "things are missing"))
	}
	return nil
}
