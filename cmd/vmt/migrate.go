package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/vmtproject/vmt/sqldb"
)

func init() {
	commands = append(commands, &command{name: "migrate", summary: "bring the store's schema up to date (serve does it too)", run: migrate})
}

func migrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "migrate", "[--data DIR | --database URL] [--status]")
	var sf storeFlags
	sf.register(fs)
	status := fs.Bool("status", false, "only print the schema version")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	st, err := sf.open(ctx, e, slog.New(slog.NewTextHandler(e.stderr, nil)), sqldb.NoMigrate())
	if err != nil {
		return err
	}
	defer st.Close()
	if !*status {
		if err := st.Migrate(ctx); err != nil {
			return err
		}
	}
	cur, latest, err := st.Version(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s schema version %d (latest %d)\n", st.Engine(), cur, latest)
	return nil
}
