package http_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/csaf"
	"github.com/vmtproject/vmt/pgpmail"
	"github.com/vmtproject/vmt/schematest"
)

// csafCheckerVersion is gocsaf's, the module whose types package csaf
// builds (go.mod): its csaf_checker judges the provider.
const csafCheckerVersion = "v3.7.0"

// csafChecker installs gocsaf's csaf_checker from the Go module proxy into
// a folder of the test (the build cache makes a second run quick).
func csafChecker(t *testing.T) string {
	t.Helper()
	return csafTool(t, "csaf_checker")
}

// csafTool installs gocsaf's command name (csaf_checker, csaf_validator)
// at csafCheckerVersion and returns its path.
func csafTool(t *testing.T, name string) string {
	t.Helper()
	bin := t.TempDir()
	cmd := exec.Command("go", "install", "github.com/gocsaf/csaf/v3/cmd/"+name+"@"+csafCheckerVersion)
	cmd.Env = append(os.Environ(), "GOBIN="+bin, "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("installing %s %s: %v\n%s", name, csafCheckerVersion, err, out)
	}
	return filepath.Join(bin, name)
}

func testSigner(t *testing.T) *pgpmail.Signer {
	t.Helper()
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Curve: packet.Curve25519, Time: func() time.Time { return time.Now().Add(-time.Hour) }}
	e, err := openpgp.NewEntity("VMT", "", "vmt@example.org", cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &pgpmail.Signer{Entity: e, Fingerprint: fmt.Sprintf("%X", e.PrimaryKey.Fingerprint)}
}

// checkerReport is what the test reads of csaf_checker's JSON report.
type checkerReport struct {
	Domains []struct {
		Name         string
		Passed       bool `json:"passed"`
		Requirements []struct {
			Num         int    `json:"num"`
			Description string `json:"description"`
			Messages    []struct {
				Type int    `json:"type"`
				Text string `json:"text"`
			} `json:"messages"`
		} `json:"requirements"`
	} `json:"domains"`
}

