package http_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// The principals of the registry's part of the authorization matrix, in
// the order of every expectation string:
//
//	anon      no credentials
//	admin     administrator
//	vmt       VMT member of project kata-containers (A)
//	vmtX      VMT member of project other (B) only
//	rev       core security reviewer, no project role
//	rep       a reporter
//	stk       stakeholder account, a contact of A's entry {kA}
//	stkO      stakeholder account of another organisation: a contact of B's entry {kB}
//	unproven  reporter account whose address is a contact of {kA}, never proven
//	own       the applicant of every application of the fixture
var registryPrincipals = strings.Fields("anon admin vmt vmtX rev rep stk stkO unproven own")

// registryRoutes are every route of the stakeholder registry and its
// applications. Each cell runs on a fresh fixture (registryFixture):
// {kA} serves A, {kB} serves B, {kAll} names no project (so serves every
// one); {qA}, {qB} and {qAll} are pending applications naming A, B and
// none. The expected statuses are written by hand: an entry of another
// project's registry is 404 like a missing one; an entry the actor sees
// but may not change (it serves a project the actor is not the VMT of,
// before or after the change) is 403; anyone of no project's VMT is 403.
var registryRoutes = []struct {
	method, path, body, want string
}{
	{"GET", "/api/v1/stakeholders", "", "401 200 200 200 403 403 403 403 403 403"},
	{"GET", "/api/v1/stakeholders/{kA}", "", "401 200 200 404 403 403 403 403 403 403"},
	{"GET", "/api/v1/stakeholders/{kB}", "", "401 200 404 200 403 403 403 403 403 403"},
	{"GET", "/api/v1/stakeholders/{kAll}", "", "401 200 200 200 403 403 403 403 403 403"},
	{"GET", "/api/v1/stakeholders/999999", "", "401 404 404 404 403 403 403 403 403 403"},
	{"POST", "/api/v1/stakeholders", `{"organisation":"New {n}","contacts":["a@new.example"],"projects":["kata-containers"]}`,
		"401 201 201 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/stakeholders", `{"organisation":"New {n}","contacts":["a@new.example"],"projects":["other"]}`,
		"401 201 403 201 403 403 403 403 403 403"},
	{"POST", "/api/v1/stakeholders", `{"organisation":"New {n}","contacts":["a@new.example"],"projects":["kata-containers","other"]}`,
		"401 201 403 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/stakeholders", `{"organisation":"New {n}","contacts":["a@new.example"]}`,
		"401 201 403 403 403 403 403 403 403 403"},
	// Contacts and key of A's entry: A's VMT; B's VMT adding its own
	// address does not find the entry.
	{"PUT", "/api/v1/stakeholders/{kA}", `{"organisation":"A {n}","contacts":["stk@example.org","vmtX@example.org"],"projects":["kata-containers"]}`,
		"401 200 200 404 403 403 403 403 403 403"},
	// Its projects: moving A's entry to B, or widening B's to A, needs
	// the VMT of both.
	{"PUT", "/api/v1/stakeholders/{kA}", `{"organisation":"A {n}","contacts":["stk@example.org"],"projects":["other"]}`,
		"401 200 403 404 403 403 403 403 403 403"},
	{"PUT", "/api/v1/stakeholders/{kB}", `{"organisation":"B {n}","contacts":["stkO@example.org"],"projects":["other","kata-containers"]}`,
		"401 200 404 403 403 403 403 403 403 403"},
	{"PUT", "/api/v1/stakeholders/{kB}", `{"organisation":"B {n}","contacts":["stkO@example.org"]}`,
		"401 200 404 403 403 403 403 403 403 403"},
	{"PUT", "/api/v1/stakeholders/{kAll}", `{"organisation":"All {n}","contacts":["vmtX@example.org"]}`,
		"401 200 403 403 403 403 403 403 403 403"},
	{"PUT", "/api/v1/stakeholders/{kAll}", `{"organisation":"All {n}","contacts":["all@example.org"],"projects":["other"]}`,
		"401 200 403 403 403 403 403 403 403 403"},
	{"DELETE", "/api/v1/stakeholders/{kA}", "", "401 204 204 404 403 403 403 403 403 403"},
	{"DELETE", "/api/v1/stakeholders/{kB}", "", "401 204 404 204 403 403 403 403 403 403"},
	{"DELETE", "/api/v1/stakeholders/{kAll}", "", "401 204 403 403 403 403 403 403 403 403"},
	// Applications: anyone signed in files one and reads their own.
	{"GET", "/api/v1/stakeholder-requests", "", "401 200 200 200 200 200 200 200 200 200"},
	{"POST", "/api/v1/stakeholder-requests", `{"organisation":"Org {n}","contacts":["x@org.example"],"projects":["kata-containers"],"rationale":"we ship it"}`,
		"401 201 201 201 201 201 201 201 403 201"}, // an application needs a proven address
	{"GET", "/api/v1/stakeholder-requests/{qA}", "", "401 200 200 404 404 404 404 404 404 200"},
	{"GET", "/api/v1/stakeholder-requests/{qB}", "", "401 200 404 200 404 404 404 404 404 200"},
	{"GET", "/api/v1/stakeholder-requests/{qAll}", "", "401 200 200 200 404 404 404 404 404 200"},
	{"POST", "/api/v1/stakeholder-requests/{qA}/accept", `{}`, "401 200 200 404 403 403 403 403 403 403"},
	{"POST", "/api/v1/stakeholder-requests/{qB}/accept", `{}`, "401 200 404 200 403 403 403 403 403 403"},
	{"POST", "/api/v1/stakeholder-requests/{qAll}/accept", `{}`, "401 200 403 403 403 403 403 403 403 403"},
	{"POST", "/api/v1/stakeholder-requests/{qA}/decline", `{"note":"no"}`, "401 200 200 404 403 403 403 403 403 403"},
	{"POST", "/api/v1/stakeholder-requests/{qB}/decline", `{"note":"no"}`, "401 200 404 200 403 403 403 403 403 403"},
	{"POST", "/api/v1/stakeholder-requests/{qAll}/decline", `{"note":"no"}`, "401 200 403 403 403 403 403 403 403 403"},
}

