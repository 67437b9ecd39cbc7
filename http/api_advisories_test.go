package http_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	vmthttp "github.com/vmtproject/vmt/http"
)

// advisoryRoutes are the routes on one document, with the statuses
// expected of each principal (in the order of principals), written by
// hand for a document in each state: a draft and an embargoed document
// on a private report, a published one on a public report. {adv} is the
// document's record id; every cell gets a fresh document.
var advisoryRoutes = []struct {
	method, path, body string
	want               map[string]string
}{
	{"GET", "/api/v1/advisories/{adv}", "", map[string]string{
		"draft":     "404 200 200 404 200 404 200 404 200 404 200 404",
		"embargoed": "404 200 200 404 200 404 200 404 200 404 200 404",
		"published": "200 200 200 200 200 200 200 200 200 200 200 200"}},
	{"PUT", "/api/v1/advisories/{adv}", "{doc}", map[string]string{
		"draft":     "404 200 200 404 403 404 403 404 403 404 403 404",
		"published": "401 409 409 403 403 403 403 403 403 403 403 403"}},
	{"POST", "/api/v1/advisories/{adv}/embargo", "", map[string]string{
		"draft":     "404 200 200 404 403 404 403 404 403 404 403 404",
		"embargoed": "404 409 409 404 403 404 403 404 403 404 403 404"}},
	// Publishing waits for the report to be public.
	{"POST", "/api/v1/advisories/{adv}/publish", "", map[string]string{
		"embargoed": "404 409 409 404 403 404 403 404 403 404 403 404",
		"published": "401 409 409 403 403 403 403 403 403 403 403 403"}},
	{"POST", "/api/v1/advisories/{adv}/errata", `{"advisory":{doc},"change":"Corrected the versions."}`, map[string]string{
		"draft":     "404 409 409 404 403 404 403 404 403 404 403 404",
		"published": "401 200 200 403 403 403 403 403 403 403 403 403"}},
	{"POST", "/api/v1/advisories/{adv}/withdraw", `{"reason":"Not a flaw."}`, map[string]string{
		"embargoed": "404 409 409 404 403 404 403 404 403 404 403 404",
		"published": "401 200 200 403 403 403 403 403 403 403 403 403"}},
	{"GET", "/api/v1/advisories/{adv}/export?format=osv", "", map[string]string{
		"draft":     "404 409 409 404 409 404 409 404 409 404 409 404",
		"embargoed": "404 200 200 404 200 404 200 404 200 404 200 404",
		"published": "200 200 200 200 200 200 200 200 200 200 200 200"}},
	{"GET", "/api/v1/advisories/{adv}/record-diff", "", map[string]string{
		"draft":     "404 200 200 404 403 404 403 404 403 404 403 404",
		"embargoed": "404 200 200 404 403 404 403 404 403 404 403 404",
		"published": "401 200 200 403 403 403 403 403 403 403 403 403"}},
	{"GET", "/api/v1/advisories/{adv}/export?format=csaf", "", map[string]string{
		"published": "200 200 200 200 200 200 200 200 200 200 200 200"}},
	// The project's files: the same rules as every export.
	{"GET", "/api/v1/advisories/{adv}/export?format=ossa", "", map[string]string{
		"draft":     "404 409 409 404 409 404 409 404 409 404 409 404",
		"embargoed": "404 200 200 404 200 404 200 404 200 404 200 404",
		"published": "200 200 200 200 200 200 200 200 200 200 200 200"}},
	{"GET", "/api/v1/advisories/{adv}/export?format=kcsa", "", map[string]string{
		"embargoed": "404 200 200 404 200 404 200 404 200 404 200 404",
		"published": "200 200 200 200 200 200 200 200 200 200 200 200"}},
}

// TestAdvisoryAuthorization sends every advisory route as every
// principal, for each state, each cell on a fresh document.
func TestAdvisoryAuthorization(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newMatrix(t, engine)
		m.setDeps(func(d *app.Deps) {
			d.Publication.BaseURL = "https://vmt.example.org"
		})
		doc, err := json.Marshal(pubDoc("in the matrix"))
		if err != nil {
			t.Fatal(err)
		}
		for _, rt := range advisoryRoutes {
			for state, exp := range rt.want {
				want := strings.Fields(exp)
				if len(want) != len(principals) {
					t.Fatalf("%s %s %s: %d expectations", rt.method, rt.path, state, len(want))
				}
				for i, p := range principals {
					d := m.advisoryIn(state, "SECRET-"+state, state == "published")
					path := strings.ReplaceAll(rt.path, "{adv}", itoa(d.RecordID))
					code, body := m.do(rt.method, path, m.tokens[p], strings.ReplaceAll(rt.body, "{doc}", string(doc)))
					if strconv.Itoa(code) != want[i] {
						t.Errorf("%s %s (%s) as %s: got %d, want %s; body %.300s", rt.method, rt.path, state, p, code, want[i], body)
					}
					if code == 404 && strings.Contains(body, "SECRET") {
						t.Errorf("%s %s as %s: a 404 shows the document", rt.method, rt.path, p)
					}
				}
			}
		}
	})
}

