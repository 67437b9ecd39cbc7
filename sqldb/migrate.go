package sqldb

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// provider returns a goose provider for this engine's migrations. It is not
// closed after use: closing it would close db.write.
func (db *DB) provider() (*goose.Provider, error) {
	fsys, err := fs.Sub(migrations, "migrations/"+db.d.name)
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{
		goose.WithDisableGlobalRegistry(true),
		goose.WithSlog(db.log),
	}
	if db.d.name == Postgres {
		// An advisory lock keeps two servers starting at once from
		// running the same migration twice.
		l, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(l))
	}
	return goose.NewProvider(db.d.goose, db.write, fsys, opts...)
}

// Migrate applies every migration the database lacks. It is safe to run on
// an up-to-date database, and concurrently on PostgreSQL.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return fmt.Errorf("sqldb: migrate: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("sqldb: migrate: %w", err)
	}
	for _, r := range results {
		db.log.InfoContext(ctx, "applied migration", "engine", db.d.name,
			"version", r.Source.Version, "duration", r.Duration)
	}
	return nil
}

// Version returns the schema version of the database and the latest one
// this program knows; they are equal once Migrate has run.
func (db *DB) Version(ctx context.Context) (current, latest int64, err error) {
	p, err := db.provider()
	if err != nil {
		return 0, 0, fmt.Errorf("sqldb: schema version: %w", err)
	}
	current, latest, err = p.GetVersions(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("sqldb: schema version: %w", err)
	}
	return current, latest, nil
}
