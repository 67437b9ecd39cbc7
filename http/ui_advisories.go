package http

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/render"
)

// The public advisory pages: the index, a page per document, the Atom
// feed, the JSON index and the exports. They list published and withdrawn
// documents only, through service methods that take no actor: what they
// show cannot depend on who asks, so they are the same for everyone and
// may be cached by anyone.

// publicMaxAge is how long a cache may keep a public page: an erratum or
// a withdrawal shows within five minutes.
const publicMaxAge = 5 * time.Minute

// public wraps a public page: the page headers without a session (no
// cookie is read or set), a public cache policy on success, and errors
// rendered without a viewer.
func (s *Server) public(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w)
		if err := h(w, r); err != nil {
			w.Header().Set("Cache-Control", "no-store")
			s.publicError(w, r, err)
		}
	})
}

// publicJSON is public for the JSON documents (the JSON index and the
// exports): an error is the API's JSON error, never an HTML page, since
// what asks for a .json is a program.
func (s *Server) publicJSON(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w)
		if err := h(w, r); err != nil {
			w.Header().Set("Cache-Control", "no-store")
			s.writeError(w, r, err)
		}
	})
}

// servePublic answers with body, cacheable, and with Last-Modified so
// that a feed reader's conditional GET is a 304.
func servePublic(w http.ResponseWriter, r *http.Request, contentType string, modified time.Time, body []byte) error {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(publicMaxAge.Seconds())))
	http.ServeContent(w, r, "", modified, bytes.NewReader(body))
	return nil
}

// publicError renders an error page for no one in particular.
func (s *Server) publicError(w http.ResponseWriter, r *http.Request, err error) {
	status, ok := statusOf[vmt.ErrorCode(err)]
	if !ok {
		status = http.StatusInternalServerError
	}
	msg := vmt.ErrorMessage(err)
	if status == http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "public page failed", "path", r.URL.Path, "err", err)
		msg = "Something went wrong on our side. It has been logged."
	}
	if f := vmt.ErrorField(err); f != "" {
		msg = f + ": " + msg
	}
	b, rerr := s.renderPublic("error", http.StatusText(status), errorPage{Status: status, Message: msg})
	if rerr != nil {
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}

// renderPublic renders a page for an anonymous viewer.
func (s *Server) renderPublic(name, title string, data any) ([]byte, error) {
	t, ok := s.ui.pages[name]
	if !ok {
		return nil, fmt.Errorf("http: no page %q", name)
	}
	return executePage(t, name, &view{Title: title, Page: data})
}