// TestCSAFTrustedProvider serves the provider over TLS on 127.0.0.1 and
// has gocsaf's csaf_checker judge it as a CSAF trusted provider; the
// embargoed documents are in none of its files.
func TestCSAFTrustedProvider(t *testing.T) {
	checker := csafChecker(t)
	m := newMatrix(t, "sqlite")
	srv := httptest.NewTLSServer(m.env)
	t.Cleanup(srv.Close)
	// Without a signing key there is no trusted provider.
	resp, err := srv.Client().Get(srv.URL + "/.well-known/csaf/provider-metadata.json")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("provider-metadata.json without a signing key: %d", resp.StatusCode)
	}
	signer := testSigner(t)
	m.setDeps(func(d *app.Deps) {
		d.Publication.BaseURL = srv.URL
		d.Publication.Signer = signer
	})
	hidden := []*vmt.Advisory{
		m.advisoryIn("embargoed", "SECRET-embargoed-private", false),
		m.advisoryIn("embargoed", "SECRET-embargoed-public-report", true),
	}
	published := m.advisoryIn("published", "PUBLIC-published", true)
	withdrawn := m.advisoryIn("withdrawn", "PUBLIC-withdrawn", true)

	get := func(path string) (int, string) {
		t.Helper()
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, pmd := get("/.well-known/csaf/provider-metadata.json")
	if code != 200 || !strings.Contains(pmd, `"csaf_trusted_provider"`) || !strings.Contains(pmd, signer.Fingerprint) {
		t.Fatalf("provider-metadata.json: %d %s", code, pmd)
	}
	_, index := get("/.well-known/csaf/white/index.txt")
	_, changes := get("/.well-known/csaf/white/changes.csv")
	_, feed := get("/.well-known/csaf/white/csaf-feed-tlp-white.json")
	for _, d := range []*vmt.Advisory{published, withdrawn} {
		rel := fmt.Sprint(d.Published.Year()) + "/" + csaf.FileName(d.ID.String())
		for _, f := range []string{index, changes, feed} {
			if !strings.Contains(f, rel) {
				t.Errorf("%s is not listed:\n%s", rel, f)
			}
		}
		for _, ext := range []string{"", ".sha256", ".sha512", ".asc"} {
			if code, body := get("/.well-known/csaf/white/" + rel + ext); code != 200 || strings.Contains(body, "SECRET") {
				t.Errorf("%s%s: %d", rel, ext, code)
			}
		}
	}
	for _, d := range hidden {
		rel := fmt.Sprint(time.Now().Year()) + "/" + csaf.FileName(d.ID.String())
		for name, f := range map[string]string{"index.txt": index, "changes.csv": changes, "feed": feed} {
			if strings.Contains(f, csaf.FileName(d.ID.String())) || strings.Contains(f, "SECRET") {
				t.Errorf("%s lists the embargoed %s", name, d.ID)
			}
		}
		if code, body := get("/.well-known/csaf/white/" + rel); code != http.StatusNotFound || strings.Contains(body, "SECRET") {
			t.Errorf("the embargoed %s: %d", rel, code)
		}
	}

	out := filepath.Join(t.TempDir(), "report.json")
	host := strings.TrimPrefix(srv.URL, "https://")
	cmd := exec.Command(checker, "--insecure", "--format", "json", "--output", out, host)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("csaf_checker: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep checkerReport
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("the checker's report: %v\n%s", err, b)
	}
	if len(rep.Domains) != 1 || !rep.Domains[0].Passed {
		var why []string
		for _, d := range rep.Domains {
			for _, r := range d.Requirements {
				for _, msg := range r.Messages {
					if msg.Type >= 2 { // error
						why = append(why, fmt.Sprintf("%d %s: %s", r.Num, r.Description, msg.Text))
					}
				}
			}
		}
		t.Fatalf("csaf_checker does not pass the provider:\n%s\n%s", strings.Join(why, "\n"), b)
	}
	// It passed having checked the documents, not an empty provider,
	// with nothing to say of the ROLIE service and category documents
	// (requirements 16 and 17, which a directory distribution alone
	// does without).
	said := map[int]string{}
	for _, r := range rep.Domains[0].Requirements {
		for _, msg := range r.Messages {
			said[r.Num] += msg.Text + "\n"
			if (r.Num == 16 || r.Num == 17) && msg.Type > 0 {
				t.Errorf("requirement %d %s: %s", r.Num, r.Description, msg.Text)
			}
		}
	}
	for num, want := range map[int]string{1: "All advisories validated fine", 11: "All CSAF files are in the right folders",
		14: "All directory listings are valid", 15: "All checked ROLIE feeds validated fine",
		16: "ROLIE service document validated fine", 17: "All checked ROLIE category documents exist",
		18: "All checksums match", 19: "All signatures verified", 20: "1 public OpenPGP key(s) loaded"} {
		if !strings.Contains(said[num], want) {
			t.Errorf("requirement %d: the checker said %q, want %q", num, said[num], want)
		}
	}
	// A document withdrawn later shows at once: the files kept between
	// requests follow the documents (no new server here).
	if _, err := m.svc.WithdrawAdvisory(context.Background(), m.admin, published.RecordID, "Not a flaw after all."); err != nil {
		t.Fatal(err)
	}
	rel := fmt.Sprint(published.Published.Year()) + "/" + csaf.FileName(published.ID.String())
	if _, doc := get("/.well-known/csaf/white/" + rel); !strings.Contains(doc, "Not a flaw after all.") {
		t.Errorf("%s still shows the document before its withdrawal", rel)
	}
	_, doc := get("/.well-known/csaf/white/" + rel)
	_, sum := get("/.well-known/csaf/white/" + rel + ".sha256")
	if h := sha256.Sum256([]byte(doc)); !strings.HasPrefix(sum, hex.EncodeToString(h[:])) {
		t.Errorf("%s.sha256 is not the hash of the document served now", rel)
	}
}

