package main

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"
)

// maxInvalidActions is what the coordinator may need to close a report
// that is neither a vulnerability nor a hardening opportunity (class E):
// one action, classify and set Invalid with the reason (PRODUCT.md: "a
// coordinator can turn a report that is not a vulnerability into an
// ordinary public issue (Class D/E) in one action").
const maxInvalidActions = 1

// TestWalkClassEInvalid walks a class-E report (VMT.md taxonomy: "neither
// a vulnerability nor hardening opportunity"): it is set Invalid ("not a
// bug or vulnerability. No further action to be taken"), which switches it
// from private to public (VMT.md, Reception), and the reporter reads why
// on the report, where the process speaks to them. No document is made,
// no mail is sent.
func TestWalkClassEInvalid(t *testing.T) {
	w := newWalk(t)
	c := w.file(map[string]any{"title": "Container can read its own cgroup limits",
		"description": "From inside a container I can read my memory limit."})
	r := c.path
	if code := w.anonymous(r); code != http.StatusNotFound {
		t.Fatalf("a new report is readable anonymously: %d", code)
	}

	why := "Reading one's own cgroup limits is intended: the limits are not secret."
	w.coord("classify E and set Invalid, saying why", "POST", r+"/transition",
		string(jsonOf(t, map[string]any{"to": "invalid", "class": "E", "reason": why})), 200)

	rep := w.admin("GET", r, "", 200)
	if rep["status"] != "invalid" || rep["class"] != "E" || rep["visibility"] != "public" || rep["hardening"] != false {
		t.Errorf("after Invalid: status %v, class %v, visibility %v, hardening %v; want invalid, E, public, false",
			rep["status"], rep["class"], rep["visibility"], rep["hardening"])
	}
	if d, _ := rep["description"].(string); strings.Contains(strings.ToLower(d), "embargo") {
		t.Errorf("the embargo reminder is still on the public report: %q", d)
	}
	if code := w.anonymous(r); code != http.StatusOK {
		t.Errorf("the invalid report is not public: %d", code)
	}
	// The reporter reads the reason on the report.
	comments, _ := json.Marshal(w.as(w.reporterToken, "GET", r+"/comments", "", 200))
	if !strings.Contains(string(comments), why) {
		t.Errorf("the reason does not reach the reporter: their comments are %s", comments)
	}
	if !strings.Contains(string(comments), "Invalid") {
		t.Errorf("the reporter is not told the report is Invalid: %s", comments)
	}
	// Nothing is drafted, nothing is mailed, and no step is left.
	if docs := items(w.admin("GET", r+"/advisories", "", 200)); len(docs) != 0 {
		t.Errorf("%d documents for an invalid report", len(docs))
	}
	if next, _ := rep["next_statuses"].([]any); len(next) != 1 || next[0] != "incomplete" {
		t.Errorf("from Invalid the report may go to %v, want only back to incomplete (reopened)", next)
	}
	// The only mails are the notifications of issue 13: the project's VMT
	// (the coordinator and the bootstrapped administrator, a VMT member)
	// told of the new report, the reporter of the move in one mail that
	// says why. Nothing goes to a stakeholder or a list.
	want := "ada@example.org admin@localhost vera@example.org"
	waitFor(t, "the notifications at the relay", func() bool { return len(w.relay.Messages()) >= 3 })
	var to []string
	for _, m := range w.relay.Messages() {
		to = append(to, m.To...)
	}
	sort.Strings(to)
	if strings.Join(to, " ") != want {
		t.Errorf("mails for an invalid report went to %v, want %s", to, want)
	}
	extent, _ := json.Marshal(w.admin("GET", r+"/extent", "", 200))
	if !strings.Contains(string(extent), `"who":"everyone"`) {
		t.Errorf("the extent does not show the report public: %s", extent)
	}

	w.tally(maxInvalidActions)
	w.checkExtent(c)
	w.s.stop(t)
}
