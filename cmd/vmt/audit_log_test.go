package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestAuditLogCommand: the audit log one event a line (time in UTC, the
// actor by address, the action, the report), filtered by report, action
// and time through the real server on both engines, paged by the command
// past the server's page size.
func TestAuditLogCommand(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			s := newAPIServerOn(t, engine)
			admin := newCLIUser(t)
			admin.login(s, s.adminToken)
			vera := tokenFor(t, s, admin, "vera@example.org", "reporter")
			vera.ok("report", "new", "--title", "Agent accepts unsigned requests", "--description", "Steps.", "--component", "agent")
			admin.ok("report", "comment", "1", "--body", "Confirmed on main.")

			out := admin.ok("audit", "log")
			line := regexp.MustCompile(`(?m)^\d+\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+vera@example\.org\s+report\.create\s+#1\s+report:1$`)
			if !line.MatchString(out) {
				t.Errorf("audit log has no readable line of the report's creation:\n%s", out)
			}
			if len(lines(out, "admin@example.org", "user.create", "user:")) == 0 || len(lines(out, "admin@example.org", "comment.add", "#1")) != 1 {
				t.Errorf("audit log:\n%s", out)
			}
			if !strings.Contains(out, "TIME (UTC)") || strings.Contains(out, "actor_id") {
				t.Errorf("audit log is not the readable table:\n%s", out)
			}
			rep := admin.ok("audit", "log", "--report", "1")
			if len(lines(rep, "#1")) != len(strings.Split(strings.TrimSpace(rep), "\n"))-1 || strings.Contains(rep, "user.create") {
				t.Errorf("--report 1 has events of no report:\n%s", rep)
			}
			if acts := admin.ok("audit", "log", "--action", "comment.add,report.create"); len(strings.Split(strings.TrimSpace(acts), "\n")) != 3 {
				t.Errorf("--action comment.add,report.create:\n%s", acts)
			}
			if out := admin.ok("audit", "log", "--since", "2099-01-01"); out != "No event matches.\n" {
				t.Errorf("--since the future: %q", out)
			}
			if out := admin.ok("audit", "log", "--since", "1h"); !line.MatchString(out) {
				t.Errorf("--since 1h lacks the report's creation:\n%s", out)
			}
			if out := admin.ok("audit", "log", "--actor", "VERA@example.org"); !line.MatchString(out) || len(strings.Split(strings.TrimSpace(out), "\n")) != 2 {
				t.Errorf("--actor vera: only the report's creation, want:\n%s", out)
			}
			admin.fails(exitUsage, "", "audit", "log", "--actor", "vera")
			admin.fails(exitUsage, `--since "yesterday"`, "audit", "log", "--since", "yesterday")
			admin.fails(exitUsage, `action: "Report Create" is not an action`, "audit", "log", "--action", "Report Create")
			vera.fails(exitAuth, "", "audit", "log")

			// More events than a server page: the command reads on.
			a, err := s.svc.Authenticate(t.Context(), s.adminToken)
			if err != nil {
				t.Fatal(err)
			}
			for i := range vmt.MaxPageSize {
				if _, err := s.svc.AddComment(t.Context(), a, 1, "Comment "+strconv.Itoa(i)); err != nil {
					t.Fatal(err)
				}
			}
			evs := decodeJSON[vmthttp.List[*vmt.AuditEvent]](t, admin.ok("audit", "log", "--report", "1", "--json"))
			if evs.Total != vmt.MaxPageSize+2 || evs.Items[len(evs.Items)-1].Seq <= evs.Items[0].Seq {
				t.Errorf("all of report 1's events: %d, want %d", evs.Total, vmt.MaxPageSize+2)
			}
			if n := len(strings.Split(strings.TrimSpace(admin.ok("audit", "log", "--limit", "3")), "\n")); n != 4 {
				t.Errorf("--limit 3 printed %d lines with the header", n)
			}
		})
	}
}

// parseSince reads a time, a date and an age.
func TestParseSince(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"2026-12-01T09:30:00Z": time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC),
		"2026-12-01":           time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		"36h":                  now.Add(-36 * time.Hour),
		"7d":                   now.AddDate(0, 0, -7),
	} {
		if got, err := parseSince(in, now); err != nil || !got.Equal(want) {
			t.Errorf("parseSince(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "yesterday", "-3d", "-1h", "2026-13-01"} {
		if _, err := parseSince(in, now); err == nil {
			t.Errorf("parseSince(%q) accepted", in)
		}
	}
}
