package http_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/cvss"
)

// richDoc is a document with every part the public page shows.
func richDoc(mark, vector string) vmt.Advisory {
	d := pubDoc(mark)
	d.Description = "A crafted **mount** escapes the shared directory. " + mark + "\n\n<script>alert(1)</script>\n\n- one\n- two"
	d.Mitigation = "Set `shared_fs = none`."
	d.CVSS = nil
	if vector != "" {
		d.CVSS = []string{vector}
	}
	d.CWEs = []string{"CWE-22", "CWE-99999"}
	d.Affected = []vmt.Affected{{Component: "runtime", Ecosystem: "Go", Package: "github.com/kata-containers/kata-containers/src/runtime", Versions: "<3.2.1",
		Ranges: []vmt.VersionRange{{Branch: "main", Introduced: "3.0.0", Fixed: "3.3.0"}, {Branch: "stable-3.2", Fixed: "3.2.1"}}}}
	d.Patches = []vmt.Patch{{Branch: "main", URLs: []string{"https://github.com/kata-containers/kata-containers/pull/11"}},
		{Branch: "stable-2.5", URLs: []string{"https://github.com/kata-containers/kata-containers/pull/12"}}}
	d.Credits = []vmt.Credit{{Name: "Ada", Affiliation: "Example Labs", Type: vmt.CreditFinder},
		{Name: "Bo", Type: vmt.CreditRemediationDeveloper}}
	d.References = []vmt.Reference{{Type: "FIX", URL: "https://github.com/kata-containers/kata-containers/pull/11"},
		{Type: "ADVISORY", URL: "https://github.com/advisories/GHSA-xxxx-yyyy-zzzz"}}
	return d
}

// docIn publishes (or only embargoes) doc on a fresh public report.
func (m *matrix) docIn(doc vmt.Advisory, publish bool) *vmt.Advisory {
	m.t.Helper()
	ctx := context.Background()
	m.setDeps(func(d *app.Deps) { d.CheckAdvisory = cvss.Check })
	id := m.report(true)
	if _, err := m.svc.Classify(ctx, m.admin, id, "A"); err != nil {
		m.t.Fatal(err)
	}
	d, err := m.svc.DraftAdvisory(ctx, m.admin, id, doc)
	if err == nil {
		d, err = m.svc.EmbargoAdvisory(ctx, m.admin, d.RecordID)
	}
	if err == nil && publish {
		d, err = m.svc.PublishAdvisory(ctx, m.admin, d.RecordID)
	}
	if err != nil {
		m.t.Fatal(err)
	}
	return d
}

func texts(s *goquery.Selection) []string {
	var out []string
	s.Each(func(_ int, x *goquery.Selection) { out = append(out, strings.Join(strings.Fields(x.Text()), " ")) })
	return out
}

