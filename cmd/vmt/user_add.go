package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/vmtproject/vmt"
)

func init() {
	userGroup.add(&command{name: "add", summary: "add a user", run: userAdd})
}

func userAdd(ctx context.Context, e *env, args []string) error {
	const use = "--email E --role R [--name N] [--password-stdin] [--email-proven]"
	fs := newFlags(e, "user add", use)
	var af apiFlags
	af.register(fs)
	var in vmt.UserInput
	fs.StringVar(&in.Email, "email", "", "email address (required)")
	role := fs.String("role", "", "admin, vmt, reviewer, committee, reporter or stakeholder (required)")
	fs.StringVar(&in.Name, "name", "", "full name")
	fs.BoolVar(&in.EmailProven, "email-proven", false, "vouch for the address: it carries rights (a stakeholder's contact) at once; without it the user proves it from their account page")
	pwStdin := fs.Bool("password-stdin", false, "read a password from standard input (without one, the user signs in with tokens only)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "user add "+use); err != nil {
		return err
	}
	if in.Email == "" || *role == "" {
		return usagef("--email and --role are required")
	}
	in.Role = vmt.Role(strings.ToLower(*role))
	if *pwStdin {
		b, err := io.ReadAll(io.LimitReader(e.stdin, vmt.MaxPasswordLen+2))
		if err != nil {
			return err
		}
		in.Password = strings.TrimRight(string(b), "\r\n")
		if in.Password == "" {
			return usagef("--password-stdin: standard input is empty")
		}
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	u, err := c.CreateUser(ctx, in)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, u)
	}
	fmt.Fprintf(e.stdout, "Created user %d: %s, %s.\n", u.ID, who(u.Name, u.Email), u.Role)
	return nil
}
