package main

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	vmthttp "github.com/vmtproject/vmt/http"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// TestOutboxCommands: an administrator lists the outbox with each item's
// state, attempts and last error, and retries a failed item, which the
// worker's next claim takes; the list carries no mail body (an
// invitation's secret link stays out of it). Only administrators.
func TestOutboxCommands(t *testing.T) {
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := t.Context()
			s := newAPIServerOn(t, engine)
			admin := newCLIUser(t)
			admin.login(s, s.adminToken)
			admin.ok("user", "invite", "carol@example.org", "--role", "vmt")
			admin.ok("user", "invite", "dan@example.org", "--role", "reviewer")

			// The worker tries both; the relay refuses Carol's for good.
			items, err := s.svc.ClaimDeliveries(ctx, 10, time.Minute)
			if err != nil || len(items) != 2 {
				t.Fatalf("claim: %d items, %v", len(items), err)
			}
			if err := s.svc.DeliveryFailed(ctx, items[0], errors.New("550 5.1.1 carol@example.org: mailbox unavailable"), false, time.Now()); err != nil {
				t.Fatal(err)
			}
			failedID := strconv.FormatInt(items[0].ID, 10)

			out := admin.ok("outbox", "list", "--state", "failed")
			if rows := lines(out, failedID, vmt.KindInvite, "failed", "carol@example.org", "550 5.1.1"); len(rows) != 1 || strings.Contains(out, "dan@example.org") {
				t.Errorf("outbox list --state failed:\n%s", out)
			}
			all := admin.ok("outbox", "list")
			if len(lines(all, "pending", "1", "dan@example.org")) != 1 || strings.Contains(all, "welcome?token=") {
				t.Errorf("outbox list:\n%s", all)
			}
			js := admin.ok("outbox", "list", "--json")
			l := decodeJSON[vmthttp.List[vmt.OutboxEntry]](t, js)
			if l.Total != 2 || l.Items[0].Attempts != 1 || l.Items[0].LastError == "" || l.Items[0].Subject == "" || strings.Contains(js, "vmtl_") {
				t.Errorf("outbox list --json: %s", js)
			}
			admin.fails(exitUsage, `--state: unknown state "lost"`, "outbox", "list", "--state", "lost")

			if out := admin.ok("outbox", "retry", failedID); !strings.Contains(out, "Outbox item "+failedID+" (invite) is pending again") {
				t.Errorf("retry: %q", out)
			}
			l = decodeJSON[vmthttp.List[vmt.OutboxEntry]](t, admin.ok("outbox", "list", "--state", "pending", "--json"))
			if l.Total != 2 || l.Items[0].ID != items[0].ID || l.Items[0].Attempts != 0 {
				t.Errorf("after the retry: %+v", l.Items)
			}
			again, err := s.svc.ClaimDeliveries(ctx, 10, time.Minute)
			if err != nil || len(again) != 1 || again[0].ID != items[0].ID {
				t.Errorf("the worker's next claim after the retry: %+v, %v", again, err)
			}
			admin.fails(exitConflict, "is pending, not failed", "outbox", "retry", failedID)
			admin.fails(exitNotFound, "", "outbox", "retry", "9999")
			admin.fails(exitUsage, `"x" is not an outbox item id`, "outbox", "retry", "x")
			if out := admin.ok("audit", "log", "--action", vmt.AuditOutboxRetry); len(lines(out, "admin@example.org", "outbox.retry", "outbox:")) != 1 {
				t.Errorf("the retry is not in the audit log:\n%s", out)
			}

			ev := decodeJSON[vmthttp.List[*vmt.AuditEvent]](t, admin.ok("audit", "log", "--action", vmt.AuditOutboxRetry, "--json"))
			var before struct {
				Attempts int    `json:"attempts"`
				Error    string `json:"error"`
			}
			if ev.Total != 1 || json.Unmarshal(ev.Items[0].Before, &before) != nil || before.Attempts != 1 || !strings.Contains(before.Error, "550 5.1.1") {
				t.Errorf("the retry's audit event does not keep the attempts and error it followed: %d events, %+v", ev.Total, before)
			}

			coord := tokenFor(t, s, admin, "vera@example.org", "vmt")
			coord.fails(exitAuth, "", "outbox", "list")
			coord.fails(exitAuth, "", "outbox", "retry", failedID)
		})
	}
}
