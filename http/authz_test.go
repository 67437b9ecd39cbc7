package http_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// The principals of the matrix, in the order of every expectation string.
//
//	anon   no credentials
//	admin  administrator
//	vmt    VMT member of the report's project
//	vmtX   VMT account, member of another project only
//	revS   core security reviewer subscribed to the report
//	rev    core security reviewer, not subscribed
//	comS   architecture committee member, subscribed
//	com    architecture committee member, not subscribed
//	own    the reporter of the report
//	rep    another reporter
//	stkS   downstream stakeholder, subscribed
//	stk    downstream stakeholder, not subscribed
var principals = strings.Fields("anon admin vmt vmtX revS rev comS com own rep stkS stk")

// reportRoutes are the routes on one report. The expected statuses are
// written out by hand, one per principal, for a private and for a public
// report; they are not computed by the code under test. {id} is the report,
// {revS} the subscribed reviewer, {vmt} the coordinator, {stk} the
// unsubscribed stakeholder.
var reportRoutes = []struct {
	method, path, body string
	private, public    string
}{
	{"GET", "/api/v1/reports/{id}", "",
		"404 200 200 404 200 404 200 404 200 404 200 404",
		"200 200 200 200 200 200 200 200 200 200 200 200"},
	{"PATCH", "/api/v1/reports/{id}", `{"title":"New title"}`,
		"404 200 200 404 403 404 403 404 403 404 403 404",
		"401 200 200 403 403 403 403 403 403 403 403 403"},
	{"PATCH", "/api/v1/reports/{id}", `{"reporter_terms":"No disclosure before 2027"}`,
		"404 200 200 404 403 404 403 404 200 404 403 404",
		"401 200 200 403 403 403 403 403 200 403 403 403"},
	{"POST", "/api/v1/reports/{id}/transition", `{"to":"incomplete"}`,
		"404 200 200 404 403 404 403 404 403 404 403 404",
		"401 200 200 403 403 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/reports/{id}/classify", `{"class":"A"}`,
		"404 200 200 404 403 404 403 404 403 404 403 404",
		"401 200 200 403 403 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/reports/{id}/assign", `{"coordinator_id":{vmt}}`,
		"404 200 200 404 403 404 403 404 403 404 403 404",
		"401 200 200 403 403 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/reports/{id}/cve-request", `{}`,
		"404 200 200 404 403 404 403 404 403 404 403 404",
		"401 200 200 403 403 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/reports/{id}/publicize", `{"reason":"leaked on a public list"}`,
		"404 200 200 404 403 404 403 404 403 404 403 404",
		"401 409 409 403 403 403 403 403 403 403 403 403"},
	// Stakeholder grants: the matrix's report has had no notice, and a
	// public one needs none, so the VMT is refused (409) past the access
	// checks; revoking a grant the stakeholder does not hold is 404.
	{"POST", "/api/v1/reports/{id}/grants", `{"user_id":{stk}}`,
		"404 409 409 404 403 404 403 404 403 404 403 404",
		"401 409 409 403 403 403 403 403 403 403 403 403"},
	{"DELETE", "/api/v1/reports/{id}/grants/{stk}", "",
		"404 404 404 404 403 404 403 404 403 404 403 404",
		"401 404 404 403 403 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/reports/{id}/raise", `{"reason":"the fix needs a complex patch"}`,
		"404 200 200 404 403 404 403 404 403 404 403 404",
		"401 409 409 403 403 403 403 403 403 403 403 403"},
	// An access request is for a stakeholder told of a private report by
	// the notice, which the matrix's reports have not had: 404 to all.
	{"POST", "/api/v1/reports/{id}/access-requests", `{"note":"we ship it"}`,
		"401 404 404 404 404 404 404 404 404 404 404 404",
		"401 404 404 404 404 404 404 404 404 404 404 404"},
	{"GET", "/api/v1/reports/{id}/access-requests", "",
		"404 200 200 404 403 404 403 404 403 404 403 404",
		"401 200 200 403 403 403 403 403 403 403 403 403"},
	// Declining needs a pending request, which the matrix has not: 404
	// to the VMT past the access checks. A requester's own view is for an
	// account told by the notice: 404 to all others.
	{"POST", "/api/v1/reports/{id}/access-requests/{stk}/decline", `{"reason":"not affected"}`,
		"404 404 404 404 403 404 403 404 403 404 403 404",
		"401 404 404 403 403 403 403 403 403 403 403 403"},
	{"GET", "/api/v1/reports/{id}/access-requests/mine", "",
		"401 404 404 404 404 404 404 404 404 404 404 404",
		"401 404 404 404 404 404 404 404 404 404 404 404"},
	{"GET", "/api/v1/reports/{id}/subscriptions", "",
		"404 200 200 404 403 404 403 404 200 404 403 404",
		"401 200 200 403 403 403 403 403 200 403 403 403"},
	{"POST", "/api/v1/reports/{id}/subscriptions", `{"user_id":{stk}}`,
		"404 201 201 404 403 404 403 404 403 404 403 404",
		"401 201 201 403 403 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/reports/{id}/cve-request", "",
		"404 200 200 404 403 404 403 404 403 404 403 404",
		"401 200 200 403 403 403 403 403 403 403 403 403"},
	{"DELETE", "/api/v1/reports/{id}/subscriptions/{revS}", "",
		"404 204 204 404 204 404 403 404 403 404 403 404",
		"401 204 204 403 204 403 403 403 403 403 403 403"},
	{"GET", "/api/v1/reports/{id}/comments", "",
		"404 200 200 404 200 404 200 404 200 404 200 404",
		"200 200 200 200 200 200 200 200 200 200 200 200"},
	{"GET", "/api/v1/reports/{id}/attachments", "",
		"404 200 200 404 200 404 200 404 200 404 200 404",
		"200 200 200 200 200 200 200 200 200 200 200 200"},
	{"POST", "/api/v1/reports/{id}/comments", `{"body":"A comment"}`,
		"404 201 201 404 201 404 201 404 201 404 201 404",
		"401 201 201 201 201 201 201 201 201 201 201 201"},
	{"GET", "/api/v1/reports/{id}/audit", "",
		"404 200 200 404 403 404 403 404 403 404 403 404",
		"401 200 200 403 403 403 403 403 403 403 403 403"},
	{"GET", "/api/v1/reports/{id}/extent", "",
		"404 200 200 404 403 404 403 404 200 404 403 404",
		"401 200 200 403 403 403 403 403 200 403 403 403"},
	// The triage hints show other reports of the project: its VMT only.
	{"GET", "/api/v1/reports/{id}/triage", "",
		"404 200 200 404 403 404 403 404 403 404 403 404",
		"401 200 200 403 403 403 403 403 403 403 403 403"},
	// Marking a duplicate: its VMT only; no report has this number, so
	// the VMT is refused (400) past the access checks.
	{"POST", "/api/v1/reports/{id}/duplicate", `{"of":999999}`,
		"404 400 400 404 403 404 403 404 403 404 403 404",
		"401 400 400 403 403 403 403 403 403 403 403 403"},
	// The notice preview shows the registry's addresses: the report's VMT
	// only. The matrix's server sends no notices, so the VMT is refused
	// (400) past the access checks.
	{"GET", "/api/v1/reports/{id}/notice/preview", "",
		"404 400 400 404 403 404 403 404 403 404 403 404",
		"401 400 400 403 403 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/reports/{id}/notice/preview", `{}`,
		"404 400 400 404 403 404 403 404 403 404 403 404",
		"401 400 400 403 403 403 403 403 403 403 403 403"},
	{"GET", "/api/v1/reports/{id}/fixes", "",
		"404 200 200 404 200 404 200 404 200 404 200 404",
		"200 200 200 200 200 200 200 200 200 200 200 200"},
	{"GET", "/api/v1/reports/{id}/fixes/matrix", "",
		"404 200 200 404 200 404 200 404 200 404 200 404",
		"200 200 200 200 200 200 200 200 200 200 200 200"},
	{"GET", "/api/v1/reports/{id}/fixes/approval", "",
		"404 200 200 404 200 404 200 404 200 404 200 404",
		"200 200 200 200 200 200 200 200 200 200 200 200"},
	// A waiver is the coordinators'.
	{"POST", "/api/v1/reports/{id}/fixes/waivers", `{"reason":"stable-3.2 is at its end of life"}`,
		"404 201 201 404 403 404 403 404 403 404 403 404",
		"401 201 201 403 403 403 403 403 403 403 403 403"},
	// The impact description (issue 4). The matrix's reports have no
	// credit or components, so a draft is refused by the template (400)
	// once access is granted, and an approval finds no text (409): both
	// show who gets past the access checks. Only the reporter and the
	// committee get that far with an approval.
	{"GET", "/api/v1/reports/{id}/impact", "",
		"404 200 200 404 200 404 200 404 200 404 200 404",
		"200 200 200 200 200 200 200 200 200 200 200 200"},
	{"POST", "/api/v1/reports/{id}/impact/draft", `{}`,
		"404 400 400 404 403 404 403 404 403 404 403 404",
		"401 400 400 403 403 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/reports/{id}/impact/approve", "",
		"404 403 403 404 403 404 409 404 409 404 403 404",
		"401 403 403 403 403 403 409 409 409 403 403 403"},
	// The project is not a CNA: refused (400) once access is granted.
	{"POST", "/api/v1/reports/{id}/cve-reserve", "",
		"404 400 400 404 403 404 403 404 403 404 403 404",
		"401 400 400 403 403 403 403 403 403 403 403 403"},
	// The CVE through GitHub: the project's CNA is not GitHub (400), once
	// access is granted.
	{"POST", "/api/v1/reports/{id}/cve-request/github", "",
		"404 400 400 404 403 404 403 404 403 404 403 404",
		"401 400 400 403 403 403 403 403 403 403 403 403"},
	// The temporary private fork: no GitHub repository here (400), once
	// access is granted.
	{"POST", "/api/v1/reports/{id}/github-fork", "",
		"404 400 400 404 403 404 403 404 403 404 403 404",
		"401 400 400 403 403 403 403 403 403 403 403 403"},
	// A branch of the fork as a series: no GitHub repository here (400)
	// for one who may attach a fix; a public report takes a link (400).
	{"POST", "/api/v1/reports/{id}/fixes/from-fork", `{"branch":"main","ref":"fix-1"}`,
		"404 400 400 404 400 404 400 404 400 404 400 404",
		"401 400 400 403 400 403 400 403 400 403 400 403"},
	// The issue a report is followed in: refused on a private report,
	// and for a project with no GitHub repository (400), once access is
	// granted.
	{"POST", "/api/v1/reports/{id}/forge-issue", `{"number":7}`,
		"404 400 400 404 403 404 403 404 403 404 403 404",
		"401 400 400 403 403 403 403 403 403 403 403 403"},
	// A link is refused on a private report (400) once access is granted.
	{"POST", "/api/v1/reports/{id}/fixes", `{"branch":"main","url":"https://example.org/pr/1"}`,
		"404 400 400 404 400 404 400 404 400 404 400 404",
		"401 201 201 403 201 403 201 403 201 403 201 403"},
	// Advisories (issue 4; the routes on one document are in
	// api_advisories_test.go). The matrix's reports are unclassified, so a
	// draft is refused (409) once access is granted.
	{"GET", "/api/v1/reports/{id}/advisories", "",
		"404 200 200 404 200 404 200 404 200 404 200 404",
		"200 200 200 200 200 200 200 200 200 200 200 200"},
	{"POST", "/api/v1/reports/{id}/advisories", `{"vendor":"Kata Containers","title":"Escape","description":"It escapes.","affected":[{"component":"runtime","versions":"<3.2.1"}]}`,
		"404 409 409 404 403 404 403 404 403 404 403 404",
		"401 409 409 403 403 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/reports/{id}/advisories/draft-from-report", `{}`,
		"404 409 409 404 403 404 403 404 403 404 403 404",
		"401 409 409 403 403 403 403 403 403 403 403 403"},
}

