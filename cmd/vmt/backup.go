package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/vmtproject/vmt/sqldb"
)

func init() {
	commands = append(commands, &command{name: "backup", summary: "write a consistent copy of the store to a new file", run: backup})
}

func backup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "backup", "[--data DIR | --database URL] FILE")
	var sf storeFlags
	sf.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("usage: vmt backup [--data DIR | --database URL] FILE")
	}
	// Read-only: a backup only reads, and so works from a store on
	// read-only media (sqldb.ReadOnly).
	st, err := sf.open(ctx, e, slog.New(slog.NewTextHandler(e.stderr, nil)), sqldb.ReadOnly())
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Backup(ctx, pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup of the %s store written to %s\n", st.Engine(), pos[0])
	return nil
}
