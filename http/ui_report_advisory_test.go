package http_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/cveservices"
	"github.com/vmtproject/vmt/cveservices/cvetest"
	"github.com/vmtproject/vmt/cvss"
)

// advisoryReport files a class A report whose impact description the
// reporter and the committee have approved, coordinated by a VMT member;
// it returns the report's path, the coordinator's and the reporter's
// browsers.
func advisoryReport(t *testing.T, e *env) (string, int64, *browser, *browser) {
	t.Helper()
	ctx := context.Background()
	e.setDeps(func(d *app.Deps) {
		d.CheckAdvisory = cvss.Check
		d.Publication.BaseURL = e.srv.URL
	})
	coord, b := e.signedIn("coord@example.org", vmt.RoleVMT)
	if err := e.svc.SetMember(ctx, e.admin, vmt.Member{ProjectID: e.proj.ID, UserID: coord.ID(), Role: vmt.MemberVMT}); err != nil {
		t.Fatal(err)
	}
	rep, repB := e.signedIn("rep@example.org", vmt.RoleReporter)
	committee, _ := e.user("arch@example.org", vmt.RoleCommittee)
	rv, err := e.svc.CreateReport(ctx, rep, vmt.ReportInput{Title: "Escape via virtio-fs", Description: "A guest escapes.",
		Components: []string{"runtime"}, AffectedVersions: "<3.2.1", Credit: "Rep Orter (Acme)"})
	if err != nil {
		t.Fatal(err)
	}
	id := rv.ID
	steps := []func() error{
		func() error { _, err := e.svc.Assign(ctx, coord, id, coord.ID()); return err },
		func() error { _, err := e.svc.DraftImpact(ctx, coord, id, false); return err },
		func() error { _, err := e.svc.ApproveImpact(ctx, rep, id); return err },
		func() error { _, err := e.svc.Subscribe(ctx, coord, id, committee.ID()); return err },
		func() error { _, err := e.svc.ApproveImpact(ctx, committee, id); return err },
		func() error {
			cves := []string{"CVE-2026-1234"}
			_, err := e.svc.UpdateReport(ctx, coord, id, vmt.ReportPatch{CVEs: &cves})
			return err
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	return "/reports/" + itoa(id), id, b, repB
}

// TestUIReportAdvisory: the coordinator classifies the report, drafts its
// KCSA from it on the page (filled from the report), sees a bad CVSS
// vector refused next to its field with what was typed kept, saves a good
// one and sees its score, makes the document final, cannot publish it
// while the report is private, publishes it once public, and the public
// index lists it. The reporter and a stakeholder see nothing of it.
func TestUIReportAdvisory(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		ctx := context.Background()
		path, id, b, repB := advisoryReport(t, e)
		if b.get(path).doc.Find("#advisory").Length() != 0 {
			t.Error("an advisory section on an unclassified report")
		}
		b.post(path+"/classify", url.Values{"class": {"A"}})
		p := b.get(path)
		if p.doc.Find("#draft-advisory").Length() != 1 {
			t.Fatalf("no draft button for a class A report: %q", p.doc.Find("#advisory").Text())
		}
		checkLabels(t, "report page with the advisory step", p)
		if repB.get(path).doc.Find("#advisory").Length() != 0 {
			t.Error("the reporter sees the advisory section")
		}

		p = b.post(path+"/advisory/draft", nil)
		if msg := p.doc.Find(".flash").Text(); !strings.Contains(msg, "security advisory is drafted") {
			t.Fatalf("draft: flash %q, error %q", msg, p.doc.Find(".error").Text())
		}
		if got := p.doc.Find("#adv-title").AttrOr("value", ""); got != "Escape via virtio-fs" {
			t.Errorf("title %q: the draft's title is the report's without the CVE suffix", got)
		}
		if got := p.doc.Find("#adv-affected").Text(); strings.TrimSpace(got) != "runtime: <3.2.1" {
			t.Errorf("affected %q", got)
		}
		if got := p.doc.Find("#adv-description").Text(); got != "A guest escapes." {
			t.Errorf("description %q, want the impact description's", got)
		}
		if got := p.doc.Find("#adv-mitigation").Text(); !strings.Contains(got, "No mitigation is known") {
			t.Errorf("mitigation %q, want the impact description's", got)
		}
		checkLabels(t, "report page with the draft advisory", p)
		facts := p.doc.Find("#advisory dl.facts").Text()
		if !strings.Contains(facts, "CVE-2026-1234") || !strings.Contains(facts, "Rep Orter (Acme) (REPORTER)") {
			t.Errorf("facts of the draft: %q", facts)
		}
		if preview := p.doc.Find("#advisory-text").Text(); !strings.Contains(preview, "A guest escapes.") || !strings.Contains(preview, "KCSA-") {
			t.Errorf("preview %q (%s)", preview, p.doc.Find("#advisory-preview .error").Text())
		}
		if again := b.post(path+"/advisory/draft", nil); !strings.Contains(again.doc.Find(".error").Text(), "already has a document") {
			t.Errorf("a second draft: %q", again.doc.Find(".error").Text())
		}
		action, _ := p.doc.Find("#advisory-form").Attr("action")
		docPath := strings.TrimSuffix(action, "/save")
		form := url.Values{"title": {"Escape via virtio-fs"}, "summary": {"A guest can escape to the host"},
			"description": {"A guest escapes."}, "mitigation": {"Turn virtio-fs off."}, "affected": {"runtime: <3.2.1"},
			"references": {"ARTICLE https://example.org/write-up"}, "cvss": {"CVSS:3.1/AV:N/AC:X"}}
		bad := b.post(action, form)
		if bad.status != http.StatusUnprocessableEntity {
			t.Errorf("a bad vector: status %d, want 422", bad.status)
		}
		if bad.doc.Find("#adv-cvss").AttrOr("aria-invalid", "") != "true" || !strings.Contains(bad.doc.Find("#err-cvss").Text(), "CVSS:3.1/AV:N/AC:X") {
			t.Errorf("the bad vector's refusal is not next to its field: %q", bad.doc.Find("#advisory .error").Text())
		}
		if got := bad.doc.Find("#adv-mitigation").Text(); got != "Turn virtio-fs off." {
			t.Errorf("what was typed is lost: mitigation %q", got)
		}
		if d, _ := e.svc.ReportAdvisories(ctx, e.admin, id); len(d) != 1 || d[0].Mitigation == "Turn virtio-fs off." {
			t.Errorf("a refused save stored something: %+v", d)
		}
		form.Set("cvss", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H")
		p = b.post(action, form)
		if got := p.doc.Find("#cvss-scores").Text(); !strings.Contains(got, "10.0") || !strings.Contains(got, "CRITICAL") {
			t.Errorf("score shown %q (%s)", got, p.doc.Find(".error").Text())
		}
		if p.doc.Find("#advisory-publish").Length() != 0 || p.doc.Find("#advisory-embargo").Length() != 1 {
			t.Error("a draft is offered the publication, or not the embargo")
		}
		p = b.post(docPath+"/embargo", nil)
		if got := p.doc.Find("#advisory-id").Text(); !strings.HasPrefix(got, "KCSA-") {
			t.Errorf("id after embargo %q (%s)", got, p.doc.Find(".error").Text())
		}
		p = b.post(docPath+"/publish", nil)
		if !strings.Contains(p.doc.Find(".error").Text(), "still private") {
			t.Errorf("publishing before the disclosure: %q", p.doc.Find(".error").Text())
		}
		if _, err := e.svc.MakePublic(ctx, e.admin, id, "disclosed"); err != nil {
			t.Fatal(err)
		}
		p = b.post(docPath+"/publish", nil)
		if got := p.doc.Find("#advisory-state").Text(); got != "published" {
			t.Fatalf("state %q after publishing (%s)", got, p.doc.Find(".error").Text())
		}
		docID := p.doc.Find("#advisory-id").Text()
		if notice := p.doc.Find("#cve-notice-text").Text(); !strings.Contains(notice, "Notify CVE about a publication") ||
			!strings.Contains(notice, "CVE-2026-1234") || !strings.Contains(notice, "/advisories/"+docID) {
			t.Errorf("the publication notice: %q", notice)
		}
		if idx := e.browser().get("/advisories"); !strings.Contains(idx.doc.Text(), docID) {
			t.Errorf("the public index does not list %s", docID)
		}
		// An erratum needs to say what it corrects; the refusal stands
		// next to that field.
		form.Set("mitigation", "Turn virtio-fs off, or upgrade.")
		if noChange := b.post(docPath+"/errata", form); noChange.doc.Find("#err-change").Length() != 1 {
			t.Errorf("an erratum without its change: %q", noChange.doc.Find("#advisory .error").Text())
		}
		form.Set("change", "The mitigation names the upgrade.")
		if p = b.post(docPath+"/errata", form); !strings.Contains(p.doc.Find(".flash").Text(), "revision 2") {
			t.Errorf("erratum: %q %q", p.doc.Find(".flash").Text(), p.doc.Find(".error").Text())
		}
		checkLabels(t, "report page with the published advisory", p)
		if p = b.post(docPath+"/withdraw", url.Values{"reason": {"Not a flaw."}}); p.doc.Find("#advisory-state").Text() != "withdrawn" {
			t.Errorf("withdraw: %q", p.doc.Find(".error").Text())
		}
	})
}

// TestUIReportAdvisoryCVE: the request mail is shown from the private
// template, the form asks for the coordinator's key while the report is
// private (the refusal names it) and is filled with the embargo note once
// given; nothing of it is offered to the reporter.
func TestUIReportAdvisoryCVE(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		e := newEnv(t, engine)
		path, _, b, repB := advisoryReport(t, e)
		b.post(path+"/classify", url.Values{"class": {"B2"}})
		p := b.get(path)
		if !strings.Contains(p.doc.Find("#advisory-h").Text(), "KCSN") {
			t.Errorf("a B2 report's document: %q", p.doc.Find("#advisory-h").Text())
		}
		mail := p.doc.Find("#cve-mail-text").Text()
		if !strings.Contains(mail, "confidential") || !strings.Contains(mail, "A guest escapes.") {
			t.Errorf("private request mail: %q (%s)", mail, p.doc.Find("#cve-mail .error").Text())
		}
		p = b.post(path+"/cve/form", url.Values{"other_type": {"Container escape"}})
		if p.doc.Find("#cve-key").AttrOr("aria-invalid", "") != "true" || !strings.Contains(p.doc.Find("#err-cve-form").Text(), "OpenPGP") {
			t.Errorf("the form without a key: %q", p.doc.Find("#err-cve-form").Text())
		}
		key := "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQENBF...\n-----END PGP PUBLIC KEY BLOCK-----"
		p = b.post(path+"/cve/form", url.Values{"other_type": {"Container escape"}, "openpgp_key": {key}})
		text := p.doc.Find("#cve-form-text").Text()
		for _, want := range []string{"Request a CVE ID", "coord@example.org", "BEGIN PGP PUBLIC KEY BLOCK", "currently under embargo", "Container escape", "runtime", "<3.2.1", "Rep Orter (Acme)"} {
			if !strings.Contains(text, want) {
				t.Errorf("the form lacks %q: %q (%s)", want, text, p.doc.Find("#err-cve-form").Text())
			}
		}
		if p.doc.Find("#cve-reserve").Length() != 0 {
			t.Error("reserve offered to a project that is not a CNA")
		}
		// The type from the form's list and the impact checkboxes go into
		// the form; a type not on the list is refused by name.
		if n := p.doc.Find(`#cve-impacts input[type=checkbox][name=impact]`).Length(); n != 5 {
			t.Errorf("%d impact checkboxes, want the form's 5", n)
		}
		p = b.post(path+"/cve/form", url.Values{"type": {"Directory Traversal"}, "impact": {"Information Disclosure", "Code Execution"}, "openpgp_key": {key}})
		text = p.doc.Find("#cve-form-text").Text()
		for _, want := range []string{"Directory Traversal", "Impact: Information Disclosure, Code Execution", "Affected component(s): runtime"} {
			if !strings.Contains(text, want) {
				t.Errorf("the form lacks %q: %q (%s)", want, text, p.doc.Find("#err-cve-form").Text())
			}
		}
		if p.doc.Find(`#cve-impacts input[value="Code Execution"]`).AttrOr("checked", "no") == "no" {
			t.Error("a checked impact is not checked again on the page")
		}
		p = b.post(path+"/cve/form", url.Values{"type": {"Spooky Action"}, "openpgp_key": {key}})
		if p.doc.Find("#cve-type").AttrOr("aria-invalid", "") != "true" || !strings.Contains(p.doc.Find("#err-cve-form").Text(), "Spooky Action") {
			t.Errorf("a type not on the list: %q", p.doc.Find("#err-cve-form").Text())
		}
		if r := repB.post(path+"/cve/form", url.Values{"other_type": {"x"}}); r.doc.Find("#cve-form").Length() != 0 {
			t.Error("the reporter is shown the CVE form")
		}
	})
}

