package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/vmtproject/vmt"
)

func init() {
	projectGroup.add(&command{name: "member", summary: "give a user a role in a project (vmt, reviewer, committee), or take it (--remove)", run: projectMember})
}

func projectMember(ctx context.Context, e *env, args []string) error {
	const use = "NAME USER ROLE | NAME USER --remove   (USER: an email address or a user id)"
	fs := newFlags(e, "project member", use)
	var af apiFlags
	af.register(fs)
	remove := fs.Bool("remove", false, "take the user out of the project")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	want := 3
	if *remove {
		want = 2
	}
	if err := wantArgs(pos, want, "project member "+use); err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	uid, err := userArg(ctx, c, "user", pos[1])
	if err != nil {
		return err
	}
	if *remove {
		if err := c.RemoveMember(ctx, pos[0], uid); err != nil {
			return err
		}
		if !af.json { // the API answers a removal with no content
			fmt.Fprintf(e.stdout, "%s is no longer a member of %s.\n", userNamed(uid, pos[1]), pos[0])
		}
		return nil
	}
	m, err := c.SetMember(ctx, pos[0], uid, vmt.MemberRole(strings.ToLower(pos[2])))
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, m)
	}
	fmt.Fprintf(e.stdout, "%s is now a %s member of %s.\n", userNamed(m.UserID, pos[1]), m.Role, pos[0])
	return nil
}
