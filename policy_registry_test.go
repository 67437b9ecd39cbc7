package vmt

import (
	"encoding/json"
	"slices"
	"testing"
)

// The registry rule, by hand: who reads and who writes an entry serving
// A, B, both, or every project (naming none), on an instance of A and B.
func TestRegistryAccess(t *testing.T) {
	of := func(admin bool, vmtOf ...string) RegistryAccess {
		r := RegistryAccess{Authenticated: true, Admin: admin, Projects: map[string]ProjectAccess{}}
		for _, p := range []string{"A", "B"} {
			r.Projects[p] = ProjectAccess{Authenticated: true, Admin: admin, VMT: slices.Contains(vmtOf, p)}
		}
		return r
	}
	anon := RegistryAccess{Projects: map[string]ProjectAccess{"A": {}, "B": {}}}
	actors := []struct {
		name string
		ra   RegistryAccess
	}{
		{"anonymous", anon}, {"stranger", of(false)}, {"vmtA", of(false, "A")}, {"vmtB", of(false, "B")},
		{"vmtAB", of(false, "A", "B")}, {"admin", of(true)},
	}
	entries := [][]string{{"A"}, {"B"}, {"A", "B"}, nil}
	// One letter per entry above: r reads and writes, - reads only, x neither.
	want := map[string]string{
		"anonymous": "xxxx",
		"stranger":  "xxxx",
		"vmtA":      "rx--",
		"vmtB":      "xr--",
		"vmtAB":     "rrrr",
		"admin":     "rrrr",
	}
	for _, a := range actors {
		got := ""
		for _, e := range entries {
			switch read, write := a.ra.CanRead(e), a.ra.CanWrite(e); {
			case read && write:
				got += "r"
			case read:
				got += "-"
			case write:
				got += "!" // writing what one cannot read: never
			default:
				got += "x"
			}
		}
		if got != want[a.name] {
			t.Errorf("%s: %s, want %s", a.name, got, want[a.name])
		}
		if keeper := a.ra.Keeper(); keeper != (a.name != "anonymous" && a.name != "stranger") {
			t.Errorf("%s: Keeper %v", a.name, keeper)
		}
	}
	for _, tc := range []struct {
		name string
		err  error
		code string
	}{
		{"anonymous", anon.RequireRead("stakeholder", []string{"A"}), EUNAUTHENTICATED},
		{"stranger", of(false).RequireRead("stakeholder", []string{"A"}), EFORBIDDEN},
		{"hidden", of(false, "B").RequireRead("stakeholder", []string{"A"}), ENOTFOUND},
		{"shared", of(false, "B").RequireWrite("stakeholder", []string{"A", "B"}), EFORBIDDEN},
		{"widened", of(false, "B").RequireWrite("stakeholder", []string{"B"}, []string{"B", "A"}), EFORBIDDEN},
		{"moved", of(false, "A").RequireWrite("stakeholder", []string{"A"}, []string{"B"}), EFORBIDDEN},
		{"own", of(false, "B").RequireWrite("stakeholder", []string{"B"}, []string{"B"}), ""},
		// No project at all: a VMT of nothing keeps nothing.
		{"no projects", RegistryAccess{Authenticated: true, Projects: map[string]ProjectAccess{}}.RequireWrite("stakeholder", nil), EFORBIDDEN},
	} {
		if ErrorCode(tc.err) != tc.code {
			t.Errorf("%s: %v, want %q", tc.name, tc.err, tc.code)
		}
	}
}

// Every project setting is its VMT's and the administrators'.
func TestProjectAccess(t *testing.T) {
	acts := []ProjectAction{ProjectDisclosure, ProjectPublication, ProjectTemplates, ProjectCNA, ProjectRegistry, ProjectIntake, ProjectImport, ProjectForge}
	for _, act := range acts {
		for _, tc := range []struct {
			acc  ProjectAccess
			code string
		}{
			{ProjectAccess{}, EUNAUTHENTICATED},
			{ProjectAccess{Authenticated: true}, EFORBIDDEN},
			{ProjectAccess{Authenticated: true, VMT: true}, ""},
			{ProjectAccess{Authenticated: true, Admin: true}, ""},
		} {
			if got := ErrorCode(tc.acc.Require(act)); got != tc.code {
				t.Errorf("%s as %+v: %q, want %q", act, tc.acc, got, tc.code)
			}
		}
	}
	if (ProjectAccess{Authenticated: true, Admin: true}).Can("unknown") {
		t.Error("an unknown project action is allowed")
	}
}

// A grant stands on the stakeholder it was made through only while it is
// the last word on the account's access.
func TestStandingGrants(t *testing.T) {
	ev := func(action, before, after string) *AuditEvent {
		e := &AuditEvent{Action: action}
		if before != "" {
			e.Before = json.RawMessage(before)
		}
		if after != "" {
			e.After = json.RawMessage(after)
		}
		return e
	}
	evs := []*AuditEvent{
		ev("report.grant", "", `{"user_id":1,"stakeholder_id":7}`),          // stands
		ev("report.grant", "", `{"user_id":2,"stakeholder_id":7}`),          // revoked below
		ev("report.grant", "", `{"user_id":3,"stakeholder_id":8}`),          // another organisation
		ev("report.grant", "", `{"user_id":4,"stakeholder_id":7}`),          // then an ordinary subscription
		ev("report.grant_revoke", `{"user_id":2}`, ""),                      //
		ev("subscription.remove", `{"user_id":4}`, ""),                      //
		ev("subscription.add", "", `{"user_id":4}`),                         //
		ev("report.grant", "", `{"user_id":5,"stakeholder_id":7}`),          // stands
		ev("report.access_request", "", `{"user_id":6,"stakeholder_id":7}`), // not a grant
		ev("report.grant", "", `{"user_id":2,"stakeholder_id":8}`),          // 2 again, through 8
	}
	if got := StandingGrants(evs, 7); !slices.Equal(got, []int64{1, 5}) {
		t.Errorf("standing grants through 7: %v, want [1 5]", got)
	}
	if got := StandingGrants(evs, 8); !slices.Equal(got, []int64{2, 3}) {
		t.Errorf("standing grants through 8: %v, want [2 3]", got)
	}
}
