package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/cvss"
	"github.com/vmtproject/vmt/password"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// The demo's fix matrices: the public report shows its pull request link,
// not tracked; the private one shows stable-3.2 waived and main still
// missing approval.
func TestDemoFixes(t *testing.T) {
	ctx := context.Background()
	svc := app.Must(app.New(app.Deps{
		Store:         sqldbtest.Open(t, "sqlite"),
		Hasher:        password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		Now:           time.Now,
		Log:           sqldbtest.Logger(t),
		CheckAdvisory: cvss.Check, // as vmt serve sets it: the demo's advisory carries a vector
	}))
	var out strings.Builder
	if err := seedDemo(ctx, &out, svc, "admin@example.org"); err != nil {
		t.Fatal(err)
	}
	rs, _, err := svc.Reports(ctx, vmt.Anonymous, vmt.ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var pub int64
	for _, r := range rs {
		if strings.HasPrefix(r.Title, demoFixes[0].title) {
			pub = r.ID
		}
	}
	rows, err := svc.FixMatrix(ctx, vmt.Anonymous, pub)
	if err != nil || rows[0].Fix == nil || !strings.HasPrefix(rows[0].Fix.URL, "https://github.com/") || rows[0].Merge != "not_tracked" {
		t.Errorf("public demo report's matrix: %+v, %v", rows, err)
	}
	pw := regexp.MustCompile(`(?m)^    admin@example\.org\s+(\S{16})\s`).FindStringSubmatch(out.String())
	if pw == nil {
		t.Fatalf("no administrator's sign-in in:\n%s", out.String())
	}
	admin, err := svc.Login(ctx, "admin@example.org", pw[1])
	if err != nil {
		t.Fatal(err)
	}
	all, _, err := svc.Reports(ctx, admin, vmt.ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all {
		if !strings.HasPrefix(r.Title, demoFixes[1].title) {
			continue
		}
		ap, err := svc.PreApprovalOf(ctx, admin, r.ID)
		if err != nil || len(ap.Waivers) != 1 || ap.Waivers[0].Branch != "stable-3.2" || len(ap.Missing) != 1 || ap.Missing[0] != "main" {
			t.Errorf("private demo report's pre-approval: %+v, %v", ap, err)
		}
		return
	}
	t.Error("the private demo report is missing")
}