// TestAdvisoryClient drives the documents through the Go client, as the
// CLI does: draft, edit, make final, publish once public, export, amend,
// withdraw; bad input is refused naming the field.
func TestAdvisoryClient(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		m := newMatrix(t, engine)
		m.setDeps(func(d *app.Deps) {
			d.Publication.BaseURL = "https://vmt.example.org"
		})
		c := &vmthttp.Client{BaseURL: m.srv.URL, Token: m.tokens["vmt"]}
		id := m.report(false)
		if _, err := m.svc.Classify(ctx, m.admin, id, "A"); err != nil {
			t.Fatal(err)
		}
		m.advisoryIn("draft", "unused", false) // sets the CVSS checker
		bad := pubDoc("bad")
		bad.Credits[0].Type = "HERO"
		if _, err := c.DraftAdvisory(ctx, id, bad); vmt.ErrorCode(err) != vmt.EINVALID || !strings.HasPrefix(vmt.ErrorField(err), "credits") {
			t.Errorf("unknown credit type: %v (field %q)", err, vmt.ErrorField(err))
		}
		d, err := c.DraftAdvisory(ctx, id, pubDoc("via the client"))
		if err != nil {
			t.Fatal(err)
		}
		edited := pubDoc("edited")
		if d, err = c.UpdateAdvisory(ctx, d.RecordID, edited); err != nil || d.Title != edited.Title {
			t.Fatalf("update: %v", err)
		}
		if d, err = c.EmbargoAdvisory(ctx, d.RecordID); err != nil || d.ID.IsZero() {
			t.Fatalf("embargo: %v", err)
		}
		if _, err := c.PublishAdvisory(ctx, d.RecordID); vmt.ErrorCode(err) != vmt.ECONFLICT {
			t.Errorf("publish while private: %v", err)
		}
		if _, err := c.PublicationSettings(ctx, "kata-containers"); err != nil {
			t.Errorf("settings as the VMT: %v", err)
		}
		if _, err := c.SetPublicationSettings(ctx, "kata-containers", vmt.PublicationSettings{WebhookURL: "http://chat.example.org/x"}); vmt.ErrorField(err) != "webhook_url" {
			t.Errorf("clear-text webhook: %v", err)
		}
		if _, err := c.SetPublicationSettings(ctx, "kata-containers", vmt.PublicationSettings{Lists: []vmt.AnnouncementList{{Address: "announce@example.org"}}}); err != nil {
			t.Fatal(err)
		}
		// Ending the embargo publishes the final document with it.
		if _, err := m.svc.MakePublic(ctx, m.admin, id, "disclosed"); err != nil {
			t.Fatal(err)
		}
		if d, err = c.Advisory(ctx, d.RecordID); err != nil || d.State != vmt.AdvisoryPublished {
			t.Fatalf("published with the disclosure: %v %v", d, err)
		}
		// The CNA a CVE record names is typed once, in the CNA settings:
		// without it there is no record, and the error says where to set it.
		if _, err := c.ExportAdvisory(ctx, d.RecordID, "cve", ""); vmt.ErrorCode(err) != vmt.ECONFLICT ||
			!strings.Contains(err.Error(), "vmt project cna set") {
			t.Errorf("cve export while no CNA is named: %v", err)
		}
		if _, err := c.SetCNASettings(ctx, "kata-containers", vmt.CNASettings{ShortName: "kata",
			OrgID: "6d5b2f5c-0f3a-4c1e-9d7e-1b2c3d4e5f60"}); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"osv", "cve", "csaf"} {
			b, err := c.ExportAdvisory(ctx, d.RecordID, f, "")
			if err != nil || !json.Valid(b) || !strings.Contains(string(b), "edited") {
				t.Errorf("export %s: %v\n%.300s", f, err, b)
			}
		}
		if _, err := c.ExportAdvisory(ctx, d.RecordID, "yaml", ""); vmt.ErrorField(err) != "format" {
			t.Errorf("export as yaml: %v", err)
		}
		if d, err = c.AmendAdvisory(ctx, d.RecordID, edited, "Corrected the versions."); err != nil || len(d.Revisions) != 2 {
			t.Fatalf("errata: %v", err)
		}
		if d, err = c.WithdrawAdvisory(ctx, d.RecordID, "Not a flaw."); err != nil || d.State != vmt.AdvisoryWithdrawn {
			t.Fatalf("withdraw: %v", err)
		}
		ds, err := c.ReportAdvisories(ctx, id)
		if err != nil || len(ds) != 1 || ds[0].State != vmt.AdvisoryWithdrawn {
			t.Errorf("report's documents: %v, %d", err, len(ds))
		}
		items, err := m.svc.Outbox(ctx, m.admin, id)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, o := range items {
			// The notifications of the report's steps are not announcements.
			if o.Kind != vmt.KindNotification && o.Kind != vmt.KindNotificationLink {
				kinds = append(kinds, o.Key)
			}
		}
		if len(kinds) != 3 { // published, errata, withdrawn: one mail each (no webhook set)
			t.Errorf("announcements: %v", kinds)
		}
	})
}
