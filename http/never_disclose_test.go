package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/cvss"
)

// The never-disclose tests (issue 10, leak 2): a reporter's mark holds for
// every text and export at the moment it is shown, whenever it was set.

// seers are the principals who see what a reporter withholds: the VMT,
// administrators and the reporter. Everyone else must not.
var seers = map[string]bool{"admin": true, "vmt": true, "own": true}

// neverWorld is the matrix's cast, each principal also signed in to the
// pages, on a server that announces publications.
type neverWorld struct {
	*matrix
	browsers map[string]*browser
}

func newNeverWorld(t *testing.T, engine string) *neverWorld {
	m := newMatrix(t, engine)
	ctx := context.Background()
	m.setDeps(func(d *app.Deps) {
		d.Publication.BaseURL = "https://vmt.example.org"
		d.CheckAdvisory = cvss.Check
	})
	if _, err := m.svc.SetPublicationSettings(ctx, m.admin, "kata-containers", vmt.PublicationSettings{
		Lists: []vmt.AnnouncementList{{Address: "announce@example.org"}}, WebhookURL: "https://chat.example.org/hook", CSAFNamespace: "https://kata.example.org"}); err != nil {
		t.Fatal(err)
	}
	// A CNA, so that the CVE JSON 5 export is there to check too.
	if _, err := m.svc.SetCNASettings(ctx, m.admin, "kata-containers", vmt.CNASettings{
		OrgID: "6d5b2f5c-0f3a-4c1e-9d7e-1b2c3d4e5f60", ShortName: "kata"}); err != nil {
		t.Fatal(err)
	}
	w := &neverWorld{matrix: m, browsers: map[string]*browser{"anon": m.browser()}}
	for _, p := range principals[1:] {
		if p == "own" {
			continue // each case files as a reporter of its own
		}
		w.withPassword(m.actors[p])
		w.browsers[p] = m.browser()
		w.browsers[p].login(m.actors[p].User.Email)
	}
	return w
}

// neverCase is one reporter, their report and the values their marks may
// withhold, unique to the case so that no other case's documents in the
// public index match them.
type neverCase struct {
	w                          *neverWorld
	tag                        string
	name, email, credit, terms string
	id                         int64
	doc                        *vmt.Advisory
}

// newCase makes the reporter of a case ("own" of its matrix), signed in.
func (w *neverWorld) newCase(t *testing.T, n int) *neverCase {
	c := &neverCase{w: w, tag: fmt.Sprintf("N%dq", n)}
	c.name = "Zelda " + c.tag + " Quixote"
	c.email = "zelda." + strings.ToLower(c.tag) + "@example.org"
	c.credit = "Zed " + c.tag + " Hylian (Hyrule Labs)"
	c.terms = "No disclosure before the Hyrule summit " + c.tag
	own, _ := w.user(c.email, vmt.RoleReporter)
	if _, err := w.svc.UpdateUser(context.Background(), w.admin, own.ID(), vmt.UserPatch{Name: &c.name}); err != nil {
		t.Fatal(err)
	}
	w.actors["own"] = own
	tok, err := w.svc.CreateToken(context.Background(), w.admin, own.ID(), "test")
	if err != nil {
		t.Fatal(err)
	}
	w.tokens["own"] = tok.Secret
	w.withPassword(own)
	w.browsers["own"] = w.browser()
	w.browsers["own"].login(c.email)
	return c
}

// secrets are the values the mark on field withholds, as they are written
// in the texts: the credit's name, the account's name and address, the
// terms.
func (c *neverCase) secrets(field string) []string {
	credit := "Zed " + c.tag + " Hylian"
	switch field {
	case "credit":
		return []string{credit}
	case "reporter_identity":
		return []string{credit, c.name, c.email}
	}
	return []string{c.terms}
}

// mentions is a sentence naming every value a mark could withhold.
func (c *neverCase) mentions() string {
	return fmt.Sprintf("Found by %s; reporter %s <%s>; terms: %s.", c.credit, c.name, c.email, c.terms)
}

