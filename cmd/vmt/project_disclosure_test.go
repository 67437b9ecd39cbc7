package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/calendar"
	"github.com/vmtproject/vmt/jobs"
)

// TestProjectDisclosure: show prints the defaults in effect; each flag
// changes only its setting and the rest is kept; the server's refusals
// name the field and change nothing.
func TestProjectDisclosure(t *testing.T) {
	s := newAPIServer(t)
	s.setDeps(func(d *app.Deps) { d.Disclosure.Planner = jobs.Plan })
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)

	out := admin.ok("project", "disclosure", "kata-containers")
	for _, want := range []string{"3-5 business days at 00:00 UTC", "never Monday, Friday", "end of year", "(the default)",
		"embargo limit:", "14 days", "new 2d", "in_progress 14d", "escalate after:", "7 days", "escalation contacts: none"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}

	admin.ok("project", "disclosure", "kata-containers", "--embargo-limit-days", "10", "--timer", "new=3", "--timer", "Fix Committed=0",
		"--escalate-after-days", "5", "--escalation-contact", "board@example.org", "--escalation-contact", "tsc@example.org")
	set := decodeJSON[vmt.DisclosureSettings](t, admin.ok("project", "disclosure", "kata-containers", "--json"))
	if set.EmbargoLimitDays != 10 || set.MaxEmbargoDays != vmt.MaxEmbargoDays || set.Timers.EscalateAfterDays != 5 ||
		strings.Join(set.Timers.EscalationContacts, " ") != "board@example.org tsc@example.org" || len(set.Policy) != 0 {
		t.Errorf("after setting: %+v", set)
	}
	if d := set.Timers.LimitDays; d[vmt.StatusNew] != 3 || d[vmt.StatusFixCommitted] != 0 || d[vmt.StatusInProgress] != 14 {
		t.Errorf("timers %v: want new 3, no fix_committed timer, in_progress kept at 14", d)
	}

	// The policy flags change the policy in effect, one setting at a time.
	admin.ok("project", "disclosure", "kata-containers", "--hour", "14", "--country", "FR")
	admin.ok("project", "disclosure", "kata-containers", "--window", "4-6")
	set = decodeJSON[vmt.DisclosureSettings](t, admin.ok("project", "disclosure", "kata-containers", "--json"))
	var p calendar.Policy
	if err := json.Unmarshal(set.Policy, &p); err != nil {
		t.Fatal(err)
	}
	if p.MinDays != 4 || p.MaxDays != 6 || p.Hour != 14 || strings.Join(p.Countries, ",") != "FR" || len(p.Periods) != 1 || len(p.Avoid) != 2 {
		t.Errorf("policy %+v", p)
	}
	if set.EmbargoLimitDays != 10 {
		t.Errorf("the policy change lost the embargo limit: %d", set.EmbargoLimitDays)
	}
	if out := admin.ok("project", "disclosure", "kata-containers"); !strings.Contains(out, "4-6 business days at 14:00 UTC") || strings.Contains(out, "(the default)") {
		t.Errorf("show after the policy change:\n%s", out)
	}
	admin.ok("project", "disclosure", "kata-containers", "--default-policy")
	if out := admin.ok("project", "disclosure", "kata-containers"); !strings.Contains(out, "3-5 business days at 00:00 UTC") || !strings.Contains(out, "(the default)") {
		t.Errorf("back to the default policy:\n%s", out)
	}

	// The policy text, from standard input; an empty one goes back to
	// vmt's wording. Other settings are kept.
	if r := admin.vmt("# Our process\n\nMail us.\n\n", "project", "disclosure", "kata-containers", "--policy-text", "-"); r.code != 0 {
		t.Fatalf("--policy-text: %d %s", r.code, r.stderr)
	}
	set = decodeJSON[vmt.DisclosureSettings](t, admin.ok("project", "disclosure", "kata-containers", "--json"))
	if set.PolicyText != "# Our process\n\nMail us.\n" || set.EmbargoLimitDays != 10 {
		t.Errorf("after --policy-text: %q, embargo limit %d", set.PolicyText, set.EmbargoLimitDays)
	}
	if out := admin.ok("project", "disclosure", "kata-containers"); !strings.Contains(out, "the project's own, 24 bytes") {
		t.Errorf("show with a policy text:\n%s", out)
	}
	if r := admin.vmt("", "project", "disclosure", "kata-containers", "--policy-text", "-"); r.code != 0 {
		t.Fatalf("--policy-text of nothing: %d %s", r.code, r.stderr)
	}
	if out := admin.ok("project", "disclosure", "kata-containers"); !strings.Contains(out, "vmt's own wording") {
		t.Errorf("show after an empty policy text:\n%s", out)
	}

	admin.fails(exitUsage, "timers.escalation_contacts", "project", "disclosure", "kata-containers", "--escalation-contact", "Board <board@example.org>")
	admin.fails(exitUsage, "timers.limit_days.wont_fix", "project", "disclosure", "kata-containers", "--timer", "wont_fix=3")
	admin.fails(exitUsage, "--timer", "project", "disclosure", "kata-containers", "--timer", "new")
	admin.fails(exitUsage, "unknown status", "project", "disclosure", "kata-containers", "--timer", "shipped=3")
	admin.fails(exitUsage, "window", "project", "disclosure", "kata-containers", "--window", "5-3")
	if set := decodeJSON[vmt.DisclosureSettings](t, admin.ok("project", "disclosure", "kata-containers", "--json")); set.Timers.EscalateAfterDays != 5 || len(set.Policy) != 0 {
		t.Errorf("a refused change altered the settings: %+v", set)
	}
}
