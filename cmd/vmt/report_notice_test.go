package main

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/jobs"
	"github.com/vmtproject/vmt/render"
)

// `vmt report notice --dry-run` shows each mail the notice would send,
// sends nothing, and is what the send then does: the same recipients and
// subject. The reporter cannot preview (the report's VMT only).
func TestReportNoticeDryRun(t *testing.T) {
	s := newAPIServer(t)
	set, err := render.NewSet(nil)
	if err != nil {
		t.Fatal(err)
	}
	s.setDeps(func(d *app.Deps) {
		d.Disclosure = vmt.DisclosureHooks{Keys: jobs.CheckKey, Planner: jobs.Plan, Notice: jobs.Site{BaseURL: "https://vmt.example.org", Team: "Kata Containers VMT"}.Notice(set)}
	})
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	rep, _ := addUser(t, s, admin, "reporter@example.org", "reporter")
	other, _ := addUser(t, s, admin, "other@example.org", "reporter")
	ctx := context.Background()
	a, err := s.svc.Authenticate(ctx, s.adminToken)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateStakeholder(ctx, a, vmt.StakeholderInput{Organisation: "Distro", Contacts: []string{"sec@distro.example"}}); err != nil {
		t.Fatal(err)
	}
	rep.ok("report", "new", "--title", "Guest escape", "--description", "The agent trusts the guest.", "--component", "agent")
	// Where the notice is sent from, through the store: In Progress with
	// a CVE and an impact description; the coordinator waives main.
	err = s.svc.Deps().Store.Update(ctx, func(tx vmt.Tx) error {
		r, err := tx.Report(1)
		if err != nil {
			return err
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		r.Status, r.CVEs, r.CVERequestedAt = vmt.StatusInProgress, []string{"CVE-2026-4242"}, &now
		r.ImpactDescription = "A guest can make the agent run code on the host."
		return tx.UpdateReport(r)
	})
	if err != nil {
		t.Fatal(err)
	}
	admin.ok("report", "fix-waive", "1", "--reason", "the fix ships with the advisory")

	// The reporter sees the report but may not coordinate it; another
	// reporter does not see it at all.
	rep.fails(exitAuth, "only its VMT may", "report", "notice", "1", "--dry-run")
	other.fails(exitNotFound, "not found", "report", "notice", "1", "--dry-run")
	out := admin.ok("report", "notice", "1", "--dry-run")
	for _, want := range []string{"Dry run: nothing was sent", "== stakeholder:1 (Distro)", "To: sec@distro.example",
		"signed, not encrypted", "No approved patch for main: none attached.", "No approved patch is attached for main.",
		"A guest can make the agent run code on the host."} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	pv := decodeJSON[vmt.NoticePreview](t, admin.ok("report", "notice", "1", "--dry-run", "--json"))
	items, err := s.svc.Outbox(ctx, a, 1)
	// The notifications of the steps before it are not the dry run's.
	items = slices.DeleteFunc(items, func(o *vmt.OutboxItem) bool {
		return o.Kind == vmt.KindNotification || o.Kind == vmt.KindNotificationLink
	})
	if err != nil || len(items) != 0 {
		t.Fatalf("the dry run enqueued %d mails, %v", len(items), err)
	}
	res := decodeJSON[vmt.NoticeResult](t, admin.ok("report", "notice", "1", "--json"))
	var previewed []string
	for _, m := range pv.Mails {
		previewed = append(previewed, m.Recipient)
	}
	if !slices.Equal(previewed, res.Recipients) || pv.Subject != res.Subject || !pv.Disclosure.Equal(res.Disclosure) {
		t.Errorf("previewed %v %q %s, sent %v %q %s", previewed, pv.Subject, pv.Disclosure, res.Recipients, res.Subject, res.Disclosure)
	}
	// Those mailed are in the extent: to the VMT with the address, to the
	// reporter without it.
	if out := admin.ok("report", "extent", "1"); !strings.Contains(out, "Mailed the report's private content") ||
		!strings.Contains(out, "sec@distro.example") || !strings.Contains(out, "stakeholder:1 (Distro)") || !strings.Contains(out, "not encrypted") {
		t.Errorf("extent as the VMT:\n%s", out)
	}
	if out := rep.ok("report", "extent", "1"); !strings.Contains(out, "(withheld)") || strings.Contains(out, "sec@distro.example") {
		t.Errorf("extent as the reporter:\n%s", out)
	}
}