// file is the first step of a report's life: filed by the reporter, who
// names themselves in it, with a comment by the VMT that names them too,
// seen by the subscribed reviewer, committee member and stakeholder.
func (c *neverCase) file(t *testing.T) {
	ctx, w := context.Background(), c.w
	r, err := w.svc.CreateReport(ctx, w.actors["own"], vmt.ReportInput{Project: "kata-containers",
		Title: "Guest escape " + c.tag, Description: "A crafted mount escapes. " + c.mentions(),
		Components: []string{"runtime"}, AffectedVersions: "<3.2.1", Credit: c.credit, ReporterTerms: c.terms})
	if err != nil {
		t.Fatal(err)
	}
	c.id = r.ID
	for _, p := range []string{"revS", "comS", "stkS"} {
		if _, err := w.svc.Subscribe(ctx, w.admin, r.ID, w.actors[p].ID()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.svc.AddComment(ctx, w.actors["vmt"], r.ID, "Thanks. "+c.mentions()); err != nil {
		t.Fatal(err)
	}
}

// draft writes the impact description and the advisory, both naming the
// reporter, and makes the advisory final (embargoed).
func (c *neverCase) draft(t *testing.T) {
	ctx, w := context.Background(), c.w
	if _, err := w.svc.Classify(ctx, w.admin, c.id, "A"); err != nil {
		t.Fatal(err)
	}
	impact := "Description:\nA crafted mount escapes the shared directory. " + c.mentions() + "\n\nMitigation:\nUpgrade.\n"
	if _, err := w.svc.UpdateReport(ctx, w.actors["vmt"], c.id, vmt.ReportPatch{ImpactDescription: &impact}); err != nil {
		t.Fatal(err)
	}
	doc := pubDoc(c.tag)
	doc.Summary = "A guest escapes, found by " + c.name + "."
	doc.Description = "A crafted mount escapes the shared directory. " + c.mentions()
	doc.Credits = []vmt.Credit{{Name: "Zed " + c.tag + " Hylian", Affiliation: "Hyrule Labs", Type: vmt.CreditReporter},
		{Name: c.name, Contact: []string{"mailto:" + c.email}, Type: vmt.CreditFinder},
		{Name: "Kata VMT", Type: vmt.CreditCoordinator}}
	d, err := w.svc.DraftAdvisory(ctx, w.actors["vmt"], c.id, doc)
	if err != nil {
		t.Fatal(err)
	}
	if c.doc, err = w.svc.EmbargoAdvisory(ctx, w.actors["vmt"], d.RecordID); err != nil {
		t.Fatal(err)
	}
}

// publish discloses the report, which publishes its final advisory.
func (c *neverCase) publish(t *testing.T) {
	ctx, w := context.Background(), c.w
	if _, err := w.svc.MakePublic(ctx, w.admin, c.id, "disclosure"); err != nil {
		t.Fatal(err)
	}
	d, err := w.svc.Advisory(ctx, w.actors["vmt"], c.doc.RecordID)
	if err != nil {
		t.Fatal(err)
	}
	if d.State != vmt.AdvisoryPublished {
		t.Fatalf("after the disclosure the advisory is %s", d.State)
	}
	c.doc = d
}

// mark sets the reporter's never-disclose mark on field, as the reporter
// does, through the API.
func (c *neverCase) mark(t *testing.T, field string) {
	body := `{"never_disclose":["` + field + `"]}`
	if st, b := c.w.do("PATCH", "/api/v1/reports/"+itoa(c.id), c.w.tokens["own"], body); st != http.StatusOK {
		t.Fatalf("marking %s: %d %s", field, st, b)
	}
}

// output is one thing a principal is shown.
type output struct {
	name, body string
	status     int
}

// outputs collects every output of the case for principal p: the report's
// API answers (report, list, comments, impact, advisories, the advisory
// and its exports) and pages (report, list), and the public advisory
// pages, feed, index and exports.
func (c *neverCase) outputs(p string) []output {
	w, tok := c.w, c.w.tokens[p]
	var out []output
	api := func(path string) {
		st, b := w.do("GET", path, tok, "")
		out = append(out, output{"API " + path, b, st})
	}
	pg := func(path string) {
		r := w.browsers[p].get(path)
		out = append(out, output{"page " + path, r.body, r.status})
	}
	id := itoa(c.id)
	api("/api/v1/reports/" + id)
	api("/api/v1/reports")
	api("/api/v1/reports?q=" + c.tag)
	api("/api/v1/reports/" + id + "/comments")
	api("/api/v1/reports/" + id + "/impact")
	api("/api/v1/reports/" + id + "/advisories")
	pg("/reports/" + id)
	pg("/reports")
	if c.doc != nil {
		rec := itoa(c.doc.RecordID)
		api("/api/v1/advisories/" + rec)
		for _, f := range []string{"osv", "cve", "csaf"} {
			api("/api/v1/advisories/" + rec + "/export?format=" + f)
			if c.doc.Public() {
				pg("/advisories/" + c.doc.ID.String() + "/" + f + ".json")
			}
		}
		for _, f := range []string{"ossa", "kcsa"} {
			api("/api/v1/advisories/" + rec + "/export?format=" + f)
		}
		if c.doc.Public() {
			pg("/advisories/" + c.doc.ID.String() + ".yaml")
			pg("/advisories/" + c.doc.ID.String() + ".md")
		}
		if c.doc.Public() {
			pg("/advisories/" + c.doc.ID.String())
		}
	}
	pg("/advisories")
	pg("/advisories.atom")
	pg("/advisories.json")
	return out
}

// announcements are the mail and webhook payloads the publication put in
// the outbox: what the list and the chat get.
func (c *neverCase) announcements(t *testing.T) []output {
	items, err := c.w.svc.Outbox(context.Background(), c.w.admin, c.id)
	if err != nil {
		t.Fatal(err)
	}
	var out []output
	for _, it := range items {
		if it.Kind == vmt.KindPublicationMail || it.Kind == vmt.KindWebhook {
			out = append(out, output{"outbox " + it.Key, string(it.Payload), http.StatusOK})
		}
	}
	return out
}

// delivered are the announcements of the case as the worker claims them
// to send: the mail and the webhook call. The lease is short, so that
// the next check claims them again.
func (c *neverCase) delivered(t *testing.T) []output {
	items, err := c.w.svc.ClaimDeliveries(context.Background(), 1000, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	var out []output
	for _, it := range items {
		if it.ReportID == c.id && (it.Kind == vmt.KindPublicationMail || it.Kind == vmt.KindWebhook) {
			out = append(out, output{"delivery " + it.Key, string(it.Payload), http.StatusOK})
		}
	}
	return out
}

// check fails for every output of every principal but the seers that
// holds a secret; for the seers, the report's API answer must hold them
// (the check is not vacuous), and for the VMT it lists where they are
// stored.
func (c *neverCase) check(t *testing.T, field, when string, announced bool) {
	t.Helper()
	secrets := c.secrets(field)
	for _, p := range principals {
		shown := 0
		for _, o := range c.outputs(p) {
			if o.status == http.StatusOK {
				shown++
			}
			if seers[p] {
				continue
			}
			for _, s := range secrets {
				if strings.Contains(o.body, s) || strings.Contains(o.body, jsonString(s)) {
					t.Errorf("%s: %s is shown %q in %s (%d)", when, p, s, o.name, o.status)
				}
			}
		}
		if shown == 0 {
			t.Errorf("%s: %s was shown nothing: the check would pass vacuously", when, p)
		}
	}
	var as []output
	if announced {
		as = c.announcements(t)
		if len(as) == 0 {
			t.Errorf("%s: no announcement in the outbox", when)
		}
	}
	if c.doc != nil && c.doc.Public() {
		// What the worker delivers, whenever it was enqueued.
		delivered := c.delivered(t)
		if len(delivered) == 0 {
			t.Errorf("%s: no announcement to deliver", when)
		}
		as = append(as, delivered...)
	}
	{
		for _, o := range as {
			for _, s := range secrets {
				if strings.Contains(o.body, s) || strings.Contains(o.body, jsonString(s)) {
					t.Errorf("%s: the announcement %s holds %q", when, o.name, s)
				}
			}
		}
	}
	for _, o := range c.outputs("vmt") {
		if o.status != http.StatusOK {
			t.Errorf("%s: the VMT gets %d for %s: an output that fails is not checked", when, o.status, o.name)
		}
	}
	_, own := c.w.do("GET", "/api/v1/reports/"+itoa(c.id), c.w.tokens["own"], "")
	_, vmtView := c.w.do("GET", "/api/v1/reports/"+itoa(c.id), c.w.tokens["vmt"], "")
	for _, s := range secrets {
		if !strings.Contains(own, jsonString(s)) || !strings.Contains(vmtView, jsonString(s)) {
			t.Errorf("%s: the reporter or the VMT does not see %q", when, s)
		}
	}
	var v struct {
		WithheldIn []string `json:"withheld_in"`
	}
	if err := json.Unmarshal([]byte(vmtView), &v); err != nil || !slicesContains(v.WithheldIn, "impact_description") && c.doc != nil {
		t.Errorf("%s: the VMT is not told where the value is stored: %v %q", when, err, v.WithheldIn)
	}
}

// jsonString is s as encoding/json writes it inside a string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

// TestNeverDiscloseEveryOutput marks each field at each stage of a
// report's life (before drafting, after drafting the impact description
// and the advisory, after publication) and checks, after the mark and
// after every later step, that no output for any principal but the VMT,
// administrators and the reporter holds the withheld value.
func TestNeverDiscloseEveryOutput(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		w := newNeverWorld(t, engine)
		n := 0
		for _, field := range vmt.NeverDisclosable {
			for stage, name := range []string{"before drafting", "after drafting", "after publication"} {
				n++
				t.Run(field+" "+name, func(t *testing.T) {
					c := w.newCase(t, n)
					steps := []struct {
						name string
						fn   func(*testing.T)
					}{{"drafted", c.draft}, {"published", c.publish}}
					c.file(t)
					marked := false
					for i := 0; i <= len(steps); i++ {
						if i == stage {
							c.mark(t, field)
							marked = true
							c.check(t, field, "marked "+name, false)
						}
						if i == len(steps) {
							break
						}
						steps[i].fn(t)
						if marked {
							// The announcement goes out at publication: it
							// withholds the value when the mark came first.
							c.check(t, field, steps[i].name+" after the mark", steps[i].name == "published")
						}
					}
				})
			}
		}
	})
}

// TestNeverDiscloseCreditAfterDrafting is the walk of the issue: the
// reporter marks the credit never to disclose after the impact
// description and the advisory named them, and the advisory is then
// published. Their name is in no page, API answer, export or
// announcement for anyone but the VMT and the reporter; the VMT's page
// says which stored texts still hold it.
func TestNeverDiscloseCreditAfterDrafting(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		w := newNeverWorld(t, engine)
		c := w.newCase(t, 1)
		c.file(t)
		c.draft(t)
		c.mark(t, "credit")
		c.publish(t)
		c.check(t, "credit", "published", true)
		for _, p := range []string{"anon", "revS", "comS", "stkS"} {
			pg := w.browsers[p].get("/advisories/" + c.doc.ID.String())
			if pg.status != http.StatusOK || !strings.Contains(pg.doc.Find(".document").Text(), vmt.WithheldText) {
				t.Errorf("%s: the advisory page does not show where the name was withheld (%d)", p, pg.status)
			}
		}
		pg := w.browsers["vmt"].get("/reports/" + itoa(c.id))
		notice := pg.doc.Find("#withheld-in").Text()
		for _, want := range []string{"impact_description", "description", "comment", c.doc.ID.String() + " credits"} {
			if !strings.Contains(notice, want) {
				t.Errorf("the VMT's notice %q does not name %q", notice, want)
			}
		}
		// The VMT's previews are of what goes out: the KCSA text and the
		// CVE request mail withhold the name; the form to edit it shows it.
		for _, sel := range []string{"#advisory-text", "#cve-mail-text"} {
			text := pg.doc.Find(sel).Text()
			if text == "" || strings.Contains(text, "Zed N1q Hylian") {
				t.Errorf("the VMT's preview %s is empty or holds the withheld name:\n%s", sel, text)
			}
		}
		if !strings.Contains(pg.body, "Zed N1q Hylian") {
			t.Errorf("the VMT's page does not show the stored text")
		}
		if pg := w.browsers["revS"].get("/reports/" + itoa(c.id)); pg.doc.Find("#withheld-in").Length() != 0 {
			t.Errorf("a subscribed reviewer is shown where the withheld value is stored")
		}
	})
}

