package http_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// stakeholderPrincipals, in the order of every expectation string:
//
//	anon   no credentials
//	admin  administrator
//	vmt    VMT member of the project
//	vmtX   VMT member of another project only (the registry serves all)
//	rev    core security reviewer, no project role
//	own    the applicant of request {req}
//	rep    another signed-in user
//	stk    a downstream stakeholder account
var stakeholderPrincipals = strings.Fields("anon admin vmt vmtX rev own rep stk")

// The registry is the VMT's; an application is its applicant's and the
// VMT's; statuses written out by hand.
var stakeholderRoutes = []struct {
	method, path, body, want string
}{
	{"GET", "/api/v1/stakeholders", "", "401 200 200 200 403 403 403 403"},
	{"GET", "/api/v1/stakeholders/{k}", "", "401 200 200 200 403 403 403 403"},
	{"POST", "/api/v1/stakeholders", `{"organisation":"New {who}","contacts":["a@new.example"]}`, "401 201 201 201 403 403 403 403"},
	{"PUT", "/api/v1/stakeholders/{k}", `{"organisation":"Distro","contacts":["b@distro.example"]}`, "401 200 200 200 403 403 403 403"},
	{"GET", "/api/v1/stakeholder-requests", "", "401 200 200 200 200 200 200 200"},
	{"GET", "/api/v1/stakeholder-requests/{req}", "", "401 200 200 200 404 200 404 404"},
	{"POST", "/api/v1/stakeholder-requests", `{"organisation":"Org {who}","contacts":["x@org.example"],"rationale":"we ship it"}`, "401 201 201 201 201 201 201 201"},
	{"POST", "/api/v1/stakeholder-requests/{req}/decline", `{"note":"no"}`, "401 409 409 409 403 403 403 403"},
}

func TestStakeholderAuthz(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		other, err := e.svc.CreateProject(ctx, e.admin, vmt.Project{Name: "other", AdvisoryPrefix: "OSA", NotePrefix: "OSN", Branches: []string{"main"}})
		noErr(t, err)
		roles := map[string]vmt.Role{"vmt": vmt.RoleVMT, "vmtX": vmt.RoleVMT, "rev": vmt.RoleReviewer, "own": vmt.RoleReporter,
			"rep": vmt.RoleReporter, "stk": vmt.RoleStakeholder}
		tokens := map[string]string{"anon": "", "admin": e.token}
		actors := map[string]vmt.Actor{}
		for _, p := range stakeholderPrincipals[2:] {
			actors[p], tokens[p] = e.user(p+"@example.org", roles[p])
		}
		noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: actors["vmt"].ID(), Role: vmt.MemberVMT}))
		noErr(t, e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: other.ID, UserID: actors["vmtX"].ID(), Role: vmt.MemberVMT}))
		k, err := e.svc.CreateStakeholder(ctx, e.admin, vmt.StakeholderInput{Organisation: "Distro", Contacts: []string{"a@distro.example"}})
		noErr(t, err)
		req, err := e.svc.RequestStakeholder(ctx, actors["own"], vmt.StakeholderInput{Organisation: "Mine", Contacts: []string{"me@mine.example"}, Rationale: "downstream"})
		noErr(t, err)
		// Decided, so that the decline route answers 409 to the VMT
		// every time rather than deciding on the first call.
		_, err = e.svc.AcceptStakeholder(ctx, e.admin, req.ID, vmt.DecideInput{})
		noErr(t, err)

		for _, rt := range stakeholderRoutes {
			want := strings.Fields(rt.want)
			for i, p := range stakeholderPrincipals {
				path := strings.NewReplacer("{k}", strconv.FormatInt(k.ID, 10), "{req}", strconv.FormatInt(req.ID, 10)).Replace(rt.path)
				body := strings.ReplaceAll(rt.body, "{who}", p)
				code, out := e.do(rt.method, path, tokens[p], body)
				if strconv.Itoa(code) != want[i] {
					t.Errorf("%s %s as %s: %d, want %s (%s)", rt.method, rt.path, p, code, want[i], out)
				}
			}
		}

		// Each applicant lists their own requests only; the VMT all.
		_, out := e.do("GET", "/api/v1/stakeholder-requests", tokens["rep"], "")
		var list struct {
			Items []vmt.StakeholderRequest `json:"items"`
		}
		noErr(t, json.Unmarshal([]byte(out), &list))
		if len(list.Items) != 1 || list.Items[0].Organisation != "Org rep" || list.Items[0].UserID != actors["rep"].ID() {
			t.Errorf("rep's requests: %s", out)
		}
		_, out = e.do("GET", "/api/v1/stakeholder-requests", tokens["vmt"], "")
		noErr(t, json.Unmarshal([]byte(out), &list))
		if len(list.Items) != 1+len(stakeholderPrincipals)-1 {
			t.Errorf("the VMT sees %d requests, want %d", len(list.Items), len(stakeholderPrincipals))
		}
		// A refused import names the field.
		code, out := e.do("POST", "/api/v1/stakeholders", e.token, `{"organisation":"K","contacts":["k@k.example"],"public_key":"not a key"}`)
		if code != 400 || !strings.Contains(out, `"public_key"`) {
			t.Errorf("a bad key: %d %s, want 400 naming public_key", code, out)
		}
	})
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