// otherRoutes are the routes on users, tokens, projects and the audit log.
// {own} is the reporter's user id; {n} makes a body unique per request.
var otherRoutes = []struct {
	method, path, body string
	want               string
}{
	{"GET", "/api/v1/me", "", "401 200 200 200 200 200 200 200 200 200 200 200"},
	// One's own address proof: every principal here is vouched for by
	// the administrator (proven already), and a made-up link is refused.
	{"POST", "/api/v1/me/email-proof", "", "401 409 409 409 409 409 409 409 409 409 409 409"},
	{"POST", "/api/v1/me/email-proof/confirm", `{"token":"vmtp_madeup{n}"}`, "401 400 400 400 400 400 400 400 400 400 400 400"},
	// One's own GitHub login: every signed-in principal sets its own.
	{"GET", "/api/v1/me/github-login", "", "401 200 200 200 200 200 200 200 200 200 200 200"},
	{"PUT", "/api/v1/me/github-login", `{"github_login":"gh-{n}"}`, "401 200 403 403 403 403 403 403 403 403 403 403"},
	// One's own inbox and notification settings: every signed-in principal.
	{"GET", "/api/v1/inbox", "", "401 200 200 200 200 200 200 200 200 200 200 200"},
	{"GET", "/api/v1/account/notifications", "", "401 200 200 200 200 200 200 200 200 200 200 200"},
	{"PUT", "/api/v1/account/notifications", `{"kinds":{"comment":false},"digest":false}`, "401 200 200 200 200 200 200 200 200 200 200 200"},
	{"PUT", "/api/v1/account/notifications", `{"kinds":{"nonsense":false}}`, "401 400 400 400 400 400 400 400 400 400 400 400"},
	{"GET", "/api/v1/users", "", "401 200 403 403 403 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/users", `{"email":"new{n}@example.org","role":"reporter"}`, "401 201 403 403 403 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/users/invite", `{"email":"invited{n}@example.org","role":"vmt"}`, "401 201 403 403 403 403 403 403 403 403 403 403"},
	{"GET", "/api/v1/users/{own}", "", "401 200 404 404 404 404 404 404 200 404 404 404"},
	{"PATCH", "/api/v1/users/{own}", `{"name":"Renamed"}`, "401 200 404 404 404 404 404 404 200 404 404 404"},
	{"PATCH", "/api/v1/users/{own}", `{"role":"reporter"}`, "401 200 404 404 404 404 404 404 403 404 404 404"},
	{"PUT", "/api/v1/users/{own}/github-login", `{"github_login":"own-{n}"}`, "401 200 404 404 404 404 404 404 403 404 404 404"},
	{"GET", "/api/v1/users/{own}/tokens", "", "401 200 404 404 404 404 404 404 200 404 404 404"},
	{"POST", "/api/v1/users/{own}/tokens", `{"name":"laptop"}`, "401 201 404 404 404 404 404 404 201 404 404 404"},
	{"GET", "/api/v1/projects", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"GET", "/api/v1/projects/kata-containers", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	{"POST", "/api/v1/projects", `{"name":"p{n}","advisory_prefix":"PSA","note_prefix":"PSN","branches":["main"]}`, "401 201 403 403 403 403 403 403 403 403 403 403"},
	{"PATCH", "/api/v1/projects/kata-containers", `{"branches":["main","stable-3.3"]}`, "401 200 403 403 403 403 403 403 403 403 403 403"},
	{"GET", "/api/v1/projects/kata-containers/members", "", "401 200 200 200 200 200 200 200 200 200 200 200"},
	{"PUT", "/api/v1/projects/kata-containers/members/{rev}", `{"role":"reviewer"}`, "401 200 403 403 403 403 403 403 403 403 403 403"},
	{"GET", "/api/v1/audit", "", "401 200 403 403 403 403 403 403 403 403 403 403"},
	{"GET", "/api/v1/audit?report=1&action=report.create&since=2026-01-01T00:00:00Z", "", "401 200 403 403 403 403 403 403 403 403 403 403"},
	// The whole outbox and the setup checklist: administrators only.
	{"GET", "/api/v1/outbox", "", "401 200 403 403 403 403 403 403 403 403 403 403"},
	{"GET", "/api/v1/outbox?state=failed", "", "401 200 403 403 403 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/outbox/999999/retry", "", "401 404 403 403 403 403 403 403 403 403 403 403"},
	{"GET", "/api/v1/setup", "", "401 200 403 403 403 403 403 403 403 403 403 403"},
	{"GET", "/api/v1/statuses", "", "200 200 200 200 200 200 200 200 200 200 200 200"},
	// Where a project announces its advisories: its VMT and administrators.
	{"GET", "/api/v1/projects/kata-containers/publication", "", "401 200 200 403 403 403 403 403 403 403 403 403"},
	{"PUT", "/api/v1/projects/kata-containers/publication", `{"lists":[{"address":"announce@example.org"}]}`, "401 200 200 403 403 403 403 403 403 403 403 403"},
	// Importing earlier advisories: its VMT and administrators (a dry
	// run, so that each cell finds the same state).
	{"POST", "/api/v1/projects/kata-containers/advisories/import", `{"dry_run":true,"documents":[{"file":"a.json","advisory":{"id":"KCSA-2019-{n}","kind":"advisory","state":"published","title":"t","description":"d","affected":[{"component":"runtime","versions":"<1.0.0"}],"published":"2019-02-22T00:00:00Z"}}]}`, "401 200 200 403 403 403 403 403 403 403 403 403"},
	// A project's own templates and CVE Services settings: its VMT and
	// administrators. The reset runs after the set: the administrator
	// removes the override, the coordinator finds none left (404).
	{"GET", "/api/v1/projects/kata-containers/templates/impact-description", "", "401 200 200 403 403 403 403 403 403 403 403 403"},
	{"PUT", "/api/v1/projects/kata-containers/templates/impact-description", `{"text":"{{.Title}}: {{.Description}}"}`, "401 200 200 403 403 403 403 403 403 403 403 403"},
	{"DELETE", "/api/v1/projects/kata-containers/templates/impact-description", "", "401 204 404 403 403 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/projects/kata-containers/templates/impact-description/preview", `{"text":"{{.Title}}"}`, "401 200 200 403 403 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/projects/kata-containers/templates/impact-description/preview", `{}`, "401 200 200 403 403 403 403 403 403 403 403 403"},
	{"GET", "/api/v1/projects/kata-containers/cna", "", "401 200 200 403 403 403 403 403 403 403 403 403"},
	{"PUT", "/api/v1/projects/kata-containers/cna", `{"enabled":false}`, "401 200 200 403 403 403 403 403 403 403 403 403"},
	{"GET", "/api/v1/projects/kata-containers/intake", "", "401 200 200 403 403 403 403 403 403 403 403 403"},
	{"PUT", "/api/v1/projects/kata-containers/intake", `{"enabled":false,"folder":"INBOX"}`, "401 200 200 403 403 403 403 403 403 403 403 403"},
	{"GET", "/api/v1/projects/kata-containers/intake/failures", "", "401 200 200 403 403 403 403 403 403 403 403 403"},
	// The GitHub repository: its VMT sees the settings, administrators
	// set them (where credentials are read and sent). The webhook takes
	// no credentials but its signature: a project with no repository set
	// up is 404 to everyone.
	{"GET", "/api/v1/projects/kata-containers/forge", "", "401 200 200 403 403 403 403 403 403 403 403 403"},
	{"PUT", "/api/v1/projects/kata-containers/forge", `{"enabled":false}`, "401 200 403 403 403 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/projects/kata-containers/forge/webhook", `{}`, "404 404 404 404 404 404 404 404 404 404 404 404"},
}

// matrix is the cast of the authorization tests.
type matrix struct {
	*env
	actors map[string]vmt.Actor
	tokens map[string]string
}

func newMatrix(t *testing.T, engine string) *matrix {
	e := newEnv(t, engine)
	m := &matrix{env: e, actors: map[string]vmt.Actor{"admin": e.admin}, tokens: map[string]string{"admin": e.token}}
	roles := map[string]vmt.Role{"vmt": vmt.RoleVMT, "vmtX": vmt.RoleVMT, "revS": vmt.RoleReviewer, "rev": vmt.RoleReviewer,
		"comS": vmt.RoleCommittee, "com": vmt.RoleCommittee, "own": vmt.RoleReporter, "rep": vmt.RoleReporter,
		"stkS": vmt.RoleStakeholder, "stk": vmt.RoleStakeholder}
	for _, p := range principals[2:] {
		m.actors[p], m.tokens[p] = e.user(p+"@example.org", roles[p])
	}
	ctx := context.Background()
	other, err := e.svc.CreateProject(ctx, e.admin, vmt.Project{Name: "other", AdvisoryPrefix: "OSA", NotePrefix: "OSN", Branches: []string{"main"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, mb := range []vmt.Member{
		{ProjectID: e.proj.ID, UserID: m.actors["vmt"].ID(), Role: vmt.MemberVMT},
		{ProjectID: other.ID, UserID: m.actors["vmtX"].ID(), Role: vmt.MemberVMT},
	} {
		if err := e.svc.SetMember(ctx, e.admin, mb); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// report files a fresh report by "own", subscribes revS, comS and stkS, and
// makes it public if asked.
func (m *matrix) report(public bool) int64 {
	m.t.Helper()
	ctx := context.Background()
	r, err := m.svc.CreateReport(ctx, m.actors["own"], vmt.ReportInput{Project: "kata-containers", Title: "Guest escape via virtio-fs", Description: "Details."})
	if err != nil {
		m.t.Fatal(err)
	}
	for _, p := range []string{"revS", "comS", "stkS"} {
		if _, err := m.svc.Subscribe(ctx, m.admin, r.ID, m.actors[p].ID()); err != nil {
			m.t.Fatal(err)
		}
	}
	if public {
		if _, err := m.svc.MakePublic(ctx, m.admin, r.ID, "test"); err != nil {
			m.t.Fatal(err)
		}
	}
	return r.ID
}

func (m *matrix) expand(s string, id int64, n int) string {
	r := strings.NewReplacer("{id}", itoa(id), "{n}", strconv.Itoa(n),
		"{own}", itoa(m.actors["own"].ID()), "{revS}", itoa(m.actors["revS"].ID()),
		"{rev}", itoa(m.actors["rev"].ID()), "{vmt}", itoa(m.actors["vmt"].ID()), "{stk}", itoa(m.actors["stk"].ID()))
	return r.Replace(s)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestAuthorizationMatrix sends every route as every principal, against a
// private and a public report, each cell on a fresh report so that cells do
// not depend on one another.
func TestAuthorizationMatrix(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newMatrix(t, engine)
		n := 0
		for _, rt := range reportRoutes {
			for _, vis := range []string{"private", "public"} {
				want := strings.Fields(rt.private)
				if vis == "public" {
					want = strings.Fields(rt.public)
				}
				if len(want) != len(principals) {
					t.Fatalf("%s %s %s: %d expectations for %d principals", rt.method, rt.path, vis, len(want), len(principals))
				}
				for i, p := range principals {
					id := m.report(vis == "public")
					n++
					code, body := m.do(rt.method, m.expand(rt.path, id, n), m.tokens[p], m.expand(rt.body, id, n))
					if strconv.Itoa(code) != want[i] {
						t.Errorf("%s %s %s (%s report) as %s: got %d, want %s; body %.300s", rt.method, rt.path, rt.body, vis, p, code, want[i], body)
					}
					if vis == "private" && want[i] == "404" && strings.Contains(body, "virtio") {
						t.Errorf("%s %s as %s: a 404 answer shows the private title: %s", rt.method, rt.path, p, body)
					}
				}
			}
		}
		for _, rt := range otherRoutes {
			want := strings.Fields(rt.want)
			if len(want) != len(principals) {
				t.Fatalf("%s %s: %d expectations for %d principals", rt.method, rt.path, len(want), len(principals))
			}
			for i, p := range principals {
				n++
				code, body := m.do(rt.method, m.expand(rt.path, 0, n), m.tokens[p], m.expand(rt.body, 0, n))
				if strconv.Itoa(code) != want[i] {
					t.Errorf("%s %s %s as %s: got %d, want %s; body %.300s", rt.method, rt.path, rt.body, p, code, want[i], body)
				}
			}
		}
	})
}

// TestListsHidePrivateReports checks that a private report is absent from
// the lists and counts of everyone who may not see it, under every filter.
func TestListsHidePrivateReports(t *testing.T) {
	// Who sees the private report in a list, by hand.
	sees := map[string]bool{"admin": true, "vmt": true, "revS": true, "comS": true, "own": true, "stkS": true}
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newMatrix(t, engine)
		priv := m.report(false)
		pub := m.report(true)
		for _, q := range []string{"", "?status=new", "?visibility=private", "?project=kata-containers", "?limit=1&offset=0", "?reporter={own}"} {
			for _, p := range principals {
				code, body := m.do("GET", "/api/v1/reports"+m.expand(q, 0, 0), m.tokens[p], "")
				if code != 200 {
					t.Fatalf("list%s as %s: %d %s", q, p, code, body)
				}
				var l struct {
					Items []struct{ ID int64 } `json:"items"`
					Total int                  `json:"total"`
				}
				if err := json.Unmarshal([]byte(body), &l); err != nil {
					t.Fatal(err)
				}
				ids := map[int64]bool{}
				for _, it := range l.Items {
					ids[it.ID] = true
				}
				wantTotal := 0
				if sees[p] {
					wantTotal++
				}
				if q != "?visibility=private" {
					wantTotal++ // the public report
				}
				if l.Total != wantTotal {
					t.Errorf("list%s as %s: total %d, want %d", q, p, l.Total, wantTotal)
				}
				if q == "?limit=1&offset=0" {
					continue // one item of two: which one is a matter of order
				}
				if ids[priv] != sees[p] {
					t.Errorf("list%s as %s: private report listed = %v, want %v", q, p, ids[priv], sees[p])
				}
				if q != "?visibility=private" && !ids[pub] {
					t.Errorf("list%s as %s: public report missing", q, p)
				}
			}
		}
	})
}
