package main

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// inboxUser is a person with a token and a terminal.
type inboxUser struct {
	cli   *cliUser
	token string
	actor vmt.Actor
}

func addInboxUser(t *testing.T, s *apiServer, admin *cliUser, email, role, member string) inboxUser {
	t.Helper()
	u := decodeJSON[vmt.User](t, admin.ok("user", "add", "--email", email, "--role", role, "--json"))
	if member != "" {
		admin.ok("project", "member", "kata-containers", strconv.FormatInt(u.ID, 10), member)
	}
	secret := strings.TrimSpace(admin.ok("token", "new", "--user", strconv.FormatInt(u.ID, 10), "--name", "laptop"))
	c := newCLIUser(t)
	c.login(s, secret)
	a, err := s.svc.Authenticate(t.Context(), secret)
	if err != nil {
		t.Fatal(err)
	}
	return inboxUser{c, secret, a}
}

// apiInbox reads GET /api/v1/inbox with the user's token.
func apiInbox(t *testing.T, s *apiServer, u inboxUser) vmt.Inbox {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.url+"/api/v1/inbox", nil)
	req.Header.Set("Authorization", "Bearer "+u.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/inbox: %d %s", res.StatusCode, b)
	}
	var in vmt.Inbox
	if err := json.Unmarshal(b, &in); err != nil {
		t.Fatal(err)
	}
	return in
}

// tableIDs are the report ids of the rows under title in vmt inbox's
// output, in order.
func tableIDs(out, title string) []string {
	var ids []string
	in := false
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.HasSuffix(l, ":") && !strings.HasPrefix(l, " "):
			in = l == title
		case in && l != "" && !strings.HasPrefix(l, "ID ") && !strings.HasPrefix(l, "  "):
			ids = append(ids, strings.Fields(l)[0])
		}
	}
	return ids
}

func inboxIDs(items []vmt.InboxItem) []string {
	ids := []string{}
	for _, x := range items {
		ids = append(ids, strconv.FormatInt(x.ReportID, 10)+" "+x.Action)
	}
	return ids
}

// For each role, the API's inbox, vmt inbox --json and vmt inbox's
// table agree, and hold what waits on that person: the reporter's
// approval and the committee's, the coordinator waiting on both, the
// VMT's untriaged reports, the reviewer's fix to review.
func TestInboxAPIAndCLIAgree(t *testing.T) {
	s := newAPIServer(t)
	ctx := t.Context()
	admin := newCLIUser(t)
	admin.login(s, s.adminToken)
	coord := addInboxUser(t, s, admin, "coord@example.org", "vmt", "vmt")
	vmt2 := addInboxUser(t, s, admin, "vmt2@example.org", "vmt", "vmt")
	rep := addInboxUser(t, s, admin, "rep@example.org", "reporter", "")
	com := addInboxUser(t, s, admin, "com@example.org", "committee", "committee")
	rev := addInboxUser(t, s, admin, "rev@example.org", "reviewer", "reviewer")
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	file := func(title string) int64 {
		v, err := s.svc.CreateReport(ctx, rep.actor, vmt.ReportInput{Project: "kata-containers", Title: title, Description: "The agent trusts the guest.",
			Components: []string{"agent"}})
		must(v, err)
		return v.ID
	}
	// 1: confirmed by coord, its impact description waits on both approvals.
	r1 := file("Escape one")
	must(s.svc.Classify(ctx, coord.actor, r1, "A"))
	must(s.svc.Transition(ctx, coord.actor, r1, vmt.TransitionInput{To: vmt.StatusConfirmed}))
	impact := "A guest can escape to the host."
	must(s.svc.UpdateReport(ctx, coord.actor, r1, vmt.ReportPatch{ImpactDescription: &impact}))
	// 2: new, no coordinator.
	r2 := file("Escape two")
	// 3: made public, with a fix waiting for review.
	r3 := file("Escape three")
	must(s.svc.MakePublic(ctx, coord.actor, r3, "it is on the mailing list already"))
	must(s.svc.Assign(ctx, coord.actor, r3, coord.actor.ID()))
	must(s.svc.AttachFix(ctx, rep.actor, r3, vmt.FixInput{Branch: "main", URL: "https://github.com/kata-containers/kata-containers/pull/1"}))

	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	for _, c := range []struct {
		name         string
		u            inboxUser
		mine, others []string
	}{
		{"coordinator", coord, []string{id(r2) + " triage the report (no coordinator yet)", id(r3) + " triage the report"},
			[]string{id(r1) + " approval of the impact description"}},
		{"vmt", vmt2, []string{id(r2) + " triage the report (no coordinator yet)"}, []string{}},
		{"reporter", rep, []string{id(r1) + " approve the impact description"},
			[]string{id(r2) + " triage the report", id(r3) + " triage the report"}},
		{"committee", com, []string{id(r1) + " approve the impact description for the committee"}, []string{}},
		{"reviewer", rev, []string{id(r3) + " review the fix for main"}, []string{id(r1) + " approval of the impact description"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			api := apiInbox(t, s, c.u)
			cli := decodeJSON[vmt.Inbox](t, c.u.cli.ok("inbox", "--json"))
			if !reflect.DeepEqual(api, cli) {
				t.Errorf("API and vmt inbox --json differ:\n api %+v\n cli %+v", api, cli)
			}
			if got := inboxIDs(api.Mine); !reflect.DeepEqual(got, c.mine) {
				t.Errorf("waiting on %s: %q, want %q", c.name, got, c.mine)
			}
			if got := inboxIDs(api.Others); !reflect.DeepEqual(got, c.others) {
				t.Errorf("%s waits on: %q, want %q", c.name, got, c.others)
			}
			table := c.u.cli.ok("inbox")
			for title, items := range map[string][]vmt.InboxItem{"Waiting on you:": api.Mine, "You wait on:": api.Others} {
				var want []string
				for _, x := range items {
					want = append(want, id(x.ReportID))
				}
				if got := tableIDs(table, title); !reflect.DeepEqual(got, want) {
					t.Errorf("vmt inbox under %q: %v, want the API's %v\n%s", title, got, want, table)
				}
			}
		})
	}
}