// TestNeverDiscloseSearch: a search by a withheld value does not find the
// report for those from whom it is withheld (finding it would tell them
// the value is in it), nor count it; the VMT and the reporter find it.
func TestNeverDiscloseSearch(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		w := newNeverWorld(t, engine)
		c := w.newCase(t, 1)
		c.file(t)
		c.draft(t)
		c.mark(t, "credit")
		found := func(p, q string) (bool, int) {
			st, body := w.do("GET", "/api/v1/reports?q="+q, w.tokens[p], "")
			var l struct {
				Items []struct{ ID int64 }
				Total int
			}
			if err := json.Unmarshal([]byte(body), &l); st != http.StatusOK || err != nil {
				t.Fatalf("%s search %q: %d %v %s", p, q, st, err, body)
			}
			for _, it := range l.Items {
				if it.ID == c.id {
					return true, l.Total
				}
			}
			return false, l.Total
		}
		for _, p := range []string{"revS", "comS", "stkS"} {
			if ok, n := found(p, "Hylian"); ok || n != 0 {
				t.Errorf("%s finds the report by the withheld credit (%v, total %d)", p, ok, n)
			}
			if ok, _ := found(p, "escapes"); !ok {
				t.Errorf("%s does not find the report by its text", p)
			}
		}
		for _, p := range []string{"vmt", "own"} {
			if ok, _ := found(p, "Hylian"); !ok {
				t.Errorf("%s does not find the report by the credit", p)
			}
		}
		if pg := w.browsers["revS"].get("/reports?q=Hylian"); strings.Contains(pg.body, "/reports/"+itoa(c.id)+`"`) {
			t.Errorf("the reviewer's list page finds the report by the withheld credit")
		}
	})
}