// registryMatrix is the cast of the registry's matrix.
type registryMatrix struct {
	*env
	actors map[string]vmt.Actor
	tokens map[string]string
}

func newRegistryMatrix(t *testing.T, engine string) *registryMatrix {
	e := newEnv(t, engine)
	m := &registryMatrix{env: e, actors: map[string]vmt.Actor{"admin": e.admin}, tokens: map[string]string{"admin": e.token}}
	roles := map[string]vmt.Role{"vmt": vmt.RoleVMT, "vmtX": vmt.RoleVMT, "rev": vmt.RoleReviewer, "rep": vmt.RoleReporter,
		"stk": vmt.RoleStakeholder, "stkO": vmt.RoleStakeholder, "unproven": vmt.RoleReporter, "own": vmt.RoleReporter}
	for _, p := range registryPrincipals[2:] {
		if p == "unproven" {
			continue
		}
		m.actors[p], m.tokens[p] = e.user(p+"@example.org", roles[p])
	}
	// The unproven account is made as the report form makes one: its
	// address was typed, never proven.
	unproven, err := e.svc.RegisterReporter(context.Background(), vmt.RegisterInput{Email: "unproven@example.org", Password: "a long password"})
	noErr(t, err)
	tok, err := e.svc.CreateToken(context.Background(), e.admin, unproven.ID(), "test")
	noErr(t, err)
	m.actors["unproven"], m.tokens["unproven"] = unproven, tok.Secret
	if unproven.User.EmailVerifiedAt != nil {
		t.Fatal("the report form's account starts proven")
	}
	ctx := context.Background()
	other, err := e.svc.CreateProject(ctx, e.admin, vmt.Project{Name: "other", AdvisoryPrefix: "OSA", NotePrefix: "OSN", Branches: []string{"main"}})
	noErr(t, err)
	noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: m.actors["vmt"].ID(), Role: vmt.MemberVMT}))
	noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: other.ID, UserID: m.actors["vmtX"].ID(), Role: vmt.MemberVMT}))
	return m
}

// registryFixture makes the entries and pending applications of one cell,
// named uniquely by n, and returns the path replacer for them.
func (m *registryMatrix) registryFixture(n int) *strings.Replacer {
	m.t.Helper()
	ctx := context.Background()
	suffix := " " + strconv.Itoa(n)
	entry := func(org string, contacts, projects []string) int64 {
		k, err := m.svc.CreateStakeholder(ctx, m.admin, vmt.StakeholderInput{Organisation: org + suffix, Contacts: contacts, Projects: projects})
		if err != nil {
			m.t.Fatal(err)
		}
		return k.ID
	}
	apply := func(org string, projects []string) int64 {
		q, err := m.svc.RequestStakeholder(ctx, m.actors["own"], vmt.StakeholderInput{Organisation: org + suffix,
			Contacts: []string{"own@example.org"}, Projects: projects, Rationale: "we ship it"})
		if err != nil {
			m.t.Fatal(err)
		}
		return q.ID
	}
	return strings.NewReplacer(
		"{kA}", itoa(entry("Distro A", []string{"stk@example.org", "unproven@example.org"}, []string{"kata-containers"})),
		"{kB}", itoa(entry("Cloud B", []string{"stkO@example.org"}, []string{"other"})),
		"{kAll}", itoa(entry("Everywhere", []string{"all@example.org"}, nil)),
		"{qA}", itoa(apply("Applicant A", []string{"kata-containers"})),
		"{qB}", itoa(apply("Applicant B", []string{"other"})),
		"{qAll}", itoa(apply("Applicant all", nil)),
		"{n}", strconv.Itoa(n))
}

// TestRegistryAuthorizationMatrix sends every registry route as every
// principal, each cell on a fresh fixture so that cells do not depend on
// one another; a 404 answer shows nothing of the entry it hides.
func TestRegistryAuthorizationMatrix(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newRegistryMatrix(t, engine)
		n := 0
		for _, rt := range registryRoutes {
			want := strings.Fields(rt.want)
			if len(want) != len(registryPrincipals) {
				t.Fatalf("%s %s: %d expectations for %d principals", rt.method, rt.path, len(want), len(registryPrincipals))
			}
			for i, p := range registryPrincipals {
				n++
				r := m.registryFixture(n)
				code, body := m.do(rt.method, r.Replace(rt.path), m.tokens[p], r.Replace(rt.body))
				if strconv.Itoa(code) != want[i] {
					t.Errorf("%s %s %s as %s: got %d, want %s; body %.300s", rt.method, rt.path, rt.body, p, code, want[i], body)
				}
				if code == 404 && strings.Contains(body, "@example.org") {
					t.Errorf("%s %s as %s: a 404 answer shows an address: %s", rt.method, rt.path, p, body)
				}
			}
		}
	})
}
