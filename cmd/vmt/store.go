package main

import (
	"context"
	"flag"
	"log/slog"

	"github.com/vmtproject/vmt/sqldb"
)

// storeFlags are the flags of every command that opens the store itself.
type storeFlags struct {
	data     string
	database string
}

func (f *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.data, "data", "./vmt-data", "data directory of the embedded SQLite store")
	fs.StringVar(&f.database, "database", "", "PostgreSQL URL (postgres://...); overrides --data (env VMT_DATABASE)")
}

// open opens the store the flags name: PostgreSQL when a URL is given by
// flag or by VMT_DATABASE, otherwise SQLite under the data directory.
func (f *storeFlags) open(ctx context.Context, e *env, log *slog.Logger, opts ...sqldb.Option) (*sqldb.DB, error) {
	if url := f.url(e); url != "" {
		return sqldb.Open(ctx, url, log, opts...)
	}
	return sqldb.OpenDir(ctx, f.data, log, opts...)
}

// url is the PostgreSQL URL the flag or VMT_DATABASE gives, "" for none.
func (f *storeFlags) url(e *env) string {
	if f.database != "" {
		return f.database
	}
	return e.getenv("VMT_DATABASE")
}
