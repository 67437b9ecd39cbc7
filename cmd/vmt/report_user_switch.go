package main

import (
	"context"
	"fmt"

	vmthttp "github.com/vmtproject/vmt/http"
)

// userSwitch is a command "vmt report NAME ID USER [--OFF]" that gives
// a user something on a report (a grant, a subscription), or with --OFF
// ends it.
type userSwitch[T any] struct {
	name, off, offHelp string // the command, its flag and the flag's help
	add                func(*vmthttp.Client, context.Context, int64, int64) (*T, error)
	added              func(v *T, user string) string // what was given, as a line; user is userNamed's
	remove             func(*vmthttp.Client, context.Context, int64, int64) error
	removed            string // what ended, a format of the user (userNamed) and the report id
}

func (u userSwitch[T]) run(ctx context.Context, e *env, args []string) error {
	use := "ID USER [--" + u.off + "]   (USER: an email address or a user id)"
	var af apiFlags
	fs := reportFlags(e, u.name, use, &af)
	off := fs.Bool(u.off, false, u.offHelp)
	id, user, err := reportUserArgs(fs, args, u.name, use)
	if err != nil {
		return err
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	uid, err := userArg(ctx, c, "user", user)
	if err != nil {
		return err
	}
	if *off {
		if err := u.remove(c, ctx, id, uid); err != nil {
			return err
		}
		if !af.json { // the API answers a removal with no content
			fmt.Fprintf(e.stdout, u.removed, userNamed(uid, user), id)
		}
		return nil
	}
	v, err := u.add(c, ctx, id, uid)
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, v)
	}
	fmt.Fprintln(e.stdout, u.added(v, userNamed(uid, user)))
	return nil
}
