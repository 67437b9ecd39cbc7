package http_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// Who may use each registry route is in the registry's part of the
// authorization matrix (authz_registry_test.go). Here, what the lists hold:
// an applicant reads their own applications only, a project's VMT those
// naming its project, and a refused import names the field.
func TestStakeholderLists(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newRegistryMatrix(t, engine)
		for _, p := range registryPrincipals[1:] {
			if p == "unproven" {
				continue // refused until it proves its address (the matrix's row)
			}
			body := `{"organisation":"Org ` + p + `","contacts":["x@org.example"],"projects":["kata-containers"],"rationale":"we ship it"}`
			if code, out := m.do("POST", "/api/v1/stakeholder-requests", m.tokens[p], body); code != 201 {
				t.Fatalf("%s applies: %d %s", p, code, out)
			}
		}
		if code, out := m.do("POST", "/api/v1/stakeholder-requests", m.tokens["rep"],
			`{"organisation":"Org rep for B","contacts":["x@org.example"],"projects":["other"],"rationale":"we ship it"}`); code != 201 {
			t.Fatalf("rep applies to B: %d %s", code, out)
		}
		var list struct {
			Items []struct {
				Organisation string `json:"organisation"`
				UserID       int64  `json:"user_id"`
			} `json:"items"`
		}
		lists := func(p string) []string {
			t.Helper()
			_, out := m.do("GET", "/api/v1/stakeholder-requests", m.tokens[p], "")
			noErr(t, json.Unmarshal([]byte(out), &list))
			var orgs []string
			for _, it := range list.Items {
				orgs = append(orgs, it.Organisation)
			}
			return orgs
		}
		// Every principal but anon and unproven applied, and rep once more.
		applied := len(registryPrincipals) - 2
		for p, want := range map[string]int{"rep": 2, "vmt": applied, "vmtX": 2, "admin": applied + 1} {
			if got := lists(p); len(got) != want {
				t.Errorf("%s lists %d applications, want %d: %v", p, len(got), want, got)
			}
		}
		if got := strings.Join(lists("vmtX"), ", "); got != "Org rep for B, Org vmtX" && got != "Org vmtX, Org rep for B" {
			t.Errorf("B's VMT lists %q: want B's application and its own", got)
		}
		code, out := m.do("POST", "/api/v1/stakeholders", m.token, `{"organisation":"K","contacts":["k@k.example"],"public_key":"not a key"}`)
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
