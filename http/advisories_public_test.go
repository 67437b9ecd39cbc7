package http_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/cvss"
	vmthttp "github.com/vmtproject/vmt/http"
)

// pubDoc is the text of the test documents; mark names each one, in its
// title and its description, so that a leak of any part shows.
func pubDoc(mark string) vmt.Advisory {
	return vmt.Advisory{Vendor: "Kata Containers", Title: "Guest escape " + mark, Summary: "A guest escapes " + mark + ".",
		Description: "A crafted mount escapes the shared directory. " + mark,
		Affected:    []vmt.Affected{{Component: "runtime", Versions: "<3.2.1"}},
		Credits:     []vmt.Credit{{Name: "Ada", Type: vmt.CreditFinder}},
		CVEs:        []string{"CVE-2026-12345"},
		CVSS:        []string{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N"},
		References:  []vmt.Reference{{Type: "FIX", URL: "https://github.com/kata-containers/kata-containers/pull/1"}}}
}

// advisoryIn makes a document in state on a fresh report of the matrix
// ("draft", "embargoed", "published", "withdrawn"); public makes the
// report public (published and withdrawn documents need it).
func (m *matrix) advisoryIn(state, mark string, public bool) *vmt.Advisory {
	m.t.Helper()
	ctx := context.Background()
	m.setDeps(func(d *app.Deps) { d.CheckAdvisory = cvss.Check })
	id := m.report(public)
	if _, err := m.svc.Classify(ctx, m.admin, id, "A"); err != nil {
		m.t.Fatal(err)
	}
	d, err := m.svc.DraftAdvisory(ctx, m.admin, id, pubDoc(mark))
	steps := map[string][]func() (*vmt.Advisory, error){
		"embargoed": {func() (*vmt.Advisory, error) { return m.svc.EmbargoAdvisory(ctx, m.admin, d.RecordID) }},
		"published": {func() (*vmt.Advisory, error) { return m.svc.EmbargoAdvisory(ctx, m.admin, d.RecordID) },
			func() (*vmt.Advisory, error) { return m.svc.PublishAdvisory(ctx, m.admin, d.RecordID) }},
		"withdrawn": {func() (*vmt.Advisory, error) { return m.svc.EmbargoAdvisory(ctx, m.admin, d.RecordID) },
			func() (*vmt.Advisory, error) { return m.svc.PublishAdvisory(ctx, m.admin, d.RecordID) },
			func() (*vmt.Advisory, error) { return m.svc.WithdrawAdvisory(ctx, m.admin, d.RecordID, "Not a flaw.") }},
	}
	for _, step := range steps[state] {
		if err != nil {
			break
		}
		d, err = step()
	}
	if err != nil {
		m.t.Fatalf("%s document: %v", state, err)
	}
	return d
}

// get fetches a path with a bearer token ("" for none) and returns the
// answer whole.
func (e *env) get(path, token string) (*http.Response, string) {
	e.t.Helper()
	req, err := http.NewRequest("GET", e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestPublicPagesShowOnlyPublished is the publication's security test: no
// draft or embargoed document, whatever its report's visibility, appears
// in any public page, feed, JSON index or export, whoever asks: anyone
// with any token, and the VMT signed in to the pages.
func TestPublicPagesShowOnlyPublished(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		m := newMatrix(t, engine)
		m.setDeps(func(d *app.Deps) {
			d.Publication.BaseURL = "https://vmt.example.org"
		})
		if _, err := m.svc.SetCNASettings(ctx, m.admin, "kata-containers", vmt.CNASettings{
			OrgID: "6d5b2f5c-0f3a-4c1e-9d7e-1b2c3d4e5f60", ShortName: "kata"}); err != nil {
			t.Fatal(err)
		}
		hidden := []*vmt.Advisory{
			m.advisoryIn("draft", "SECRET-draft-private", false),
			m.advisoryIn("embargoed", "SECRET-embargoed-private", false),
			m.advisoryIn("embargoed", "SECRET-embargoed-public-report", true),
			m.advisoryIn("draft", "SECRET-draft-public-report", true),
		}
		published := m.advisoryIn("published", "PUBLIC-published", true)
		withdrawn := m.advisoryIn("withdrawn", "PUBLIC-withdrawn", true)

		paths := []string{"/advisories", "/advisories?project=kata-containers", "/advisories?project=other",
			"/advisories.atom", "/advisories.atom?project=kata-containers", "/advisories.json", "/advisories.json?project=kata-containers",
			"/osv/all.json", "/osv/modified_id.csv"}
		var hiddenPaths []string
		for _, d := range append(hidden, published, withdrawn) {
			if d.ID.IsZero() {
				continue // a draft has no public name at all
			}
			ps := []string{"/advisories/" + d.ID.String(), "/osv/" + d.ID.String() + ".json",
				"/advisories/" + d.ID.String() + ".yaml", "/advisories/" + d.ID.String() + ".md"}
			for _, f := range []string{"osv.json", "csaf.json", "cve.json"} {
				ps = append(ps, "/advisories/"+d.ID.String()+"/"+f)
			}
			if d.Public() {
				paths = append(paths, ps...)
			} else {
				hiddenPaths = append(hiddenPaths, ps...)
			}
		}
		// The ids the next documents will take, and a malformed one.
		hiddenPaths = append(hiddenPaths, "/advisories/KCSA-2026-099", "/advisories/KCSA-2026-099/osv.json", "/advisories/KCSA-2026-099.yaml", "/advisories/kcsa-x", "/advisories/kcsa-x.md", "/osv/KCSA-2026-099.json")

		check := func(who, path string, status int, body string) {
			t.Helper()
			if strings.Contains(body, "SECRET") {
				t.Errorf("%s as %s: the answer shows a document that is not public:\n%.400s", path, who, body)
			}
			want := http.StatusOK
			if strings.HasSuffix(path, "cve.json") && strings.Contains(path, withdrawn.ID.String()) {
				// A withdrawn CVE is rejected, not exported: the index
				// does not list its record, so it does not exist.
				want = http.StatusNotFound
			}
			if slicesContains(hiddenPaths, path) {
				want = http.StatusNotFound
			}
			if status != want {
				t.Errorf("%s as %s: %d, want %d: %.300s", path, who, status, want, body)
			}
		}
		for _, p := range principals {
			for _, path := range append(append([]string{}, paths...), hiddenPaths...) {
				resp, body := m.get(path, m.tokens[p])
				check(p, path, resp.StatusCode, body)
			}
		}
		// Everyone signed in to the pages, the VMT included, sees the
		// same public pages.
		for p, b := range webCast(t, m) {
			for _, path := range append(append([]string{}, paths...), hiddenPaths...) {
				pg := b.get(path)
				check(p+" (signed in)", path, pg.status, pg.body)
			}
		}
		// The published and withdrawn documents are there, for everyone.
		_, index := m.get("/advisories", "")
		for _, want := range []string{"PUBLIC-published", "PUBLIC-withdrawn", published.ID.String(), "Withdrawn"} {
			if !strings.Contains(index, want) {
				t.Errorf("index lacks %q", want)
			}
		}
		// The exports of the API: those who may see an embargoed
		// document's report get a preview; anyone else gets 404.
		// The same holds when the report is public before its document
		// (it leaked): the draft and the embargoed text stay with those
		// who could see the report while it was private.
		sees := map[string]bool{"admin": true, "vmt": true, "revS": true, "comS": true, "own": true, "stkS": true}
		for _, p := range principals {
			for _, d := range hidden[1:] {
				for _, path := range []string{"/api/v1/advisories/" + itoa(d.RecordID) + "/export?format=osv",
					"/api/v1/advisories/" + itoa(d.RecordID) + "/export?format=ossa", "/api/v1/advisories/" + itoa(d.RecordID) + "/export?format=kcsa",
					"/api/v1/advisories/" + itoa(d.RecordID), "/api/v1/reports/" + itoa(d.ReportID) + "/advisories"} {
					code, body := m.do("GET", path, m.tokens[p], "")
					want := 404
					switch {
					case strings.HasSuffix(path, "/advisories"):
						want = 200 // the report's list, without the document
						if d.ReportID == hidden[1].ReportID && !sees[p] {
							want = 404 // the private report itself
						}
					case sees[p] && d.State == vmt.AdvisoryDraft && strings.Contains(path, "export"):
						want = 409 // a draft has no export, even for the VMT
					case sees[p]:
						want = 200
					}
					if code != want {
						t.Errorf("%s (%s) as %s: %d, want %d: %.200s", path, d.Title, p, code, want, body)
					}
					if !sees[p] && strings.Contains(body, "SECRET") {
						t.Errorf("%s as %s shows a document that is not published: %.300s", path, p, body)
					}
				}
			}
		}
	})
}

func slicesContains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// atom is what a reader needs of a feed (RFC 4287 §4.1.1, §4.1.2).
type atom struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Summary string `xml:"summary"`
	} `xml:"entry"`
}

