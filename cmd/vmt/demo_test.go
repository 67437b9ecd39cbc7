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

// TestDemoSeed seeds an empty store and checks what a newcomer is promised:
// reports in every status, a published security note and an advisory
// drafted from its report, users of every role whose
// printed passwords work, comments and subscriptions; and that a store
// with data is refused.
func TestDemoSeed(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			st := sqldbtest.Open(t, engine)
			svc := app.Must(app.New(app.Deps{
				Store:         st,
				Hasher:        password.Hasher{P: password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
				Now:           time.Now,
				Log:           sqldbtest.Logger(t),
				CheckAdvisory: cvss.Check, // as vmt serve sets it
			}))
			var out strings.Builder
			ctx := context.Background()
			if err := seedDemo(ctx, &out, svc, "admin@example.org"); err != nil {
				t.Fatal(err)
			}
			logins := regexp.MustCompile(`(?m)^    (\S+@example\.org)\s+(\S{16})\s`).FindAllStringSubmatch(out.String(), -1)
			if len(logins) != len(demoCast)+1 {
				t.Fatalf("printed %d logins, want %d:\n%s", len(logins), len(demoCast)+1, out.String())
			}
			roles := map[vmt.Role]bool{}
			var admin vmt.Actor
			for _, l := range logins {
				a, err := svc.Login(ctx, l[1], l[2])
				if err != nil {
					t.Errorf("printed login %s does not work: %v", l[1], err)
					continue
				}
				roles[a.User.Role] = true
				if a.IsAdmin() {
					admin = a
				}
			}
			if len(roles) != len(vmt.Roles) {
				t.Errorf("roles seeded: %v, want all of %v", roles, vmt.Roles)
			}
			rs, _, err := svc.Reports(ctx, admin, vmt.ReportFilter{})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[vmt.Status]bool{}
			comments, subs := 0, 0
			for _, r := range rs {
				seen[r.Status] = true
				cs, _ := svc.Comments(ctx, admin, r.ID)
				ss, _ := svc.Subscriptions(ctx, admin, r.ID)
				comments, subs = comments+len(cs), subs+len(ss)
			}
			for _, s := range vmt.Statuses {
				if !seen[s.Status] {
					t.Errorf("no demo report is %s", s.Label)
				}
			}
			if comments < 4 || subs < 5 {
				t.Errorf("%d comments and %d subscriptions; want some of each", comments, subs)
			}
			docs, err := svc.PublicAdvisories(ctx, "kata-containers")
			kinds := map[vmt.AdvisoryKind]int{}
			for _, d := range docs {
				if d.State == vmt.AdvisoryPublished {
					kinds[d.Kind]++
				}
			}
			if err != nil || len(docs) != 2 || kinds[vmt.KindNote] != 1 || kinds[vmt.KindAdvisory] != 1 {
				t.Errorf("published documents: %d (%v), %v; want a note and an advisory", len(docs), kinds, err)
			}
			// The advisory is the one drafted from its report: its
			// components, versions, CVE and text are the report's.
			for _, d := range docs {
				if d.Kind == vmt.KindAdvisory && (len(d.CVEs) != 1 || len(d.Affected) != 1 || d.Affected[0].Component != "shim" ||
					!strings.Contains(d.Description, "exhaust memory") || len(d.CVSS) != 1) {
					t.Errorf("the demo advisory is not the report's: %+v", d)
				}
			}
			if err := seedDemo(ctx, &out, svc, "admin@example.org"); err == nil || !strings.Contains(err.Error(), "empty store") {
				t.Errorf("seeding a second time: %v, want a refusal", err)
			}
		})
	}
}
