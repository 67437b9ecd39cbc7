package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/sqldb"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestBackupRestoreServes is issue 17's fault 6, the restore half, on both
// engines: a store restored from vmt backup verifies, serves (the old
// token reads the old report) and takes writes (a new report, and the
// chain still verifies); restore never writes over a store.
func TestBackupRestoreServes(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			if engine == sqldb.Postgres {
				for _, tool := range []string{"pg_dump", "pg_restore"} {
					if _, err := exec.LookPath(tool); err != nil {
						t.Skipf("%s is not installed", tool)
					}
				}
			}
			src := sqldbtest.DSN(t, engine)
			token := seed(t, src)
			file := filepath.Join(t.TempDir(), "backup")
			if code, out, errOut := runCmd(t, nil, append([]string{"backup", file}, storeArgs(src)...)...); code != exitOK {
				t.Fatalf("backup: exit %d out %q err %q", code, out, errOut)
			}
			dst := sqldbtest.DSN(t, engine)
			code, out, errOut := runCmd(t, nil, append([]string{"restore", file}, storeArgs(dst)...)...)
			if code != exitOK || !strings.Contains(out, "audit log intact: 7 events") {
				t.Fatalf("restore: exit %d out %q err %q", code, out, errOut)
			}
			code, _, errOut = runCmd(t, nil, append([]string{"restore", file}, storeArgs(dst)...)...)
			if code == exitOK || !(strings.Contains(errOut, "exists") || strings.Contains(errOut, "already holds")) {
				t.Errorf("restore over a store: exit %d err %q, want a refusal", code, errOut)
			}

			ctx := context.Background()
			st, err := sqldb.Open(ctx, dst, nil)
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
			srv := httptest.NewServer(vmthttp.NewServer(svc, sqldbtest.Logger(t)))
			defer srv.Close()
			c := &vmthttp.Client{BaseURL: srv.URL, Token: token}
			old, err := c.Report(ctx, 1)
			if err != nil || old.Title != "Agent accepts unsigned requests" {
				t.Fatalf("the restored store serves %+v, %v", old, err)
			}
			v, err := c.CreateReport(ctx, vmt.ReportInput{Title: "After the restore", Description: "d"})
			if err != nil || v.ID <= old.ID {
				t.Fatalf("a write to the restored store: %+v, %v", v, err)
			}
			resp, err := http.Get(srv.URL + "/api/v1/health/ready")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("restored store not ready: %d", resp.StatusCode)
			}
			srv.Close()
			st.Close()
			code, out, errOut = runCmd(t, nil, append([]string{"audit", "verify"}, storeArgs(dst)...)...)
			if code != exitOK || !strings.Contains(out, "audit log intact: 8 events") {
				t.Fatalf("verify after the write: exit %d out %q err %q", code, out, errOut)
			}
		})
	}
}
