package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
)

// maxLeakActions is what the coordinator may need for a class-A private
// case that leaks after the notice: the class-A walk's steps to the
// notice (six), the advisory made final (three), and the embargo ended
// (one) in place of the date moved; the disclosure and Fix released are
// vmt's.
const maxLeakActions = 10

// TestWalkLeak walks a class-A private case whose embargo is broken after
// the notice went to the stakeholders (VMT.md, Embargo exceptions: "the
// same process is followed if an embargoed issue is, accidentally or
// not, leaked to the public ... moved to the Public state"). The
// coordinator ends the embargo early, and vmt discloses completely, as
// at the hour: the report public with its reminder removed, the final
// advisory published, the fixes pushed, the publication notice for CVE
// written, and every recipient of the notice told, signed by the
// project's key and encrypted where it was, that the embargo has ended
// and why. The merges then carry it to Fix released.
func TestWalkLeak(t *testing.T) {
	w := newWalk(t)
	c, _ := w.classAToNotice()
	r := c.path

	// The patch shows up on a public list: the coordinator finishes the
	// advisory and ends the embargo.
	rec, adv := w.finalAdvisory(c)
	why := "the patch was posted to a public mailing list"
	before := time.Now()
	got := w.obj(w.coord("end the embargo: leaked", "POST", r+"/publicize", `{"reason":"`+why+`"}`, 200))
	if got["visibility"] != "public" {
		t.Fatalf("after the leak the report is %v", got["visibility"])
	}
	if at, err := time.Parse(time.RFC3339Nano, got["disclosure_at"].(string)); err != nil || at.Before(before.Add(-time.Second)) || at.After(time.Now()) {
		t.Errorf("the disclosure date after the leak is %v (%v), want now", got["disclosure_at"], err)
	}
	if d, _ := got["description"].(string); strings.Contains(strings.ToLower(d), "embargo") {
		t.Errorf("the embargo reminder is still on the public report: %q", d)
	}
	if code := w.anonymous(r); code != http.StatusOK {
		t.Errorf("the leaked report is not public: %d", code)
	}
	pub := w.admin("GET", "/api/v1/advisories/"+rec, "", 200)
	if pub["state"] != "published" || pub["summary"] != adv["summary"] {
		t.Errorf("the advisory after the leak: %v, summary %q; want published with the coordinator's summary", pub["state"], pub["summary"])
	}
	if id, _ := pub["id"].(string); w.anonymous("/advisories/"+id) != http.StatusOK {
		t.Errorf("the advisory %q has no public page", id)
	}
	// The steps of the hour: the pushes, the CVE publication notice.
	var outbox struct{ Items []vmt.OutboxItem }
	if err := json.Unmarshal(w.do(w.token, "GET", r+"/outbox", "", "", 200), &outbox); err != nil {
		t.Fatal(err)
	}
	var pushes int
	var told []string
	for _, o := range outbox.Items {
		switch o.Kind {
		case vmt.KindPush:
			pushes++
		case vmt.KindNotice:
			var m vmt.NoticeMail
			if err := json.Unmarshal(o.Payload, &m); err != nil {
				t.Fatal(err)
			}
			told = append(told, m.To...)
		}
	}
	if pushes != 2 {
		t.Errorf("%d pushes of the fixes queued at the leak, want one per supported branch", pushes)
	}
	want := "vmt/CVE-2026-4242/main vmt/CVE-2026-4242/stable-1"
	waitFor(t, "the fixes pushed", func() bool { return strings.Join(w.pushed(), " ") == want })
	if audit, _ := json.Marshal(w.admin("GET", r+"/audit", "", 200)); !bytes.Contains(audit, []byte(`"publication_notice"`)) {
		t.Errorf("no publication notice for CVE written at the leak")
	}

	// Everyone the notice told hears of it, from the project's key.
	if len(told) != 2 {
		t.Fatalf("the notice told %v, want the two stakeholders", told)
	}
	g := w.gpg()
	for _, addr := range told {
		waitFor(t, "the follow-up to "+addr, func() bool { return w.mailsTo(addr) == 2 })
		mail := w.mailTo(addr, 2)
		if subj := subjectOf(t, mail); !strings.HasPrefix(subj, "The embargo has ended") {
			t.Errorf("the follow-up to %s has the subject %q", addr, subj)
		}
		var body []byte
		if addr == "sec@distro.example" { // its notice was encrypted: so is this
			body = g.decrypt(mail)
		} else {
			body = g.verifySigned(mail)
		}
		if !bytes.Contains(body, []byte(why)) || !bytes.Contains(body, []byte("ended early")) {
			t.Errorf("the follow-up to %s does not say the embargo ended and why:\n%s", addr, body)
		}
	}

	// The merges carry the report on, as after the hour.
	w.repo.merge(t, "main")
	w.repo.merge(t, "stable-1")
	waitFor(t, "Fix released", func() bool { return w.status(c) == "fix_released" })

	w.tally(maxLeakActions)
	w.checkExtent(c)
	w.s.stop(t)
}
