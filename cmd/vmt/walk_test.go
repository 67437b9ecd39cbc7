package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// maxCoordinatorActions is what issue 12 allows the coordinator for a
// class-A private case, intake to Fix released (23 when it was filed).
const maxCoordinatorActions = 12

// TestWalkClassAPrivate is the acceptance walk of issue 12: a class-A
// private case from intake to Fix released, through the HTTP API of a real
// `vmt serve` (walk_setup_test.go), each person with their own token.
// Every API call the coordinator makes is counted; the walk fails above
// maxCoordinatorActions. The administrator's setup and the test's own
// checks (read as the administrator) are not the coordinator's work.
func TestWalkClassAPrivate(t *testing.T) {
	w := newWalk(t)
	c, notice := w.classAToNotice()
	r := c.path

	// The stakeholder, told, asks to read the report.
	w.as(w.stakeholderToken, "POST", r+"/access-requests", `{"note":"we ship the agent"}`, 201)

	// 5. The date moves; those told hear of it.
	at, err := time.Parse(time.RFC3339, notice["report"].(map[string]any)["disclosure_at"].(string))
	if err != nil {
		t.Fatal(err)
	}
	moved := at.Add(24 * time.Hour).UTC().Format(time.RFC3339)
	w.coord("move the disclosure date", "POST", r+"/disclosure-date",
		`{"disclosure_at":"`+moved+`","reason":"the stable release needs a day more"}`, 200)
	waitFor(t, "the follow-up at the relay", func() bool { return w.mailsTo("sec@distro.example") == 2 })
	g := w.gpg()
	follow := g.decrypt(w.mailTo("sec@distro.example", 2))
	if subj := subjectOf(t, w.mailTo("sec@distro.example", 2)); !strings.HasPrefix(subj, "The disclosure date has moved") {
		t.Errorf("the follow-up's subject is %q", subj)
	}
	if !bytes.Contains(follow, []byte(moved[:10])) {
		t.Errorf("the follow-up does not name the new date %s:\n%s", moved[:10], follow)
	}
	waitFor(t, "the clear follow-up at the relay", func() bool { return w.mailsTo("psirt@cloud.example") == 2 })
	if subj := subjectOf(t, w.mailTo("psirt@cloud.example", 2)); !strings.HasPrefix(subj, "The disclosure date has moved") {
		t.Errorf("the clear follow-up's subject is %q", subj)
	}
	g.verifySigned(w.mailTo("psirt@cloud.example", 2))
	w.checkExtent(c)
	w.checkExtentCatches(c)

	// 6. The advisory: judgment fields, then final.
	rec, adv := w.finalAdvisory(c)

	// The date comes, as time would bring it.
	w.comeDate(c)
	waitFor(t, "the disclosure", func() bool { return w.anonymous(r) == http.StatusOK })
	waitFor(t, "the advisory published", func() bool {
		return bytes.Contains(w.do(w.token, "GET", "/api/v1/advisories/"+rec, "", "", 200), []byte(`"state":"published"`))
	})
	// The fixes are pushed for review at the hour, one branch each.
	want := "vmt/CVE-2026-4242/main vmt/CVE-2026-4242/stable-1"
	waitFor(t, "the fixes pushed", func() bool { return strings.Join(w.pushed(), " ") == want })
	// The published document carries the CVE recorded after it was
	// drafted, and the coordinator's summary.
	pub := w.admin("GET", "/api/v1/advisories/"+rec, "", 200)
	if b, _ := json.Marshal(pub); !bytes.Contains(b, []byte("CVE-2026-4242")) || pub["summary"] != adv["summary"] {
		t.Errorf("the published advisory lacks the CVE or the summary: %s", b)
	}

	// 7. The fixes merge upstream; the tracker carries the report on.
	w.repo.merge(t, "main")
	w.repo.merge(t, "stable-1")
	waitFor(t, "Fix released", func() bool { return w.status(c) == "fix_released" })

	w.tally(maxCoordinatorActions)
	w.checkExtent(c)
	w.s.stop(t)
}