// TestAdvisoryFeedAndIndex: the Atom feed parses and carries the required
// elements, the JSON index lists the same documents, the pages are
// labelled, small and cacheable, and a reader's conditional GET is a 304.
func TestAdvisoryFeedAndIndex(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newMatrix(t, engine)
		m.setDeps(func(d *app.Deps) {
			d.Publication.BaseURL = "https://vmt.example.org"
		})
		if _, resp := m.get("/advisories.atom", ""); !strings.Contains(resp, "<feed") {
			t.Fatalf("empty feed: %s", resp)
		}
		pub := m.advisoryIn("published", "first", true)
		wd := m.advisoryIn("withdrawn", "second", true)

		resp, body := m.get("/advisories.atom", "")
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
			t.Errorf("feed content type %q", ct)
		}
		var f atom
		if err := xml.Unmarshal([]byte(body), &f); err != nil {
			t.Fatalf("feed does not parse: %v\n%s", err, body)
		}
		if f.ID == "" || f.Title == "" || f.Author.Name == "" || len(f.Links) == 0 || f.Links[0].Rel != "self" {
			t.Errorf("feed lacks id, title, author or self link: %+v", f)
		}
		if _, err := time.Parse(time.RFC3339, f.Updated); err != nil {
			t.Errorf("feed updated %q: %v", f.Updated, err)
		}
		if len(f.Entries) != 2 {
			t.Fatalf("feed has %d entries, want 2", len(f.Entries))
		}
		for _, e := range f.Entries {
			if _, err := time.Parse(time.RFC3339, e.Updated); err != nil || e.ID == "" || e.Title == "" || e.Summary == "" ||
				!strings.HasPrefix(e.Link.Href, "https://vmt.example.org/advisories/KCSA-") {
				t.Errorf("entry lacks a required element: %+v", e)
			}
		}
		// Latest first: the withdrawn one was published after.
		if !strings.Contains(f.Entries[0].Title, "[Withdrawn] "+wd.ID.String()) || !strings.Contains(f.Entries[1].Title, pub.ID.String()) {
			t.Errorf("entries %q, %q", f.Entries[0].Title, f.Entries[1].Title)
		}

		_, body = m.get("/advisories.json", "")
		var idx struct {
			Advisories []struct {
				ID, State, URL string
				Exports        map[string]string
			}
		}
		if err := json.Unmarshal([]byte(body), &idx); err != nil || len(idx.Advisories) != 2 {
			t.Fatalf("JSON index: %v, %d documents\n%s", err, len(idx.Advisories), body)
		}
		if a := idx.Advisories[1]; a.ID != pub.ID.String() || a.State != "published" || a.Exports["osv"] != a.URL+"/osv.json" {
			t.Errorf("JSON index entry %+v", a)
		}

		for _, path := range []string{"/advisories", "/advisories/" + pub.ID.String(), "/advisories/" + wd.ID.String()} {
			pg := m.browser().get(path)
			if pg.status != 200 || pg.doc.Find("h1").Length() != 1 {
				t.Errorf("%s: %d, %d h1", path, pg.status, pg.doc.Find("h1").Length())
			}
			checkLabels(t, path, pg)
		}
		pg := m.browser().get("/advisories/" + wd.ID.String())
		if !strings.Contains(pg.doc.Find("main").Text(), "Withdrawn") || pg.doc.Find(`a[href$="/osv.json"]`).Length() != 1 {
			t.Errorf("withdrawn page: no withdrawal notice or OSV link")
		}
		// A revision's date is a day: its datetime has no hour for the
		// page's script to turn into a made-up local time.
		revs := pg.doc.Find("tbody time[datetime]")
		if revs.Length() == 0 {
			t.Errorf("withdrawn page: no revision dates")
		}
		revs.Each(func(_ int, el *goquery.Selection) {
			if v, _ := el.Attr("datetime"); len(v) != len("2006-01-02") {
				t.Errorf("a revision date reads datetime=%q, want a date alone", v)
			}
		})
		if pg := m.browser().get("/advisories/" + pub.ID.String()); !strings.Contains(pg.doc.Find(".document").Text(), pub.ID.String()) {
			t.Errorf("advisory page lacks its rendered text")
		}
		// The project's own KCSA template writes the page's text.
		if _, err := m.svc.SetProjectTemplate(context.Background(), m.admin, "kata-containers", "kcsa",
			`{{define "subject"}}{{.ID}}{{end}}OUR OWN WORDS for {{.ID}}: {{.Description}}`); err != nil {
			t.Fatal(err)
		}
		if pg := m.browser().get("/advisories/" + pub.ID.String()); !strings.Contains(pg.doc.Find(".document").Text(), "OUR OWN WORDS for "+pub.ID.String()) {
			t.Errorf("advisory page ignores the project's template:\n%s", pg.doc.Find(".document").Text())
		}

		resp, _ = m.get("/advisories/"+pub.ID.String()+"/osv.json", "")
		if cc := resp.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "public, max-age=") || resp.Header.Get("Set-Cookie") != "" {
			t.Errorf("export cache headers: %q, cookie %q", cc, resp.Header.Get("Set-Cookie"))
		}
		resp, _ = m.get("/advisories/KCSA-2026-099", "")
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("a 404 is cacheable: %q", resp.Header.Get("Cache-Control"))
		}
		resp, _ = m.get("/advisories.atom", "")
		req, _ := http.NewRequest("GET", m.srv.URL+"/advisories.atom", nil)
		req.Header.Set("If-Modified-Since", resp.Header.Get("Last-Modified"))
		r2, err := m.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r2.Body.Close()
		if r2.StatusCode != http.StatusNotModified {
			t.Errorf("conditional GET of the feed: %d, want 304", r2.StatusCode)
		}
	})
}