// baseURL is the site's URL for absolute links (feed, JSON index): the
// configured one, else the request's own host.
func (s *Server) baseURL(r *http.Request) string {
	if b := s.svc.Deps().Publication.BaseURL; b != "" {
		return strings.TrimRight(b, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// advisoryItem is one document as the index, the feed and the JSON index
// show it.
type advisoryItem struct {
	ID        string            `json:"id"`
	Kind      vmt.AdvisoryKind  `json:"kind"`
	Project   string            `json:"project"`
	Title     string            `json:"title"`
	Summary   string            `json:"summary,omitempty"`
	CVEs      []string          `json:"cves,omitempty"`
	State     vmt.AdvisoryState `json:"state"`
	Revision  int               `json:"revision"`
	Published time.Time         `json:"published"`
	Modified  time.Time         `json:"modified"`
	Withdrawn *time.Time        `json:"withdrawn,omitempty"`
	URL       string            `json:"url"`
	Exports   map[string]string `json:"exports"`
	// Severity is the rating of the highest CVSS score, lower case
	// ("high"), absent without a vector; Score is that score.
	Severity string  `json:"severity,omitempty"`
	Score    float64 `json:"score,omitempty"`
}

// itemOf describes d, with the exports its project's publisher pub has.
func itemOf(d *vmt.Advisory, p *vmt.Project, base string, pub *vmt.Publisher) advisoryItem {
	it := advisoryItem{ID: d.ID.String(), Kind: d.Kind, Title: d.Title, Summary: d.Summary, CVEs: d.CVEs,
		State: d.State, Revision: len(d.Revisions), Withdrawn: d.Withdrawn,
		URL: base + "/advisories/" + d.ID.String()}
	if p != nil {
		it.Project = p.Name
	}
	if d.Published != nil {
		it.Published, it.Modified = *d.Published, *d.Published
	}
	if d.Modified != nil {
		it.Modified = *d.Modified
	}
	it.Exports = exportsOf(d, pub, it.URL)
	rating, score := render.Severity(d)
	it.Severity, it.Score = strings.ToLower(rating), score
	return it
}

// publishedItems lists the public documents of the filter of the query
// (indexFilterOf): an invalid filter is EINVALID naming its parameter.
func (s *Server) publishedItems(r *http.Request) ([]advisoryItem, []string, time.Time, error) {
	f, err := indexFilterOf(r)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	ds, projects, err := s.svc.PublishedAdvisories(r.Context(), f.Project)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	base := s.baseURL(r)
	items := make([]advisoryItem, 0, len(ds))
	var latest time.Time
	pubs := map[int64]*vmt.Publisher{} // one settings read per project, not per document
	for _, d := range ds {
		pub, ok := pubs[d.ProjectID]
		if !ok {
			if pub, err = s.svc.Publisher(r.Context(), d.ProjectID); err != nil {
				return nil, nil, time.Time{}, err
			}
			pubs[d.ProjectID] = pub
		}
		it := itemOf(d, projects[d.ProjectID], base, pub)
		if !f.keeps(it) {
			continue
		}
		items = append(items, it)
		if it.Modified.After(latest) {
			latest = it.Modified
		}
	}
	var names []string
	for _, p := range projects {
		names = append(names, p.Name)
	}
	slices.Sort(names)
	return items, names, latest, nil
}

// AdvisoriesPerPage is how many documents the index page and the feed
// show, and the JSON index a page: pages stay small (under 100 KB), and
// feed readers poll the latest.
const AdvisoriesPerPage = 50

// advisoriesPage is the data of the index page.
type advisoriesPage struct {
	Project    string
	Filter     indexFilter
	Error      string // why the filter was refused, shown above the form
	Severities []string
	Years      []int
	Projects   []string
	Items      []advisoryItem
	Total      int
	Page       int
	Prev, Next string // query strings of the neighbouring pages, "" for none
}

func (s *Server) advisoriesIndex(w http.ResponseWriter, r *http.Request) error {
	items, names, latest, err := s.publishedItems(r)
	if vmt.ErrorCode(err) == vmt.EINVALID {
		// The form again, with what was refused and how to mend it.
		f, _ := indexFilterOf(r)
		_, projects, perr := s.svc.PublishedAdvisories(r.Context(), "")
		if perr != nil {
			return perr
		}
		var names []string
		for _, p := range projects {
			names = append(names, p.Name)
		}
		slices.Sort(names)
		b, rerr := s.renderPublic("advisories", "Security advisories", advisoriesPage{Filter: f, Projects: names,
			Severities: severityNames, Years: filterYears(time.Now()), Error: vmt.ErrorField(err) + ": " + vmt.ErrorMessage(err)})
		if rerr != nil {
			return rerr
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusBadRequest)
		_, werr := w.Write(b)
		return werr
	}
	if err != nil {
		return err
	}
	f, _ := indexFilterOf(r) // valid: publishedItems read it
	pg, err := pageOf(r, len(items))
	if err != nil {
		return err
	}
	data := advisoriesPage{Project: f.Project, Filter: f, Severities: severityNames, Years: filterYears(time.Now()),
		Projects: names, Total: len(items), Page: pg.page, Items: items[pg.from:pg.to]}
	if pg.prev > 0 {
		data.Prev = pg.query(pg.prev)
	}
	if pg.next > 0 {
		data.Next = pg.query(pg.next)
	}
	b, err := s.renderPublic("advisories", "Security advisories", data)
	if err != nil {
		return err
	}
	return servePublic(w, r, "text/html; charset=utf-8", latest, b)
}

// advisoriesJSON is the JSON index, paged like the HTML one (newest
// first, AdvisoriesPerPage a page, ?page=N): total counts every document
// of the filter, and next/prev are absolute URLs of the neighbouring
// pages, absent at the ends. Last-Modified is the filter's latest change,
// so that every page revalidates when any document changes.
func (s *Server) advisoriesJSON(w http.ResponseWriter, r *http.Request) error {
	items, _, latest, err := s.publishedItems(r)
	if err != nil {
		return err
	}
	pg, err := pageOf(r, len(items))
	if err != nil {
		return err
	}
	link := func(n int) string {
		if n == 0 {
			return ""
		}
		return s.baseURL(r) + "/advisories.json" + pg.query(n)
	}
	b, err := json.MarshalIndent(struct {
		Updated    time.Time      `json:"updated"`
		Total      int            `json:"total"`
		Page       int            `json:"page"`
		PerPage    int            `json:"per_page"`
		Next       string         `json:"next,omitempty"`
		Prev       string         `json:"prev,omitempty"`
		Advisories []advisoryItem `json:"advisories"`
	}{latest, len(items), pg.page, AdvisoriesPerPage, link(pg.next), link(pg.prev), items[pg.from:pg.to]}, "", "  ")
	if err != nil {
		return err
	}
	return servePublic(w, r, "application/json", latest, append(b, '\n'))
}

// page is one page of a public index of n documents.
type page struct {
	page, from, to int
	prev, next     int // the neighbouring pages' numbers, 0 for none
	filter         url.Values
}

// pageOf reads ?page= (1 when absent) against n documents: a page past
// the last, or not a positive number, is not found. An empty index has
// its page 1.
func pageOf(r *http.Request, n int) (page, error) {
	p := page{page: 1, filter: url.Values{}}
	for _, k := range []string{"project", "severity", "year"} {
		if v := r.URL.Query().Get(k); v != "" {
			p.filter.Set(k, v)
		}
	}
	if v := r.URL.Query().Get("page"); v != "" {
		var err error
		if p.page, err = strconv.Atoi(v); err != nil || p.page < 1 || (p.page-1)*AdvisoriesPerPage >= max(n, 1) {
			return page{}, vmt.NotFound("page")
		}
	}
	p.from = (p.page - 1) * AdvisoriesPerPage
	p.to = min(p.from+AdvisoriesPerPage, n)
	if p.page > 1 {
		p.prev = p.page - 1
	}
	if p.to < n {
		p.next = p.page + 1
	}
	return p, nil
}

// query is the query string of page n of the same filter.
func (p page) query(n int) string {
	q := url.Values{"page": {strconv.Itoa(n)}}
	for k, v := range p.filter {
		q[k] = v
	}
	return "?" + q.Encode()
}

// advisoryPage is the data of a document's page.
type advisoryPage struct {
	Item      advisoryItem
	Doc       *vmt.Advisory
	Subject   string
	Text      string
	TextHTML  template.HTML // Text rendered from its Markdown, sanitized
	TextError bool

	Severity    string // the rating of the highest score, "" without one
	Score       float64
	Scores      []render.Score
	CWEs        []vmt.CWE
	Description template.HTML
	Mitigation  template.HTML
	Errata      template.HTML
	Notes       []template.HTML
	Affected    []affectedRow
	OtherFixes  []vmt.Patch // fixes of branches the affected table does not show
	Credits     []creditRow
	References  []refRow
	Exports     []exportLink
}

func (s *Server) advisoryPage(w http.ResponseWriter, r *http.Request) error {
	d, p, err := s.svc.PublishedAdvisory(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	pub, err := s.svc.Publisher(r.Context(), d.ProjectID)
	if err != nil {
		return err
	}
	page := advisoryPage{Item: itemOf(d, p, s.baseURL(r), pub), Doc: d}
	if err := documentParts(&page); err != nil {
		return err
	}
	page.OtherFixes = patchedBranches(d, page.Affected)
	templates, err := s.svc.DocumentTemplates(r.Context(), d.ProjectID)
	if err != nil {
		return err
	}
	doc, err := documentText(d, s.baseURL(r), templates)
	if err != nil {
		// A document its template cannot write (a note without the
		// credits or actions a KCSN names) is shown from its fields.
		s.log.WarnContext(r.Context(), "advisory text", "advisory", d.ID.String(), "err", err)
		page.TextError = true
	}
	page.Subject, page.Text = doc.Subject, doc.Body
	if !page.TextError {
		page.TextHTML = documentHTML(doc.Body)
	}
	b, err := s.renderPublic("advisory", d.ID.String()+": "+d.Title, page)
	if err != nil {
		return err
	}
	return servePublic(w, r, "text/html; charset=utf-8", page.Item.Modified, b)
}

// documentText renders the KCSA or KCSN text of a public document with
// the project's own templates of those, or the defaults.
func documentText(d *vmt.Advisory, base string, templates map[string]string) (render.Doc, error) {
	return render.Document(d, "", base, templates)
}

// advisoryPageOrFile sends /advisories/ID.yaml and ID.md to file, the
// rest to page.
func (s *Server) advisoryPageOrFile(page, file http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		for suffix := range fileSuffixes {
			if strings.HasSuffix(id, suffix) {
				file.ServeHTTP(w, r)
				return
			}
		}
		page.ServeHTTP(w, r)
	})
}

// advisoryFile serves /advisories/{id}.yaml (OSSA YAML) and {id}.md (the
// KCSA file) of a public document, to anyone; like every public route,
// a draft or an embargoed document is not found here, whoever asks (its
// coordinators preview it through the API's export).
func (s *Server) advisoryFile(w http.ResponseWriter, r *http.Request) error {
	id, format := r.PathValue("id"), ""
	for suffix, f := range fileSuffixes {
		if x, ok := strings.CutSuffix(id, suffix); ok {
			id, format = x, f
		}
	}
	d, _, err := s.svc.PublishedAdvisory(r.Context(), id)
	if err != nil {
		return err
	}
	pub, err := s.svc.Publisher(r.Context(), d.ProjectID)
	if err != nil {
		return err
	}
	b, err := exportAdvisory(d, format, "", pub, s.baseURL(r), false)
	if err != nil {
		return err
	}
	modified := *d.Published
	if d.Modified != nil {
		modified = *d.Modified
	}
	return servePublic(w, r, exportFormats[format], modified, b)
}

// advisoryExport serves /advisories/{id}/{osv,cve,csaf}.json.
func (s *Server) advisoryExport(w http.ResponseWriter, r *http.Request) error {
	format, ok := strings.CutSuffix(r.PathValue("file"), ".json")
	if t, known := exportFormats[format]; !ok || !known || t != "application/json" {
		return vmt.NotFound("export")
	}
	d, _, err := s.svc.PublishedAdvisory(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	pub, err := s.svc.Publisher(r.Context(), d.ProjectID)
	if err != nil {
		return err
	}
	cve := r.URL.Query().Get("cve")
	if _, listed := exportsOf(d, pub, "")[exportKey(d, format, cve)]; !listed {
		return vmt.NotFound("export") // what the index does not list does not exist
	}
	b, err := exportAdvisory(d, format, cve, pub, s.baseURL(r), false)
	if err != nil {
		return err
	}
	modified := *d.Published
	if d.Modified != nil {
		modified = *d.Modified
	}
	return servePublic(w, r, exportFormats[format], modified, b)
}

// The Atom feed (RFC 4287): a feed with id, title, updated, author and a
// self link; an entry per document with id, title, updated, published,
// link and summary.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published,omitempty"`
	Links     []atomLink `xml:"link"`
	Summary   atomText   `xml:"summary"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

func (s *Server) advisoriesAtom(w http.ResponseWriter, r *http.Request) error {
	items, _, latest, err := s.publishedItems(r)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	self := base + "/advisories.atom"
	if p := r.URL.Query().Get("project"); p != "" {
		self += "?project=" + urlQueryEscape(p)
	}
	if latest.IsZero() {
		latest = time.Unix(0, 0)
	}
	f := atomFeed{ID: self, Title: "Security advisories", Updated: atomTime(latest),
		Author: atomPerson{Name: "Vulnerability Management Team"},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: self},
			{Rel: "alternate", Type: "text/html", Href: base + "/advisories"}}}
	for _, it := range items[:min(len(items), AdvisoriesPerPage)] {
		title := it.ID + ": " + it.Title
		if it.State == vmt.AdvisoryWithdrawn {
			title = "[Withdrawn] " + title
		}
		sum := it.Summary
		if sum == "" {
			sum = it.Title
		}
		if len(it.CVEs) > 0 {
			sum += " (" + strings.Join(it.CVEs, ", ") + ")"
		}
		f.Entries = append(f.Entries, atomEntry{ID: it.URL, Title: title, Updated: atomTime(it.Modified),
			Published: atomTime(it.Published), Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: it.URL}},
			Summary: atomText{Type: "text", Text: sum}})
	}
	b, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return servePublic(w, r, "application/atom+xml; charset=utf-8", latest, append([]byte(xml.Header), append(b, '\n')...))
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
