package sqldb

import (
	"slices"
	"strings"
	"testing"
)

// The password of a PostgreSQL URL must not be in pg_dump's arguments,
// which other local users can read in the process table.
func TestPgDumpKeepsPasswordOutOfArgs(t *testing.T) {
	cmd := pgDump(t.Context(), "postgres://vmt:s3cret@db.example:5432/vmt?sslmode=require", "/tmp/x.dump")
	for _, a := range cmd.Args {
		if strings.Contains(a, "s3cret") {
			t.Errorf("argument %q holds the password", a)
		}
	}
	if !slices.Contains(cmd.Args, "--dbname=postgres://vmt@db.example:5432/vmt?sslmode=require") {
		t.Errorf("args %q: want the URL without its password", cmd.Args)
	}
	if !slices.Contains(cmd.Env, "PGPASSWORD=s3cret") {
		t.Error("PGPASSWORD not set")
	}

	cmd = pgDump(t.Context(), "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "/tmp/x.dump")
	if cmd.Env != nil || !slices.Contains(cmd.Args, "--dbname=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable") {
		t.Errorf("without a password: args %q, env set %v", cmd.Args, cmd.Env != nil)
	}
}