// TestCSAFEmbargoedPreview: those let in on an embargoed report get its
// CSAF labelled TLP AMBER, its initial_release_date the report's
// disclosure date (ahead); the published one is WHITE; both pass the
// CSAF 2.0 schema. The preview never reaches the public provider: no
// document it lists, nor its index, changes or feed, names it or is
// AMBER, and there is no AMBER directory.
func TestCSAFEmbargoedPreview(t *testing.T) {
	forEachEngine(t, func(t *testing.T, engine string) {
		m := newMatrix(t, engine)
		m.setDeps(func(d *app.Deps) {
			d.Publication.BaseURL = m.srv.URL
			d.Publication.Signer = testSigner(t)
		})
		emb := m.advisoryIn("embargoed", "SECRET-embargoed-csaf", false)
		m.noticeSent(emb.ReportID)
		var at time.Time
		if err := m.svc.Deps().Store.View(context.Background(), func(tx vmt.Tx) error {
			r, err := tx.Report(emb.ReportID)
			if err == nil {
				at = *r.DisclosureAt
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		pub := m.advisoryIn("published", "PUBLIC-published-csaf", true)

		type doc struct {
			Document struct {
				Distribution struct{ TLP struct{ Label string } }
				Tracking     struct {
					ID                 string
					InitialReleaseDate string `json:"initial_release_date"`
				}
			}
		}
		read := func(what string, code int, body string) doc {
			t.Helper()
			var d doc
			if code != 200 || json.Unmarshal([]byte(body), &d) != nil {
				t.Fatalf("%s: %d %.300s", what, code, body)
			}
			schematest.Validate(t, schematest.CSAF, what, []byte(body))
			return d
		}
		code, body := m.do("GET", "/api/v1/advisories/"+itoa(emb.RecordID)+"/export?format=csaf", m.tokens["vmt"], "")
		e := read("embargoed preview", code, body)
		if want := at.UTC().Format(time.RFC3339); e.Document.Distribution.TLP.Label != "AMBER" || e.Document.Tracking.InitialReleaseDate != want || !at.After(time.Now()) {
			t.Errorf("embargoed preview: TLP %q, initial_release_date %s, want AMBER and %s (ahead)", e.Document.Distribution.TLP.Label, e.Document.Tracking.InitialReleaseDate, want)
		}
		if code, _ := m.do("GET", "/api/v1/advisories/"+itoa(emb.RecordID)+"/export?format=csaf", m.tokens["stk"], ""); code != 404 {
			t.Errorf("a stakeholder not let in: %d, want 404", code)
		}
		resp, body := m.get("/advisories/"+pub.ID.String()+"/csaf.json", "")
		if p := read("published", resp.StatusCode, body); p.Document.Distribution.TLP.Label != "WHITE" {
			t.Errorf("published: TLP %q, want WHITE", p.Document.Distribution.TLP.Label)
		}

		previewFile := csaf.FileName(e.Document.Tracking.ID)
		_, index := m.get("/.well-known/csaf/white/index.txt", "")
		_, changes := m.get("/.well-known/csaf/white/changes.csv", "")
		_, feed := m.get("/.well-known/csaf/white/csaf-feed-tlp-white.json", "")
		for name, f := range map[string]string{"index.txt": index, "changes.csv": changes, "feed": feed} {
			if strings.Contains(f, previewFile) || strings.Contains(f, "SECRET") || strings.Contains(f, "AMBER") {
				t.Errorf("%s names the embargoed document %s:\n%.500s", name, previewFile, f)
			}
		}
		listed := strings.Fields(index)
		if len(listed) != 1 || !strings.HasSuffix(listed[0], csaf.FileName(pub.ID.String())) {
			t.Errorf("index.txt lists %v, want the published document only", listed)
		}
		for _, rel := range listed {
			resp, body := m.get("/.well-known/csaf/white/"+rel, "")
			if resp.StatusCode != 200 || strings.Contains(body, "SECRET") || strings.Contains(body, `"AMBER"`) {
				t.Errorf("%s: %d, or it is the embargoed document", rel, resp.StatusCode)
			}
		}
		for _, path := range []string{"/.well-known/csaf/amber/index.txt", "/.well-known/csaf/white/" + fmt.Sprint(at.Year()) + "/" + previewFile} {
			if resp, body := m.get(path, ""); resp.StatusCode != 404 || strings.Contains(body, "SECRET") {
				t.Errorf("%s: %d, want 404", path, resp.StatusCode)
			}
		}
	})
}
