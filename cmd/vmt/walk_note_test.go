package main

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// maxNoteActions is what the coordinator may need for a class-B1 private
// case, intake to its security note published and the report closed:
// classify B1 and set Opinion (one decision), draft the impact
// description, draft the note from the record, write its summary, make
// it final, issue it. Six, and nothing else: no notice, no CVE, no
// patches for the stable branches.
const maxNoteActions = 6

// TestWalkClassB1Note walks a class-B1 case (VMT.md: "a vulnerability that
// can only be fixed in master, security note for stable branches"): the
// report is set to Opinion, the core security reviewers are subscribed
// to decide on a note (VMT.md, Reception), the note (KCSN, not a KCSA) is
// written from the record and issued, which ends the embargo ("these
// reports may still sometimes remain under embargo until the KCSN is
// issued"), and the report is Fix released ("the security note is
// published", status.go). The project announces to its list.
func TestWalkClassB1Note(t *testing.T) {
	w := newWalk(t)
	w.admin("PUT", "/api/v1/projects/kata-containers/publication", `{"lists":[{"address":"kata-dev@lists.example","signing":"sign"}]}`, 200)
	c := w.file(map[string]any{"title": "Debug console enabled in the sample configuration",
		"description": "The sample configuration turns the debug console on; a guest process can reach it.",
		"components":  []string{"runtime"}, "affected_versions": "<=1.2.0", "credit": "Ada Lovelace"})
	r := c.path

	w.coord("classify B1 and set Opinion", "POST", r+"/transition", `{"to":"opinion","class":"B1"}`, 200)
	// The reviewers decide on the note: subscribed by the move, they read
	// the private report and say so.
	if code := w.s.get(t, r, w.reviewerToken); code != http.StatusOK {
		t.Fatalf("the core reviewer reads the report in Opinion: %d, want 200 (VMT.md: subscribed to decide on a KCSN)", code)
	}
	w.as(w.reviewerToken, "POST", r+"/comments", `{"body":"A security note for the stable branches: fixed on main by the new default."}`, 201)

	// The note's text is the impact description of the record, approved
	// by the reporter and the committee as vmt asks of every text it
	// publishes (VMT.md names no approver for a KCSN).
	w.coord("draft the impact description", "POST", r+"/impact/draft", `{}`, 200)
	w.do(w.reporterToken, "POST", r+"/impact/approve", "application/json", "", 200)
	w.do(w.committeeToken, "POST", r+"/impact/approve", "application/json", "", 200)
	if st := w.status(c); st != "opinion" {
		t.Fatalf("after the approvals the report is %v, want opinion (a note case is never Triaged)", st)
	}
	doc := w.obj(w.coord("draft the note from the record", "POST", r+"/advisories/draft-from-report", `{}`, 201))
	if doc["kind"] != "note" {
		t.Fatalf("class B1 drafted a %v, want a note (KCSN): %v", doc["kind"], doc)
	}
	rec := strconv.Itoa(int(doc["record_id"].(float64)))
	doc["summary"] = "The sample configuration enables the debug console."
	doc["mitigation"] = "Turn the debug console off in the configuration of the stable branches."
	w.coord("write the note's summary", "PUT", "/api/v1/advisories/"+rec, string(jsonOf(t, doc)), 200)
	final := w.obj(w.coord("make the note final", "POST", "/api/v1/advisories/"+rec+"/embargo", "", 200))
	id, _ := final["id"].(string)
	if !strings.HasPrefix(id, "KCSN-") {
		t.Errorf("the note is numbered %q, want KCSN-…", id)
	}
	w.checkExtent(c)

	// Issuing the note ends the embargo: the report and the note go public
	// together, and the report is closed.
	w.coord("issue the note", "POST", r+"/publicize", `{"reason":"the security note is issued"}`, 200)
	if st := w.status(c); st != "fix_released" {
		t.Errorf("after the note is published the report is %v, want fix_released (status.go: Opinion → Fix released, the security note is published)", st)
		w.coord("close the report", "POST", r+"/transition", `{"to":"fix_released"}`, 200)
	}
	if code := w.anonymous(r); code != http.StatusOK {
		t.Errorf("the report is not public after the note: %d", code)
	}
	rep := w.admin("GET", r, "", 200)
	if d, _ := rep["description"].(string); strings.Contains(d, "embargo") {
		t.Errorf("the embargo reminder is still on the public report: %q", d)
	}
	pub := w.admin("GET", "/api/v1/advisories/"+rec, "", 200)
	if pub["state"] != "published" {
		t.Fatalf("the note is %v, want published", pub["state"])
	}
	resp, err := http.Get(w.s.url + "/advisories/" + id)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(page, []byte("The sample configuration enables the debug console.")) {
		t.Errorf("the public page of %s: %d, without the summary", id, resp.StatusCode)
	}
	// The announcement to the list is signed (the list is public).
	waitFor(t, "the announcement", func() bool { return w.mailsTo("kata-dev@lists.example") == 1 })
	ann := w.mailTo("kata-dev@lists.example", 1)
	if subj := subjectOf(t, ann); !strings.Contains(subj, id) {
		t.Errorf("the announcement's subject %q does not name %s", subj, id)
	}
	w.gpg().verifySigned(ann)
	// No notice, no stakeholder told: a note is not a pre-advisory.
	if n := w.mailsTo("sec@distro.example") + w.mailsTo("psirt@cloud.example"); n != 0 {
		t.Errorf("%d mails to the stakeholders for a note", n)
	}

	w.tally(maxNoteActions)
	w.checkExtent(c)
	w.s.stop(t)
}