// TestUIReportAdvisoryCNA: for a project that is a CNA the page reserves
// a CVE id through CVE Services (a local server following its API),
// which the report records and its title carries; the advisory drafted
// afterwards takes it, and once published its record is queued for
// publication from the page.
func TestUIReportAdvisoryCNA(t *testing.T) {
	e := newEnv(t, "sqlite")
	ctx := context.Background()
	path, id, b, _ := advisoryReport(t, e)
	mock := cvetest.Start(t, time.Now().UTC().Year())
	t.Setenv("VMT_UI_CVE_KEY", mock.Key)
	e.setDeps(func(d *app.Deps) { d.CVE = &cveservices.Client{AllowPrivate: true} })
	if _, err := e.svc.SetCNASettings(ctx, e.admin, "kata-containers", vmt.CNASettings{Enabled: true, ShortName: mock.Org,
		OrgID: "0c5c5b1e-6c0e-4d5f-9a5e-5f8e2f6a1b2c", User: mock.User, APIKeyRef: "env:VMT_UI_CVE_KEY", Endpoint: mock.Endpoint()}); err != nil {
		t.Fatal(err)
	}
	b.post(path+"/classify", url.Values{"class": {"A"}})
	if b.get(path).doc.Find("#cve-reserve").Length() != 1 {
		t.Fatal("no reserve button for a CNA project")
	}
	p := b.post(path+"/cve/reserve", nil)
	want := fmt.Sprintf("CVE-%d-1000", mock.Year)
	if msg := p.doc.Find(".flash").Text(); !strings.Contains(msg, "Reserved "+want) {
		t.Fatalf("reserve: %q %q", msg, p.doc.Find(".error").Text())
	}
	if h1 := p.doc.Find("h1").Text(); !strings.Contains(h1, want) {
		t.Errorf("title after the reservation: %q", h1)
	}
	p = b.post(path+"/advisory/draft", nil)
	if facts := p.doc.Find("#advisory dl.facts").Text(); !strings.Contains(facts, want) {
		t.Errorf("the draft does not carry the reserved id: %q", facts)
	}
	docPath := strings.TrimSuffix(p.doc.Find("#advisory-form").AttrOr("action", ""), "/save")
	b.post(docPath+"/embargo", nil)
	if _, err := e.svc.MakePublic(ctx, e.admin, id, "disclosed"); err != nil {
		t.Fatal(err)
	}
	p = b.post(docPath+"/publish", nil)
	if p.doc.Find("#cve-publish-"+want).Length() != 1 {
		t.Fatalf("no publish button for %s: %q", want, p.doc.Find("#cve-h").Parent().Text())
	}
	p = b.post(docPath+"/cve-publish", url.Values{"cve": {want}})
	if msg := p.doc.Find(".flash").Text(); !strings.Contains(msg, want+" is queued") {
		t.Errorf("publish the record: %q %q", msg, p.doc.Find(".error").Text())
	}
	if again := b.post(docPath+"/cve-publish", url.Values{"cve": {want}}); !strings.Contains(again.doc.Find(".error").Text(), "queued or published already") {
		t.Errorf("the same revision twice: %q", again.doc.Find(".error").Text())
	}
}
