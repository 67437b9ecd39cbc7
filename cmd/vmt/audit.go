package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb"
)

func init() {
	commands = append(commands, &command{name: "audit", summary: "read the audit log (log, through the server) or verify its hash chain (verify, reading the store directly)", run: audit})
}

func audit(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "log":
			return auditLog(ctx, e, args[1:])
		case "help", "-h", "-help", "--help":
			fmt.Fprint(e.stdout, "usage: vmt audit <subcommand> [flags]\n\nsubcommands:\n"+
				"  log          read the audit log through the server, one event a line, with filters\n"+
				"  verify       verify the audit log's hash chain, reading the store directly\n"+
				"\nRun 'vmt audit <subcommand> -h' for its flags.\n")
			return flag.ErrHelp
		}
	}
	if len(args) == 0 || args[0] != "verify" {
		return usagef("usage: vmt audit log [--report N] [--action A] [--since T] | vmt audit verify [--data DIR | --database URL]")
	}
	fs := newFlags(e, "audit verify", "[--data DIR | --database URL]")
	var sf storeFlags
	sf.register(fs)
	if _, err := parse(fs, args[1:]); err != nil {
		return err
	}
	// The store is opened read-only, as it is: no migration, no server,
	// nothing written, so that the check does not depend on what it
	// checks, and works on a copy on read-only media (sqldb.ReadOnly).
	st, err := sf.open(ctx, e, slog.New(slog.NewTextHandler(io.Discard, nil)), sqldb.ReadOnly())
	if err != nil {
		return err
	}
	defer st.Close()
	n, head, err := verifyAudit(ctx, st)
	if err != nil {
		fmt.Fprintf(e.stdout, "audit log BROKEN after %d good events\n", n)
		return err
	}
	fmt.Fprintf(e.stdout, "audit log intact: %d events, heads %s\n", n, head)
	return nil
}

// verifyAudit checks the audit chains of st and returns how many events
// are good and the digest of the heads.
func verifyAudit(ctx context.Context, st vmt.Store) (int64, string, error) {
	// The heads are read first and the log checked up to them, so that
	// events a running server appends meanwhile are not taken for
	// tampering.
	heads, err := st.AuditHeads(ctx)
	if err != nil {
		return 0, "", err
	}
	n, err := vmt.VerifyChain(st.AuditLog(ctx), heads)
	return n, vmt.HeadsDigest(heads), err
}