// TestAdvisoryPageReadsLikeGHSA: the page of a published advisory shows
// the severity and score with the metrics in words, the weaknesses named
// and linked, the versions per branch with their fixes, the credits with
// their part, references as links, the text rendered from Markdown and
// sanitized, and the exports; an embargoed document has no page.
func TestAdvisoryPageReadsLikeGHSA(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newMatrix(t, engine)
		d := m.docIn(richDoc("PUBLIC", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N"), true)
		hidden := m.docIn(richDoc("SECRET-embargoed", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N"), false)
		pg := m.browser().get("/advisories/" + d.ID.String())
		if pg.status != http.StatusOK {
			t.Fatalf("page: %d", pg.status)
		}
		doc := pg.doc
		if got := strings.TrimSpace(doc.Find(".adv-head .sev").Text()); got != "Medium" || strings.TrimSpace(doc.Find("#adv-score").Text()) != "6.5 / 10" {
			t.Errorf("severity %q, score %q", got, doc.Find("#adv-score").Text())
		}
		metrics := map[string]string{}
		doc.Find(".cvss dl.metrics dt").Each(func(_ int, dt *goquery.Selection) { metrics[dt.Text()] = dt.Next().Text() })
		for k, v := range map[string]string{"Attack vector": "Local", "Attack complexity": "Low", "Privileges required": "Low",
			"User interaction": "None", "Scope": "Changed", "Confidentiality": "High", "Integrity": "None", "Availability": "None"} {
			if metrics[k] != v {
				t.Errorf("metric %s = %q, want %q (all: %v)", k, metrics[k], v, metrics)
			}
		}
		if !strings.Contains(doc.Find(".cvss code").Text(), "CVSS:3.1/AV:L") {
			t.Error("the vector is not shown")
		}
		cwe := doc.Find("#cwe-list li")
		if href, _ := cwe.Eq(0).Find("a").Attr("href"); cwe.Length() != 2 || href != "https://cwe.mitre.org/data/definitions/22.html" ||
			!strings.Contains(cwe.Eq(0).Text(), "('Path Traversal')") {
			t.Errorf("weaknesses: %v %q", texts(cwe), href)
		}
		if href, _ := cwe.Eq(1).Find("a").Attr("href"); href != "https://cwe.mitre.org/data/definitions/99999.html" {
			t.Errorf("an id without a name keeps its link: %q", href)
		}
		var rows []string
		doc.Find("#affected-table tbody tr").Each(func(_ int, tr *goquery.Selection) { rows = append(rows, strings.Join(texts(tr.Find("td")), " | ")) })
		want := []string{"runtimeGo: github.com/kata-containers/kata-containers/src/runtime | main | >= 3.0.0, < 3.3.0 | 3.3.0Fixed by https://github.com/kata-containers/kata-containers/pull/11",
			"runtimeGo: github.com/kata-containers/kata-containers/src/runtime | stable-3.2 | < 3.2.1 | 3.2.1"}
		if strings.Join(rows, "\n") != strings.Join(want, "\n") {
			t.Errorf("affected rows:\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
		}
		if href, _ := doc.Find("#affected-table a").Attr("href"); href != "https://github.com/kata-containers/kata-containers/pull/11" {
			t.Errorf("the fix of main links %q", href)
		}
		if got := texts(doc.Find("ul[aria-labelledby=fixes] li")); len(got) != 1 || !strings.HasPrefix(got[0], "stable-2.5:") {
			t.Errorf("fixes of branches not in the table: %v", got)
		}
		if got := texts(doc.Find("#credit-list li")); strings.Join(got, "|") != "Ada (Example Labs) Finder|Bo Remediation developer" {
			t.Errorf("credits: %v", got)
		}
		refs := doc.Find("#reference-list a")
		if href, _ := refs.Eq(1).Attr("href"); refs.Length() != 2 || href != "https://github.com/advisories/GHSA-xxxx-yyyy-zzzz" ||
			!strings.Contains(doc.Find("#reference-list li").Eq(0).Text(), "Fix") {
			t.Errorf("references: %v", texts(doc.Find("#reference-list li")))
		}
		desc := doc.Find("#description-text")
		if desc.Find("strong").Text() != "mount" || desc.Find("li").Length() != 2 || desc.Find("script").Length() != 0 || strings.Contains(pg.body, "<script>alert") {
			t.Errorf("description not rendered and sanitized: %s", desc.Text())
		}
		if doc.Find("pre.document").Length() != 0 || doc.Find(".document h3").Length() == 0 || doc.Find("h1").Length() != 1 {
			t.Errorf("the mailed text: %d pre, %d h3, %d h1", doc.Find("pre.document").Length(), doc.Find(".document h3").Length(), doc.Find("h1").Length())
		}
		exports := map[string]string{}
		doc.Find("#export-list a").Each(func(_ int, a *goquery.Selection) { exports[a.Text()], _ = a.Attr("href") })
		base := "/advisories/" + d.ID.String()
		if !strings.HasSuffix(exports["OSV"], base+"/osv.json") || !strings.HasSuffix(exports["CSAF 2.0"], base+"/csaf.json") {
			t.Errorf("exports: %v", exports)
		}
		for _, u := range exports {
			if resp, _ := m.get(strings.TrimPrefix(u, m.srv.URL), ""); resp.StatusCode != 200 {
				t.Errorf("export %s: %d", u, resp.StatusCode)
			}
		}
		if a, _ := doc.Find(`a[href^="https://www.cve.org/"]`).Attr("href"); a != "https://www.cve.org/CVERecord?id=CVE-2026-12345" {
			t.Errorf("CVE link %q", a)
		}
		checkLabels(t, "advisory", pg)

		// The embargoed document: no page, and absent from the index
		// whatever the filter.
		if p := m.browser().get("/advisories/" + hidden.ID.String()); p.status != http.StatusNotFound || strings.Contains(p.body, "SECRET") {
			t.Errorf("embargoed document's page: %d", p.status)
		}
		for _, q := range []string{"", "?severity=medium", "?year=" + strconv.Itoa(time.Now().UTC().Year()), "?project=kata-containers&severity=medium"} {
			p := m.browser().get("/advisories" + q)
			if p.status != 200 || strings.Contains(p.body, "SECRET") || strings.Contains(p.body, hidden.ID.String()) || p.doc.Find("li.advisory").Length() != 1 {
				t.Errorf("index%s: %d, %d documents, or the embargoed one shows", q, p.status, p.doc.Find("li.advisory").Length())
			}
		}
	})
}

// TestAdvisoryIndexFilters: the index filters by project, severity and
// year, and a refused filter is a 400 that says which and what it takes,
// with the form still there; the JSON index and the feed filter alike.
func TestAdvisoryIndexFilters(t *testing.T) {
	m := newMatrix(t, "sqlite")
	medium := m.docIn(richDoc("medium", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N"), true)
	critical := m.docIn(richDoc("critical", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), true)
	year := strconv.Itoa(time.Now().UTC().Year())
	ids := func(q string) []string {
		t.Helper()
		p := m.browser().get("/advisories" + q)
		if p.status != 200 {
			t.Fatalf("index%s: %d %s", q, p.status, p.doc.Find(".error").Text())
		}
		var out []string
		p.doc.Find("li.advisory").Each(func(_ int, s *goquery.Selection) { id, _ := s.Attr("data-id"); out = append(out, id) })
		return out
	}
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"", []string{critical.ID.String(), medium.ID.String()}},
		{"?severity=critical", []string{critical.ID.String()}},
		{"?severity=MEDIUM", []string{medium.ID.String()}},
		{"?severity=low", nil},
		{"?severity=none", nil},
		{"?year=" + year, []string{critical.ID.String(), medium.ID.String()}},
		{"?year=2001", nil},
		{"?project=kata-containers&severity=critical&year=" + year, []string{critical.ID.String()}},
	} {
		if got := ids(tt.q); strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("index%s: %v, want %v", tt.q, got, tt.want)
		}
	}
	p := m.browser().get("/advisories?severity=critical")
	if v, _ := p.doc.Find("#f-severity option[selected]").Attr("value"); v != "critical" {
		t.Errorf("the form does not keep the severity: %q", v)
	}
	if s := p.doc.Find(`li.advisory .sev`).Text(); s != "Critical 9.8" {
		t.Errorf("index severity label %q", s)
	}
	checkLabels(t, "advisories", p)
	if href, _ := p.doc.Find("#atom-link").Attr("href"); href != "/advisories.atom?severity=critical" {
		t.Errorf("the feed link does not keep the filter: %q", href)
	}
	for _, tt := range []struct{ q, says string }{
		{"?severity=urgent", `severity: "urgent" is not a severity: use one of critical, high, medium, low, none`},
		{"?year=19x", `year: "19x" is not a year of publication`},
		{"?year=1998", `use a year from 1999 to ` + year},
		{"?year=3000", `"3000" is not a year`},
		{"?project=nope", `project: no project is named "nope"`},
	} {
		p := m.browser().get("/advisories" + tt.q)
		if p.status != http.StatusBadRequest || !strings.Contains(p.doc.Find("#filter-error").Text(), tt.says) || p.doc.Find("form[role=search]").Length() != 1 {
			t.Errorf("index%s: %d %q, want 400 saying %q with the form", tt.q, p.status, p.doc.Find("#filter-error").Text(), tt.says)
		}
		if resp, body := m.get("/advisories.json"+tt.q, ""); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `"field"`) {
			t.Errorf("JSON index%s: %d %s", tt.q, resp.StatusCode, body)
		}
	}
	if _, body := m.get("/advisories.json?severity=critical", ""); !strings.Contains(body, critical.ID.String()) || strings.Contains(body, medium.ID.String()) || !strings.Contains(body, `"severity": "critical"`) {
		t.Errorf("JSON index by severity:\n%s", body)
	}
	if _, body := m.get("/advisories.atom?severity=medium", ""); !strings.Contains(body, medium.ID.String()) || strings.Contains(body, critical.ID.String()) {
		t.Errorf("feed by severity:\n%s", body)
	}
}
