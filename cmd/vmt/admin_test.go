package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// runCmd runs the vmt command line in-process and returns its exit code and
// output.
func runCmd(t *testing.T, getenv func(string) string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	code := run(context.Background(), &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: getenv}, args)
	return code, out.String(), errb.String()
}

// seed fills the store at dsn with a few audited changes, and returns the
// administrator's token.
func seed(t *testing.T, dsn string) string {
	t.Helper()
	ctx := context.Background()
	st, err := sqldb.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := app.Must(app.New(app.Deps{
		Store:  st,
		Hasher: password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		Now:    time.Now,
		Log:    slog.New(slog.DiscardHandler),
	}))
	secret, err := svc.Bootstrap(ctx, vmt.BootstrapInput{AdminEmail: "admin@example.org",
		Project: vmt.Project{Name: "kata-containers", AdvisoryPrefix: "KCSA", NotePrefix: "KCSN", Branches: []string{"main"}}})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := svc.Authenticate(ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	r, err := svc.CreateReport(ctx, admin, vmt.ReportInput{Title: "Agent accepts unsigned requests", Description: "Steps."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Classify(ctx, admin, r.ID, "A"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddComment(ctx, admin, r.ID, "Confirmed on main."); err != nil {
		t.Fatal(err)
	}
	return secret
}

// storeArgs are the flags that name the store at dsn.
func storeArgs(dsn string) []string {
	if sqldb.IsPostgres(dsn) {
		return []string{"--database", dsn}
	}
	return []string{"--data", filepath.Dir(dsn)}
}

// TestAuditVerifyFindsTampering changes one stored audit row behind the
// server's back, as someone with the database files could, and checks that
// vmt audit verify fails with its exit code and names that row.
func TestAuditVerifyFindsTampering(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := sqldbtest.DSN(t, engine)
			seed(t, dsn)
			code, out, errOut := runCmd(t, nil, append([]string{"audit", "verify"}, storeArgs(dsn)...)...)
			if code != exitOK || !strings.Contains(out, "audit log intact: 7 events") {
				t.Fatalf("intact log: exit %d, out %q, err %q", code, out, errOut)
			}
			// The triggers refuse the change; an attacker with the files
			// drops them first.
			if engine == sqldb.SQLite {
				sqldbtest.Exec(t, dsn, "DROP TRIGGER audit_events_no_update")
			} else {
				sqldbtest.Exec(t, dsn, "ALTER TABLE audit_events DISABLE TRIGGER USER")
			}
			sqldbtest.Exec(t, dsn, `UPDATE audit_events SET after = replace(after, '"A"', '"E"') WHERE seq = 6`)
			code, out, errOut = runCmd(t, nil, append([]string{"audit", "verify"}, storeArgs(dsn)...)...)
			if code != exitAuditBroken {
				t.Fatalf("tampered log: exit %d, want %d; out %q err %q", code, exitAuditBroken, out, errOut)
			}
			if !strings.Contains(errOut, "audit event 6 (chain ") || !strings.Contains(errOut, "changed") {
				t.Errorf("tampered log: the error %q does not name event 6 as changed", errOut)
			}
			// The chains are checked one after the other: the events
			// before the broken one are some of the other six.
			if m := regexp.MustCompile(`after ([0-6]) good events`).FindStringSubmatch(out); m == nil {
				t.Errorf("tampered log: output %q does not count the good events", out)
			}
		})
	}
}

func TestMigrateAndBackup(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := sqldbtest.DSN(t, engine)
			args := storeArgs(dsn)
			code, out, errOut := runCmd(t, nil, append([]string{"migrate", "--status"}, args...)...)
			if code != exitOK || !strings.Contains(out, fmt.Sprintf("%s schema version 0", engine)) {
				t.Fatalf("migrate --status on an empty store: exit %d out %q err %q", code, out, errOut)
			}
			code, out, errOut = runCmd(t, nil, append([]string{"migrate"}, args...)...)
			if code != exitOK || strings.Contains(out, "version 0 ") {
				t.Fatalf("migrate: exit %d out %q err %q", code, out, errOut)
			}
			seed(t, dsn)
			if engine == sqldb.Postgres {
				if _, err := exec.LookPath("pg_dump"); err != nil {
					t.Skip("pg_dump is not installed")
				}
			}
			file := filepath.Join(t.TempDir(), "backup.db")
			code, out, errOut = runCmd(t, nil, append([]string{"backup", file}, args...)...)
			if code != exitOK {
				t.Fatalf("backup: exit %d out %q err %q", code, out, errOut)
			}
			fi, err := os.Stat(file)
			if err != nil || fi.Size() == 0 || fi.Mode().Perm() != 0o600 {
				t.Fatalf("backup file: %v, %v", fi, err)
			}
			code, _, errOut = runCmd(t, nil, append([]string{"backup", file}, args...)...)
			if code == exitOK || !strings.Contains(errOut, "exists") {
				t.Errorf("backup over an existing file: exit %d err %q", code, errOut)
			}
			if engine == sqldb.SQLite {
				// The copy is a store of its own whose chain verifies.
				if err := os.Rename(file, filepath.Join(filepath.Dir(file), "vmt.db")); err != nil {
					t.Fatal(err)
				}
				code, out, errOut = runCmd(t, nil, "audit", "verify", "--data", filepath.Dir(file))
				if code != exitOK || !strings.Contains(out, "7 events") {
					t.Errorf("verify the backup: exit %d out %q err %q", code, out, errOut)
				}
			}
		})
	}
}
