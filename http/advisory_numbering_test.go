package http_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// TestAdvisoryNumbering is the project's choice of when documents are
// numbered, set through the API, on both engines. At publication, an
// embargoed document has no number, so the public numbering has no gap
// that would show it exists: the first document published is -001 even
// though another was made final before it, and the embargoed one takes
// the next number when it goes out. At embargo (the default), it is
// numbered when made final, and the gap shows.
func TestAdvisoryNumbering(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		m := newMatrix(t, engine)
		status, body := m.do("GET", "/api/v1/projects/kata-containers/publication", m.token, "")
		if status != 200 || !strings.Contains(body, `"advisory_numbering": "embargo"`) && !strings.Contains(body, `"advisory_numbering":"embargo"`) {
			t.Fatalf("default settings: %d %s", status, body)
		}
		if status, body := m.do("PUT", "/api/v1/projects/kata-containers/publication", m.token, `{"advisory_numbering":"sometimes"}`); status != 400 || !strings.Contains(body, `"advisory_numbering"`) {
			t.Errorf("a bad numbering: %d %s", status, body)
		}
		if status, body := m.do("PUT", "/api/v1/projects/kata-containers/publication", m.tokens["vmtX"], `{"advisory_numbering":"publication"}`); status != 403 && status != 404 {
			t.Errorf("another project's VMT sets the numbering: %d %s", status, body)
		}
		if status, body := m.do("PUT", "/api/v1/projects/kata-containers/publication", m.tokens["vmt"], `{"advisory_numbering":"publication"}`); status != 200 {
			t.Fatalf("set numbering: %d %s", status, body)
		}

		embargoed := m.advisoryIn("embargoed", "SECRET-first-final", false)
		if !embargoed.ID.IsZero() {
			t.Fatalf("numbering at publication: an embargoed document has the number %s", embargoed.ID)
		}
		// Its exports preview with the number it would take now.
		if status, body := m.do("GET", "/api/v1/advisories/"+itoa(embargoed.RecordID)+"/export?format=osv", m.tokens["vmt"], ""); status != 200 || !strings.Contains(body, "-001") {
			t.Errorf("the preview export of an unnumbered embargoed document: %d %.300s", status, body)
		}
		// Its report's page still works for the VMT.
		m.withPassword(m.actors["vmt"])
		b := m.browser()
		b.login("vmt@example.org")
		if p := b.get("/reports/" + itoa(embargoed.ReportID)); p.status != 200 {
			t.Errorf("the report page of an unnumbered embargoed document: %d", p.status)
		}
		published := m.advisoryIn("published", "PUBLIC-second-final", true)
		if got := published.ID.String(); !strings.HasSuffix(got, "-001") {
			t.Errorf("the first published document is %s, want number 001: the gap would show the embargoed one", got)
		}
		resp, index := m.get("/advisories.json", "")
		if resp.StatusCode != 200 || !strings.Contains(index, published.ID.String()) || strings.Contains(index, "SECRET") {
			t.Errorf("index: %d %.300s", resp.StatusCode, index)
		}
		// The embargoed one is numbered when it goes out, with its report.
		if _, err := m.svc.MakePublic(ctx, m.admin, embargoed.ReportID, "test"); err != nil {
			t.Fatal(err)
		}
		later, err := m.svc.Advisory(ctx, m.admin, embargoed.RecordID)
		if err != nil {
			t.Fatal(err)
		}
		if got := later.ID.String(); !strings.HasSuffix(got, "-002") {
			t.Errorf("the later published document is %s, want number 002", got)
		}
		if resp, _ := m.get("/advisories/"+later.ID.String()+"/csaf.json", ""); resp.StatusCode != 200 {
			t.Errorf("its export: %d", resp.StatusCode)
		}

		// Back to numbering at embargo: made final, it is numbered.
		if status, body := m.do("PUT", "/api/v1/projects/kata-containers/publication", m.tokens["vmt"], `{"advisory_numbering":"embargo"}`); status != 200 {
			t.Fatalf("set numbering: %d %s", status, body)
		}
		var got vmt.PublicationSettings
		_, body = m.do("GET", "/api/v1/projects/kata-containers/publication", m.token, "")
		if err := json.Unmarshal([]byte(body), &got); err != nil || got.AdvisoryNumbering != vmt.NumberAtEmbargo {
			t.Errorf("settings after the change: %v %s", err, body)
		}
		if d := m.advisoryIn("embargoed", "SECRET-third", false); !strings.HasSuffix(d.ID.String(), "-003") {
			t.Errorf("numbering at embargo: an embargoed document is %q, want number 003", d.ID)
		}
	})
}
