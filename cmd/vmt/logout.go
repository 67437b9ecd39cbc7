package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

func init() {
	commands = append(commands, &command{name: "logout", summary: "forget the server and token vmt login saved", run: logout})
}

func logout(ctx context.Context, e *env, args []string) error {
	fl := newFlags(e, "logout", "")
	pos, err := parse(fl, args)
	if err != nil {
		return err
	}
	if err := wantArgs(pos, 0, "logout"); err != nil {
		return err
	}
	path, err := configPath(e)
	if err != nil {
		return err
	}
	if err := os.Remove(path); errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintln(e.stdout, "Not signed in.")
		return nil
	} else if err != nil {
		return err
	}
	// Forgetting a token does not revoke it: say so, since a copy may
	// live elsewhere.
	fmt.Fprintf(e.stdout, "Signed out: removed %s.\nThe token stays valid until revoked (vmt token list, vmt token revoke ID).\n", path)
	return nil
}
