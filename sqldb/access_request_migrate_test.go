package sqldb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// Migration 00022 carries the access requests of an older release, which
// were audit events only, into their table, each in the state that the
// later events about the same account on the same report gave it.
func TestMigrationCarriesAccessRequests(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			db := sqldbtest.Open(t, engine)
			if err := db.MigrateDownTo(ctx, 21); err != nil {
				t.Fatal(err)
			}
			t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
			var r, other *vmt.Report
			var coord *vmt.User
			var project *vmt.Project
			users := map[string]*vmt.User{}
			err := db.Update(ctx, func(tx vmt.Tx) error {
				coord = &vmt.User{Email: "vmt@example.org", Role: vmt.RoleVMT, CreatedAt: t0}
				if err := tx.CreateUser(coord); err != nil {
					return err
				}
				for _, n := range []string{"pending", "declined", "lapsed", "granted", "declinedthengranted", "revoked"} {
					u := &vmt.User{Email: n + "@example.org", Role: vmt.RoleStakeholder, CreatedAt: t0}
					if err := tx.CreateUser(u); err != nil {
						return err
					}
					users[n] = u
				}
				p := &vmt.Project{Name: "p", AdvisoryPrefix: "KCSA", NotePrefix: "KCSN", Branches: []string{"main"}, CreatedAt: t0}
				if err := tx.CreateProject(p); err != nil {
					return err
				}
				project = p
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// The reports as the older release stored them: by hand, as
			// today's store writes columns that schema does not have.
			for i, rp := range []**vmt.Report{&r, &other} {
				*rp = &vmt.Report{ID: int64(i + 1), ProjectID: project.ID}
				if err := rawReport(ctx, db, (*rp).ID, project.ID, coord.ID, t0); err != nil {
					t.Fatal(err)
				}
			}

			// The events the older release wrote, with its payloads.
			seq := 0
			event := func(action string, report *vmt.Report, before, after any) time.Time {
				t.Helper()
				seq++
				when := t0.Add(time.Duration(seq) * time.Minute)
				js := func(v any) any {
					if v == nil {
						return nil
					}
					b, err := json.Marshal(v)
					if err != nil {
						t.Fatal(err)
					}
					return string(b)
				}
				if err := db.Exec(ctx, `INSERT INTO audit_events (seq, at, actor_id, action, project_id, report_id, subject, "before", "after", prev_hash, hash)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'x', 'y')`, seq, when.UnixMicro(), coord.ID, action, report.ProjectID, report.ID,
					fmt.Sprintf("report:%d", report.ID), js(before), js(after)); err != nil {
					t.Fatal(err)
				}
				return when
			}
			ask := func(n string, report *vmt.Report) {
				u := users[n]
				event(vmt.AuditReportAccessRequest, report, nil, vmt.AccessRequest{ReportID: report.ID, UserID: u.ID,
					StakeholderID: 40, Organisation: "Distro", Note: "asked by " + n, At: t0.Add(time.Duration(seq+1) * time.Minute)})
			}
			decline := func(n string, wait time.Duration) *vmt.AccessDecline {
				at := t0.Add(time.Duration(seq+1) * time.Minute)
				d := &vmt.AccessDecline{ReportID: r.ID, UserID: users[n].ID, Reason: "why " + n, By: coord.ID, At: at, AskAgainAfter: at.Add(wait)}
				event(vmt.AuditReportAccessDecline, r, nil, d)
				return d
			}
			id := func(n string) map[string]any { return map[string]any{"user_id": users[n].ID} }

			ask("pending", r)
			ask("declined", r)
			declined := decline("declined", vmt.AccessRetryAfter)
			ask("lapsed", r)
			lapsed := decline("lapsed", 0)
			ask("lapsed", r)
			ask("granted", r)
			event(vmt.AuditReportGrant, other, nil, id("granted")) // another report's grant
			event(vmt.AuditReportGrant, r, nil, id("granted"))
			ask("declinedthengranted", r)
			decline("declinedthengranted", vmt.AccessRetryAfter)
			event(vmt.AuditSubscriptionAdd, r, nil, id("declinedthengranted"))
			ask("revoked", r)
			event(vmt.AuditReportGrantRevoke, r, id("revoked"), map[string]any{"reason": "gone"})
			ask("pending", other)

			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			type row struct {
				Report int64
				Status vmt.AccessRequestStatus
				Note   string
			}
			want := map[string][]row{
				"pending":             {{r.ID, vmt.AccessPending, "asked by pending"}, {other.ID, vmt.AccessPending, "asked by pending"}},
				"declined":            {{r.ID, vmt.AccessDeclined, "asked by declined"}},
				"lapsed":              {{r.ID, vmt.AccessDeclined, "asked by lapsed"}, {r.ID, vmt.AccessPending, "asked by lapsed"}},
				"granted":             {{r.ID, vmt.AccessGranted, "asked by granted"}},
				"declinedthengranted": {{r.ID, vmt.AccessGranted, "asked by declinedthengranted"}},
				"revoked":             {{r.ID, vmt.AccessClosed, "asked by revoked"}},
			}
			err = db.View(ctx, func(tx vmt.Tx) error {
				for n, w := range want {
					qs, err := tx.AccessRequests(vmt.AccessRequestFilter{UserID: users[n].ID})
					if err != nil {
						return err
					}
					var got []row
					for _, q := range qs {
						got = append(got, row{q.ReportID, q.Status, q.Note})
						if q.StakeholderID != 40 || q.Organisation != "Distro" {
							t.Errorf("%s: carried stakeholder %d %q, want 40 Distro", n, q.StakeholderID, q.Organisation)
						}
					}
					if fmt.Sprint(got) != fmt.Sprint(w) {
						t.Errorf("%s: requests %v, want %v", n, got, w)
					}
					switch n {
					case "declined":
						if d := qs[0].Decline; d == nil || *d != *declined {
							t.Errorf("the carried decline is %+v, want %+v", d, declined)
						}
					case "lapsed":
						if d := qs[0].Decline; d == nil || *d != *lapsed {
							t.Errorf("the carried decline of a lapsed entry is %+v, want %+v (ask again at once)", d, lapsed)
						}
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// rawReport stores a private report with id as a schema of any version
// since the first takes it, whatever the store's code writes today.
func rawReport(ctx context.Context, db interface {
	Exec(context.Context, string, ...any) error
}, id, projectID, reporterID int64, at time.Time) error {
	return db.Exec(ctx, `INSERT INTO reports (id, project_id, title, description, reporter_id, visibility, status, created_at, updated_at)
		VALUES ($1, $2, 'A bug', 'It breaks.', $3, 'private', 'new', $4, $4)`, id, projectID, reporterID, at.UnixMicro())
}