// classAToNotice walks a class-A private case from intake to the notice,
// delivered and checked with GnuPG: the steps the class-A walk and the
// leak share. It returns the case and the notice's answer.
func (w *walk) classAToNotice() (walkCase, map[string]any) {
	t := w.t
	t.Helper()
	// 2. Intake and triage.
	c := w.file(map[string]any{"title": "Agent path traversal", "description": "The agent follows .. in a guest-given path.",
		"components": []string{"agent"}, "affected_versions": "<=1.2.0", "credit": "Ada Lovelace"})
	r := c.path
	// One decision, one action: class A, an advisory is warranted.
	if got := w.obj(w.coord("classify A and confirm", "POST", r+"/transition", `{"to":"confirmed","class":"A"}`, 200)); got["coordinator_id"] != float64(w.coordID) {
		t.Errorf("the confirmer is not the coordinator: %v", got["coordinator_id"])
	}
	w.coord("draft the impact description", "POST", r+"/impact/draft", `{}`, 200)
	// The committee member was subscribed by the draft: it reads the report.
	w.do(w.committeeToken, "GET", r, "", "", 200)
	w.do(w.reporterToken, "POST", r+"/impact/approve", "application/json", "", 200)
	w.do(w.committeeToken, "POST", r+"/impact/approve", "application/json", "", 200)
	if st := w.status(c); st != "triaged" {
		t.Fatalf("after both approvals the report is %v, want triaged", st)
	}
	if advs := w.admin("GET", r+"/advisories", "", 200); len(items(advs)) != 1 {
		t.Fatalf("no advisory draft made at Triaged: %v", advs)
	}
	if st := w.obj(w.coord("request the CVE", "POST", r+"/cve-request", `{}`, 200))["status"]; st != "in_progress" {
		t.Fatalf("after the CVE request the report is %v, want in_progress", st)
	}
	w.coord("record the CVE", "PATCH", r, `{"cves":["CVE-2026-4242"]}`, 200)
	// VMT.md: the CVE goes into a comment, and the report is retitled.
	if title := w.admin("GET", r, "", 200)["title"]; title != "Agent path traversal (CVE-2026-4242)" {
		t.Errorf("after the CVE the title is %q", title)
	}
	if b, _ := json.Marshal(w.admin("GET", r+"/comments", "", 200)); !bytes.Contains(b, []byte("CVE-2026-4242")) {
		t.Errorf("recording the CVE posts no comment naming it (VMT.md, Get assigned CVE): %s", b)
	}

	// 3. Fixes: the reviewer attaches the series per branch and approves.
	// VMT.md subscribes the project's core reviewers for patch
	// development; the coordinator lets the reviewer in only if vmt did not.
	if w.s.get(t, r, w.reviewerToken) == http.StatusNotFound {
		t.Logf("FINDING: the project's reviewer cannot see the private report until the coordinator subscribes them")
		w.coord("subscribe the reviewer", "POST", r+"/subscriptions", `{"user_id":`+strconv.Itoa(w.reviewerID)+`}`, 201)
	}
	for _, branch := range []string{"main", "stable-1"} {
		f := w.obj(w.do(w.reviewerToken, "POST", r+"/fixes?branch="+branch, "application/mbox", w.repo.series, 201))
		fid := fixID(t, f)
		w.do(w.reviewerToken, "POST", "/api/v1/fixes/"+strconv.FormatInt(fid, 10)+"/review", "application/json",
			`{"review":"approved","note":"looks right"}`, 200)
	}

	// 4. The notice: previewed, sent, delivered, checked with GnuPG.
	patches := []string{"cve-2026-4242-main-agent.patch", "cve-2026-4242-stable-1-agent.patch"}
	preview := w.coord("preview the notice", "GET", r+"/notice/preview", "", 200)
	for _, name := range patches {
		if !bytes.Contains(preview, []byte(name)) {
			t.Errorf("the preview lacks the attachment %s: %s", name, preview)
		}
	}
	notice := w.obj(w.coord("send the notice", "POST", r+"/notice", "", 200))
	if st := notice["report"].(map[string]any)["status"]; st != "fix_committed" {
		t.Fatalf("after the notice the report is %v", st)
	}
	waitFor(t, "the notice at the relay", func() bool {
		return w.mailsTo("sec@distro.example") == 1 && w.mailsTo("psirt@cloud.example") == 1
	})
	g := w.gpg()
	inner := g.decrypt(w.mailTo("sec@distro.example", 1))
	names := attachmentNames(t, inner)
	if strings.Join(names, " ") != strings.Join(patches, " ") {
		t.Errorf("the notice's attachments are %q, want %q", names, patches)
	}
	// The stakeholder without a key gets it signed in clear, patches too.
	clear := g.verifySigned(w.mailTo("psirt@cloud.example", 1))
	if got := attachmentNames(t, clear); strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("the clear notice's attachments are %q, want %q", got, names)
	}
	// Those told are in the extent, every address mailed.
	w.checkExtent(c)
	return c, notice
}

// finalAdvisory is the coordinator's part of the advisory: the fields of
// judgment (summary, CVSS) on the draft vmt made, then final. It returns
// the document's record id and the document as edited.
func (w *walk) finalAdvisory(c walkCase) (string, map[string]any) {
	w.t.Helper()
	list := items(w.obj(w.coord("read the advisory draft", "GET", c.path+"/advisories", "", 200)))
	if len(list) != 1 {
		w.t.Fatalf("%d documents on the report, want 1", len(list))
	}
	adv := list[0]
	rec := strconv.Itoa(int(adv["record_id"].(float64)))
	adv["summary"] = "A guest can make the agent write outside its directory."
	adv["cvss"] = []string{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H"}
	body, _ := json.Marshal(adv)
	w.coord("edit summary and CVSS", "PUT", "/api/v1/advisories/"+rec, string(body), 200)
	w.coord("make the advisory final", "POST", "/api/v1/advisories/"+rec+"/embargo", "", 200)
	return rec, adv
}
