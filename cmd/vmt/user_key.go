package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/vmtproject/vmt"
)

func init() {
	userGroup.add(&command{name: "key", summary: "store your OpenPGP public key (the CVE request form of an embargoed report carries it)", run: userKey})
}

// userKey sets the OpenPGP key of the signed-in user (or, for an
// administrator, of --user), which the server checks like a stakeholder's.
func userKey(ctx context.Context, e *env, args []string) error {
	const use = "[--user USER] (KEY.asc | - | --remove)"
	fs := newFlags(e, "user key", use)
	var af apiFlags
	af.register(fs)
	user := fs.String("user", "", "the user, by email address or id (default: you; another user's: administrators only)")
	remove := fs.Bool("remove", false, "remove the stored key")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	want := 1
	if *remove {
		want = 0
	}
	if err := wantArgs(pos, want, "user key "+use); err != nil {
		return err
	}
	key := ""
	if !*remove {
		b, err := readFile(e, pos[0], limitKey)
		if err != nil {
			return err
		}
		key = string(b)
	}
	c, err := af.client(e)
	if err != nil {
		return err
	}
	uid, err := (&tokenUser{user: *user}).resolve(ctx, c)
	if err != nil {
		return err
	}
	u, err := c.UpdateUser(ctx, uid, vmt.UserPatch{OpenPGPKey: &key})
	if err != nil {
		return err
	}
	if af.json {
		return emitJSON(e.stdout, u)
	}
	id := strconv.FormatInt(u.ID, 10)
	if u.OpenPGPKey == "" {
		fmt.Fprintf(e.stdout, "Removed the OpenPGP key of user %s.\n", id)
		return nil
	}
	exp := "never expires"
	if u.OpenPGPKeyExpires != nil {
		exp = "expires " + whenp(u.OpenPGPKeyExpires)
	}
	fmt.Fprintf(e.stdout, "Stored OpenPGP key %s for user %s (%s).\n", u.OpenPGPFingerprint, id, exp)
	return nil
}