// TestAdvisoryIndexPages: a long history is shown fifty documents a page,
// each page under 100 KB with long titles and summaries, and the feed
// carries the latest fifty; the JSON index is paged like the HTML one.
func TestAdvisoryIndexPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newMatrix(t, engine)
		const n = 2*vmthttp.AdvisoriesPerPage + 3
		long := strings.Repeat("long words ", 18)
		err := m.svc.Deps().Store.Update(context.Background(), func(tx vmt.Tx) error {
			for i := range n {
				at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
				d := pubDoc("history")
				d.Title, d.Summary = fmt.Sprintf("Document %03d %s", i, long), long+long
				d.ID, d.ProjectID, d.Kind, d.State, d.Published = vmt.NewAdvisoryID("KCSA", 2020, i+1), m.proj.ID, vmt.KindAdvisory, vmt.AdvisoryPublished, &at
				if err := tx.CreateAdvisory(&d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for page, want := range []int{vmthttp.AdvisoriesPerPage, vmthttp.AdvisoriesPerPage, 3} {
			pg := m.browser().get(fmt.Sprintf("/advisories?project=kata-containers&page=%d", page+1))
			items := pg.doc.Find("li.advisory")
			if pg.status != 200 || items.Length() != want {
				t.Fatalf("page %d: %d, %d documents, want %d", page+1, pg.status, items.Length(), want)
			}
			items.Each(func(_ int, s *goquery.Selection) { seen[s.AttrOr("data-id", "")] = true })
			checkLabels(t, fmt.Sprintf("index page %d", page+1), pg)
			t.Logf("index page %d: %d bytes", page+1, len(pg.body))
			if next := pg.doc.Find(`a[rel="next"]`).Length(); (next == 1) != (page < 2) {
				t.Errorf("page %d: %d next links", page+1, next)
			}
		}
		if len(seen) != n {
			t.Errorf("the pages show %d distinct documents, want %d", len(seen), n)
		}
		if pg := m.browser().get("/advisories?page=4"); pg.status != 404 {
			t.Errorf("a page past the end: %d", pg.status)
		}
		if pg := m.browser().get("/advisories?page=x"); pg.status != 404 {
			t.Errorf("page x: %d", pg.status)
		}
		_, body := m.get("/advisories.atom", "")
		var f atom
		if err := xml.Unmarshal([]byte(body), &f); err != nil || len(f.Entries) != vmthttp.AdvisoriesPerPage ||
			!strings.Contains(f.Entries[0].Title, fmt.Sprintf("Document %03d", n-1)) {
			t.Errorf("feed: %v, %d entries", err, len(f.Entries))
		}
		// The JSON index is paged the same way: following next from the
		// first page reaches every document once, each page cacheable.
		jsonSeen := map[string]bool{}
		next, pages := "/advisories.json?project=kata-containers", 0
		for next != "" {
			resp, body := m.get(next, "")
			var idx struct {
				Total, Page int
				PerPage     int `json:"per_page"`
				Next, Prev  string
				Advisories  []struct{ ID string }
			}
			if err := json.Unmarshal([]byte(body), &idx); resp.StatusCode != 200 || err != nil {
				t.Fatalf("%s: %d, %v", next, resp.StatusCode, err)
			}
			pages++
			if idx.Total != n || idx.Page != pages || idx.PerPage != vmthttp.AdvisoriesPerPage || (idx.Prev == "") != (pages == 1) {
				t.Errorf("JSON page %d: total %d, page %d, per page %d, prev %q", pages, idx.Total, idx.Page, idx.PerPage, idx.Prev)
			}
			if want := []int{vmthttp.AdvisoriesPerPage, vmthttp.AdvisoriesPerPage, 3}[min(pages, 3)-1]; len(idx.Advisories) != want {
				t.Errorf("JSON page %d lists %d documents, want %d", pages, len(idx.Advisories), want)
			}
			for _, a := range idx.Advisories {
				jsonSeen[a.ID] = true
			}
			if lm := resp.Header.Get("Last-Modified"); lm == "" || !strings.Contains(resp.Header.Get("Cache-Control"), "public") {
				t.Errorf("JSON page %d: Last-Modified %q, Cache-Control %q", pages, lm, resp.Header.Get("Cache-Control"))
			}
			next = ""
			if idx.Next != "" {
				u, err := url.Parse(idx.Next)
				if err != nil || !u.IsAbs() || u.Path != "/advisories.json" || u.Query().Get("project") != "kata-containers" {
					t.Fatalf("JSON page %d: next %q is not an absolute link to the same filter", pages, idx.Next)
				}
				next = u.RequestURI()
			}
			if pages > 3 {
				t.Fatal("the JSON pages do not end")
			}
		}
		if pages != 3 || len(jsonSeen) != n || !jsonSeen[fmt.Sprintf("KCSA-2020-%03d", n)] {
			t.Errorf("JSON index: %d pages, %d distinct documents, want 3 and %d", pages, len(jsonSeen), n)
		}
		for _, q := range []string{"?page=4", "?page=0", "?page=x"} {
			if resp, _ := m.get("/advisories.json"+q, ""); resp.StatusCode != 404 {
				t.Errorf("/advisories.json%s: %d, want 404", q, resp.StatusCode)
			}
		}
	})
}

// TestNotePageWithoutTemplateFields: a published note its KCSN template
// cannot write (no credits, no actions) is shown from its fields rather
// than as an error.
func TestNotePageWithoutTemplateFields(t *testing.T) {
	ctx := context.Background()
	m := newMatrix(t, "sqlite")
	id := m.report(true)
	if _, err := m.svc.Classify(ctx, m.admin, id, "B1"); err != nil {
		t.Fatal(err)
	}
	doc := pubDoc("note")
	doc.Credits, doc.CVSS, doc.Description = nil, nil, "Hardening: the agent should check paths."
	d, err := m.svc.DraftAdvisory(ctx, m.admin, id, doc)
	if err == nil {
		d, err = m.svc.EmbargoAdvisory(ctx, m.admin, d.RecordID)
	}
	if err == nil {
		d, err = m.svc.PublishAdvisory(ctx, m.admin, d.RecordID)
	}
	if err != nil {
		t.Fatal(err)
	}
	pg := m.browser().get("/advisories/" + d.ID.String())
	if pg.status != 200 || !strings.HasPrefix(d.ID.String(), "KCSN-") ||
		!strings.Contains(pg.doc.Find("main").Text(), "Hardening: the agent should check paths.") || pg.doc.Find(".document").Length() != 0 {
		t.Errorf("note page %d for %s:\n%s", pg.status, d.ID, pg.doc.Find("main").Text())
	}
}
