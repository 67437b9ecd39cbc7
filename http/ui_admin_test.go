package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/jobs"
)

// adminForm posts a form of an administration page and returns the page
// it leads to with its message, or its refusal.
func adminForm(t *testing.T, b *browser, path string, form url.Values) (flash, refusal string, p *page) {
	t.Helper()
	p = b.post(path, form)
	if p.status != http.StatusOK {
		t.Fatalf("POST %s: %d %s", path, p.status, p.doc.Find("main").Text())
	}
	return strings.TrimSpace(p.doc.Find("main > p.flash").Text()), strings.TrimSpace(p.doc.Find("main > p.error").Text()), p
}

// TestUIAdminSetupPages drives every form of the administration pages as the
// administrator, and reads back through the service what each stored:
// invitations, roles and disabling; a project made, its prefixes and
// branches, members, notice and announcement lists, publication
// settings, disclosure policy and calendar, timers, CVE Services and
// the intake mailbox; the registry and its applications.
// What the service refuses is said on the page and changes nothing.
func TestUIAdminSetupPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		e.withPassword(e.admin)
		b := e.browser()
		b.login("admin@example.org")

		// Users: an invitation, a role, disabling.
		if f, r, _ := adminForm(t, b, "/admin/users/invite", url.Values{"email": {"vera@example.org"}, "name": {"Vera"}, "role": {"vmt"}}); r != "" || !strings.Contains(f, "vera@example.org") {
			t.Fatalf("invite: %q %q", f, r)
		}
		vera := e.userByEmail("vera@example.org")
		if vera.Role != vmt.RoleVMT || vera.Name != "Vera" || e.inviteSecret("vera@example.org") == "" {
			t.Errorf("the invited account: %+v", vera)
		}
		if _, r, _ := adminForm(t, b, "/admin/users/invite", url.Values{"email": {"not an address"}, "role": {"vmt"}}); !strings.Contains(r, "Not done") {
			t.Errorf("a bad address was not refused: %q", r)
		}
		if _, r, _ := adminForm(t, b, "/admin/users/"+itoa(vera.ID)+"/role", url.Values{"role": {"reviewer"}}); r != "" || e.userByEmail("vera@example.org").Role != vmt.RoleReviewer {
			t.Errorf("change of role: %q", r)
		}
		if _, r, _ := adminForm(t, b, "/admin/users/"+itoa(vera.ID)+"/role", url.Values{"role": {"overlord"}}); r == "" || e.userByEmail("vera@example.org").Role != vmt.RoleReviewer {
			t.Errorf("an unknown role: %q", r)
		}
		_, r, p := adminForm(t, b, "/admin/users/"+itoa(vera.ID)+"/disabled", url.Values{"disabled": {"1"}})
		if r != "" || !e.userByEmail("vera@example.org").Disabled || !strings.HasPrefix(p.doc.Find(`tr[data-user="vera@example.org"] .user-state`).Text(), "Disabled") {
			t.Errorf("disabling: %q", r)
		}
		if _, r, _ := adminForm(t, b, "/admin/users/"+itoa(vera.ID)+"/disabled", url.Values{"disabled": {"0"}}); r != "" || e.userByEmail("vera@example.org").Disabled {
			t.Errorf("enabling: %q", r)
		}

		// Projects.
		if _, r, p := adminForm(t, b, "/admin/projects", url.Values{"name": {"runtime-rs"}, "advisory_prefix": {"RRSA"}, "note_prefix": {"RRSN"}, "branches": {"main, stable-1"}}); r != "" || p.url.Path != "/admin/projects/runtime-rs" {
			t.Errorf("a new project: %q at %s", r, p.url)
		}
		if p, err := e.svc.Project(ctx, e.admin, "runtime-rs"); err != nil || strings.Join(p.Branches, ",") != "main,stable-1" {
			t.Errorf("the new project: %v %+v", err, p)
		}
		const proj = "/admin/projects/kata-containers"
		if _, r, _ := adminForm(t, b, proj+"/settings", url.Values{"advisory_prefix": {"KCSA"}, "note_prefix": {"KCSN"}, "branches": {"master\nstable-3.2, stable-3.3"}}); r != "" {
			t.Errorf("branches: %q", r)
		}
		if p, _ := e.svc.Project(ctx, e.admin, "kata-containers"); strings.Join(p.Branches, ",") != "master,stable-3.2,stable-3.3" {
			t.Errorf("branches stored: %v", p.Branches)
		}
		if _, r, _ := adminForm(t, b, proj+"/settings", url.Values{"advisory_prefix": {"KCSA"}, "note_prefix": {"KCSN"}, "branches": {"../etc"}}); !strings.Contains(r, "branches") {
			t.Errorf("a bad branch: %q", r)
		}
		if p, _ := e.svc.Project(ctx, e.admin, "kata-containers"); strings.Join(p.Branches, ",") != "master,stable-3.2,stable-3.3" {
			t.Errorf("a refused branch changed the branches: %v", p.Branches)
		}
		// The service's rule on who may be what is said on the page.
		if _, r, _ := adminForm(t, b, proj+"/members", url.Values{"email": {"vera@example.org"}, "role": {"vmt"}}); !strings.Contains(r, "reviewer role cannot be a vmt member") {
			t.Errorf("a reviewer as the project's VMT: %q", r)
		}
		adminForm(t, b, "/admin/users/"+itoa(vera.ID)+"/role", url.Values{"role": {"vmt"}})
		if _, r, _ := adminForm(t, b, proj+"/members", url.Values{"email": {"vera@example.org"}, "role": {"vmt"}}); r != "" {
			t.Errorf("a member: %q", r)
		}
		if _, r, _ := adminForm(t, b, proj+"/members", url.Values{"email": {"nobody@example.org"}, "role": {"vmt"}}); !strings.Contains(r, "invite it first") {
			t.Errorf("an unknown member: %q", r)
		}
		isMember := func() bool {
			ms, err := e.svc.Members(ctx, e.admin, e.proj.ID)
			noErr(t, err)
			for _, m := range ms {
				if m.UserID == vera.ID && m.Role == vmt.MemberVMT {
					return true
				}
			}
			return false
		}
		if !isMember() {
			t.Error("vera is not a member")
		}
		if _, r, _ := adminForm(t, b, proj+"/members/"+itoa(vera.ID)+"/remove", url.Values{}); r != "" || isMember() {
			t.Errorf("removing the member: %q", r)
		}
		if _, r, _ := adminForm(t, b, proj+"/notice-lists", url.Values{"list_name": {"embargo"}, "address": {"embargo@lists.example"}, "rules": {"private"}}); r != "" {
			t.Errorf("a notice list: %q", r)
		}
		if _, r, _ := adminForm(t, b, proj+"/notice-lists", url.Values{"list_name": {"distros"}, "address": {"distros@vs.openwall.org"}, "rules": {"linux-distros"}}); !strings.Contains(r, "Not done") {
			t.Errorf("a linux-distros list without a key: %q", r)
		}
		d, err := e.svc.DisclosureSettingsOf(ctx, e.admin, "kata-containers")
		noErr(t, err)
		if len(d.Lists) != 1 || d.Lists[0].Address != "embargo@lists.example" || d.Lists[0].Rules != vmt.ListPrivate {
			t.Errorf("the notice lists: %+v", d.Lists)
		}
		if _, r, _ := adminForm(t, b, proj+"/disclosure", url.Values{"embargo_limit_days": {"10"}, "max_embargo_days": {"60"}, "policy_text": {"Our own POLICYMARK."}}); r != "" {
			t.Errorf("disclosure: %q", r)
		}
		if pol := b.get("/projects/kata-containers/policy"); !strings.Contains(pol.body, "POLICYMARK") {
			t.Error("the policy text is not on the public policy page")
		}
		if _, r, _ := adminForm(t, b, proj+"/timers", url.Values{"limit_new": {"3"}, "limit_confirmed": {"9"}, "escalate_after_days": {"2"}, "escalation_contacts": {"boss@example.org"}}); r != "" {
			t.Errorf("timers: %q", r)
		}
		d, err = e.svc.DisclosureSettingsOf(ctx, e.admin, "kata-containers")
		noErr(t, err)
		if d.EmbargoLimitDays != 10 || d.MaxEmbargoDays != 60 || len(d.Lists) != 1 || d.Timers.LimitDays[vmt.StatusNew] != 3 ||
			d.Timers.LimitDays[vmt.StatusConfirmed] != 9 || d.Timers.LimitDays[vmt.StatusTriaged] != 0 || d.Timers.EscalateAfterDays != 2 ||
			strings.Join(d.Timers.EscalationContacts, ",") != "boss@example.org" {
			t.Errorf("the disclosure settings: %+v", d)
		}
		if _, r, _ := adminForm(t, b, proj+"/notice-lists/remove", url.Values{"list_name": {"embargo"}}); r != "" {
			t.Errorf("removing the list: %q", r)
		}
		if _, r, _ := adminForm(t, b, proj+"/announcement-lists", url.Values{"address": {"oss-security@lists.example"}, "signing": {"none"}}); r != "" {
			t.Errorf("an announcement list: %q", r)
		}
		pub, err := e.svc.PublicationSettingsOf(ctx, e.admin, "kata-containers")
		noErr(t, err)
		if len(pub.Lists) != 1 || pub.Lists[0].Signing != vmt.SignNone {
			t.Errorf("announcement lists: %+v", pub.Lists)
		}
		if _, r, _ := adminForm(t, b, proj+"/cna", url.Values{"short_name": {"kata"}, "org_id": {"not-a-uuid"}}); !strings.Contains(r, "org_id") {
			t.Errorf("a bad CNA org id: %q", r)
		}
		if _, r, _ := adminForm(t, b, proj+"/cna", url.Values{"short_name": {"kata"}}); r != "" {
			t.Errorf("CNA: %q", r)
		}
		if c, err := e.svc.CNASettingsOf(ctx, e.admin, "kata-containers"); err != nil || c.ShortName != "kata" || c.Enabled {
			t.Errorf("CNA settings: %v %+v", err, c)
		}
		if _, r, _ := adminForm(t, b, proj+"/publication", url.Values{"webhook_url": {"ftp://chat.example/hook"}}); !strings.Contains(r, "webhook_url") {
			t.Errorf("an ftp webhook: %q", r)
		}
		if _, r, _ := adminForm(t, b, proj+"/publication", url.Values{"webhook_url": {"https://chat.example/hook"}, "advisory_numbering": {"publication"}}); r != "" {
			t.Errorf("publication: %q", r)
		}
		pub, err = e.svc.PublicationSettingsOf(ctx, e.admin, "kata-containers")
		noErr(t, err)
		if pub.WebhookURL != "https://chat.example/hook" || pub.AdvisoryNumbering != vmt.NumberAtPublication || len(pub.Lists) != 1 {
			t.Errorf("publication settings: %+v", pub)
		}
		// The calendar: the service reads it with its Planner.
		e.setDeps(func(d *app.Deps) { d.Disclosure.Planner = jobs.Plan })
		cal := url.Values{"window": {"2-4"}, "hour": {"14"}, "avoid": {"Friday", "Saturday", "Sunday"}, "countries": {"US"}, "periods": {"summer: 08-01 to 08-15\n"}}
		if _, r, _ := adminForm(t, b, proj+"/calendar", url.Values{"window": {"9-2"}, "hour": {"0"}}); !strings.Contains(r, "policy") {
			t.Errorf("a window backwards: %q", r)
		}
		if _, r, _ := adminForm(t, b, proj+"/calendar", cal); r != "" {
			t.Errorf("calendar: %q", r)
		}
		d, err = e.svc.DisclosureSettingsOf(ctx, e.admin, "kata-containers")
		noErr(t, err)
		var stored map[string]any
		noErr(t, json.Unmarshal(d.Policy, &stored))
		if stored["window"] != "2-4" || stored["hour"] != float64(14) || fmt.Sprint(stored["avoid"]) != "[Friday Saturday Sunday]" ||
			fmt.Sprint(stored["countries"]) != "[US]" || fmt.Sprint(stored["periods"]) != "[map[from:08-01 name:summer to:08-15]]" || d.EmbargoLimitDays != 10 {
			t.Errorf("the calendar stored: %s", d.Policy)
		}
		pg := b.get(proj)
		if pg.doc.Find("#cal-window").AttrOr("value", "") != "2-4" || pg.doc.Find("#cal-avoid-Friday[checked]").Length() != 1 ||
			pg.doc.Find("#cal-avoid-Monday[checked]").Length() != 0 || !strings.Contains(pg.doc.Find("#cal-periods").Text(), "summer: 08-01 to 08-15") {
			t.Errorf("the calendar is not shown as stored")
		}
		if _, r, _ := adminForm(t, b, proj+"/calendar", url.Values{"default": {"1"}}); r != "" {
			t.Errorf("back to the default calendar: %q", r)
		}
		if d, _ = e.svc.DisclosureSettingsOf(ctx, e.admin, "kata-containers"); len(d.Policy) != 0 {
			t.Errorf("the default calendar: %s", d.Policy)
		}
		intake := url.Values{"addr": {"imap.example.org:993"}, "security": {"plain"}, "user": {"vmt"}, "password_ref": {"env:VMT_IMAP_PASSWORD"},
			"folder": {"INBOX"}, "key_ref": {"file:/etc/vmt/intake.asc"}}
		if _, r, _ := adminForm(t, b, proj+"/intake", intake); !strings.Contains(r, "security") {
			t.Errorf("plain IMAP to another host: %q", r)
		}
		intake.Set("security", "tls")
		if _, r, _ := adminForm(t, b, proj+"/intake", intake); r != "" {
			t.Errorf("intake: %q", r)
		}
		if c, err := e.svc.IntakeSettingsOf(ctx, e.admin, "kata-containers"); err != nil || c.Enabled || c.Addr != "imap.example.org:993" ||
			c.Security != vmt.IntakeTLS || c.PasswordRef != "env:VMT_IMAP_PASSWORD" || c.KeyRef != "file:/etc/vmt/intake.asc" {
			t.Errorf("intake settings: %v %+v", err, c)
		}
		pg = b.get(proj)
		checkLabels(t, "project page", pg)
		if pg.doc.Find(`#intake-addr`).AttrOr("value", "") != "imap.example.org:993" {
			t.Error("the intake settings are not shown")
		}
		if pg.doc.Find(`#notice-lists li[data-list]`).Length() != 0 || pg.doc.Find(`#announcement-lists li[data-announce="oss-security@lists.example"]`).Length() != 1 ||
			pg.doc.Find(`#cna-short`).AttrOr("value", "") != "kata" || pg.doc.Find(`#limit-new`).AttrOr("value", "") != "3" {
			t.Errorf("the project page does not show what is stored")
		}

		// The registry and its applications. This service checks no keys:
		// a key is refused, and said so.
		// The refused form comes back as typed, the refusal next to its
		// field: a pasted key is not lost.
		const badKey = "-----BEGIN PGP PUBLIC KEY BLOCK-----"
		pg = b.post("/admin/stakeholders", url.Values{"organisation": {"Distro"}, "contacts": {"sec@distro.example"}, "projects": {"kata-containers"}, "public_key": {badKey}})
		if pg.status != http.StatusBadRequest || !strings.Contains(pg.doc.Find("#sh-error").Text(), "cannot check OpenPGP keys") ||
			pg.doc.Find("#sh-key[aria-invalid=true]").Text() != badKey || pg.doc.Find("#sh-organisation").AttrOr("value", "") != "Distro" ||
			pg.doc.Find("#sh-project-kata-containers[checked]").Length() != 1 {
			t.Errorf("a key the instance cannot check: %d %q", pg.status, pg.doc.Find("#sh-error").Text())
		}
		checkLabels(t, "refused stakeholder", pg)
		if _, r, _ := adminForm(t, b, "/admin/stakeholders", url.Values{"organisation": {"Distro"}, "contacts": {"sec@distro.example\npsirt@distro.example"}, "projects": {"kata-containers"}}); r != "" {
			t.Errorf("a stakeholder: %q", r)
		}
		ks, err := e.svc.Stakeholders(ctx, e.admin)
		noErr(t, err)
		if len(ks) != 1 || strings.Join(ks[0].Contacts, ",") != "sec@distro.example,psirt@distro.example" || strings.Join(ks[0].Projects, ",") != "kata-containers" {
			t.Fatalf("the registry: %+v", ks)
		}
		sp := "/admin/stakeholders/" + itoa(ks[0].ID)
		if pg := b.get(sp); pg.status != 200 || pg.doc.Find(`#sh-project-kata-containers[checked]`).Length() != 1 {
			t.Errorf("the stakeholder's page: %d", pg.status)
		} else {
			checkLabels(t, "stakeholder page", pg)
		}
		if pg := b.post(sp, url.Values{"organisation": {"Distro Inc"}, "contacts": {"not an address"}}); pg.status != http.StatusBadRequest ||
			pg.doc.Find("#sh-contacts[aria-invalid=true]").Text() != "not an address" || pg.doc.Find("h1").Text() != "Distro" {
			t.Errorf("a bad contact: %d %q", pg.status, pg.doc.Find("#sh-error").Text())
		}
		if _, r, _ := adminForm(t, b, sp, url.Values{"organisation": {"Distro Inc"}, "contacts": {"sec@distro.example"}}); r != "" {
			t.Errorf("editing: %q", r)
		}
		if k, _ := e.svc.Stakeholder(ctx, e.admin, ks[0].ID); k.Organisation != "Distro Inc" || len(k.Projects) != 0 {
			t.Errorf("edited: %+v", k)
		}
		applicant, _ := e.user("apply@cloud.example", vmt.RoleStakeholder)
		req1, err := e.svc.RequestStakeholder(ctx, applicant, vmt.StakeholderInput{Organisation: "Cloud", Contacts: []string{"apply@cloud.example"}, Rationale: "We ship Kata."})
		noErr(t, err)
		if pg := b.get("/admin/stakeholders"); pg.doc.Find(`#requests li[data-request="Cloud"][data-state="pending"] form`).Length() != 2 {
			t.Errorf("the pending application has no forms")
		}
		if _, r, _ := adminForm(t, b, "/admin/stakeholders/requests/"+itoa(req1.ID)+"/decline", url.Values{"note": {"Not a vendor"}}); r != "" {
			t.Errorf("decline: %q", r)
		}
		if got, _ := e.svc.StakeholderRequest(ctx, e.admin, req1.ID); got.State != vmt.RequestDeclined || got.Note != "Not a vendor" {
			t.Errorf("declined: %+v", got)
		}
		if _, r, _ := adminForm(t, b, "/admin/stakeholders/requests/"+itoa(req1.ID)+"/accept", url.Values{}); !strings.Contains(r, "Not done") {
			t.Errorf("accepting a declined application: %q", r)
		}
		req2, err := e.svc.RequestStakeholder(ctx, applicant, vmt.StakeholderInput{Organisation: "Cloud", Contacts: []string{"apply@cloud.example"}, Rationale: "Again."})
		noErr(t, err)
		if _, r, _ := adminForm(t, b, "/admin/stakeholders/requests/"+itoa(req2.ID)+"/accept", url.Values{}); r != "" {
			t.Errorf("accept: %q", r)
		}
		if ks, _ := e.svc.Stakeholders(ctx, e.admin); len(ks) != 2 {
			t.Errorf("after accepting, %d stakeholders", len(ks))
		}
		if _, r, _ := adminForm(t, b, sp+"/remove", url.Values{}); r != "" {
			t.Errorf("remove: %q", r)
		}
		if _, err := e.svc.Stakeholder(ctx, e.admin, ks[0].ID); vmt.ErrorCode(err) != vmt.ENOTFOUND {
			t.Errorf("the removed stakeholder: %v", err)
		}
		if pg := b.get(sp); pg.status != http.StatusNotFound {
			t.Errorf("the removed stakeholder's page: %d", pg.status)
		}
		for _, path := range []string{"/admin/users", "/admin/projects", "/admin/stakeholders", "/"} {
			pg := b.get(path)
			checkLabels(t, path, pg)
			for _, l := range []string{"/admin/users", "/admin/projects", "/admin/stakeholders"} {
				if pg.doc.Find(`a[href="`+l+`"]`).Length() == 0 {
					t.Errorf("%s does not link to %s", path, l)
				}
			}
		}
	})
}
