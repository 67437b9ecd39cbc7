package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/vmtproject/vmt/sqldb"
)

func init() {
	commands = append(commands, &command{name: "restore", summary: "make a new store from a file vmt backup wrote, and verify it", run: restore})
}

// restore makes the store the flags name from a backup, brings its schema
// up to date and verifies its audit chain, so that a restored store is
// known good before a server opens it. It never writes over a store.
func restore(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "restore", "[--data DIR | --database URL] FILE")
	var sf storeFlags
	sf.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("usage: vmt restore [--data DIR | --database URL] FILE")
	}
	dsn := sf.url(e)
	if dsn == "" {
		dsn = filepath.Join(sf.data, "vmt.db")
	}
	if err := sqldb.Restore(ctx, dsn, pos[0]); err != nil {
		return err
	}
	st, err := sf.open(ctx, e, slog.New(slog.NewTextHandler(e.stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	n, head, err := verifyAudit(ctx, st)
	if err != nil {
		fmt.Fprintf(e.stdout, "restored store's audit log BROKEN after %d good events\n", n)
		return err
	}
	fmt.Fprintf(e.stdout, "%s store restored from %s: audit log intact: %d events, heads %s\n", st.Engine(), pos[0], n, head)
	return nil
}
