package http_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/csaf"
)

// csafValidatorOffline is csaf_validator's exit status when every file
// passed its local checks: v3.7.0 sets the "no remote validator" bit (4,
// exitCodeNoRemoteValidator of cmd/csaf_validator/main.go) whenever no
// --validator URL is given, so 0 needs a remote validator service,
// which this test does not use. A schema error adds 2.
const csafValidatorOffline = 4

// TestCSAFValidatorPassesEachDocument has gocsaf's csaf_validator judge
// every CSAF document the server exports, with its local checks only
// (the CSAF 2.0 JSON schema and the CVSS schemas it embeds, the file
// name's form and its match with document.tracking.id, UTF-8): each
// document of the public provider's index.txt and the same document at
// its advisory's /csaf.json, and the embargoed preview those let in get
// from the API.
func TestCSAFValidatorPassesEachDocument(t *testing.T) {
	validator := csafTool(t, "csaf_validator")
	m := newMatrix(t, "sqlite")
	m.setDeps(func(d *app.Deps) {
		d.Publication.BaseURL = m.srv.URL
		d.Publication.Signer = testSigner(t)
	})
	cvss4 := richDoc("PUBLIC-cvss4", "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:N/SC:H/SI:N/SA:N")
	cvss4.Affected = append(cvss4.Affected, pubDoc("").Affected[0])
	cvss4.Affected[len(cvss4.Affected)-1].Component = "agent"
	cvss4.Affected[len(cvss4.Affected)-1].Versions = ">=8.0.0 <8.1.1 and ==9.0.0"
	published := []string{
		m.advisoryIn("published", "PUBLIC-published", true).ID.String(),
		m.advisoryIn("withdrawn", "PUBLIC-withdrawn", true).ID.String(),
		m.docIn(richDoc("PUBLIC-rich", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N"), true).ID.String(),
		m.docIn(cvss4, true).ID.String(),
	}
	emb := m.advisoryIn("embargoed", "SECRET-embargoed-csaf", false)
	m.noticeSent(emb.ReportID) // its disclosure date, the preview's initial_release_date

	dir := t.TempDir()
	var files []string
	// save writes a document under the name csaf_validator expects of its
	// tracking id, in a folder per source (the same id comes twice).
	save := func(src, what string, code int, body string) {
		t.Helper()
		var d struct {
			Document struct{ Tracking struct{ ID string } }
		}
		if code != 200 || json.Unmarshal([]byte(body), &d) != nil || d.Document.Tracking.ID == "" {
			t.Fatalf("%s: %d %.300s", what, code, body)
		}
		f := filepath.Join(dir, src, csaf.FileName(d.Document.Tracking.ID))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	resp, index := m.get("/.well-known/csaf/white/index.txt", "")
	listed := strings.Fields(index)
	if resp.StatusCode != 200 || len(listed) != len(published) {
		t.Fatalf("index.txt: %d, lists %v, want the %d published documents", resp.StatusCode, listed, len(published))
	}
	for _, rel := range listed {
		resp, body := m.get("/.well-known/csaf/white/"+rel, "")
		save("provider", rel, resp.StatusCode, body)
	}
	for _, id := range published {
		resp, body := m.get("/advisories/"+id+"/csaf.json", "")
		save("pages", id, resp.StatusCode, body)
	}
	code, body := m.do("GET", "/api/v1/advisories/"+itoa(emb.RecordID)+"/export?format=csaf", m.tokens["vmt"], "")
	save("preview", "embargoed preview", code, body)

	cmd := exec.Command(validator, files...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	status := 0
	if errors.As(err, &exit) {
		status = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("csaf_validator: %v\n%s", err, out)
	}
	if status != csafValidatorOffline {
		t.Errorf("csaf_validator exits %d, want %d (all valid, no remote validator)\n%s", status, csafValidatorOffline, out)
	}
	// What it prints beyond a pass per file and the warning that no
	// remote validator was given is a finding: a schema error, a file
	// name not of the CSAF form or not its tracking id, invalid UTF-8.
	passes := 0
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		switch {
		case strings.HasSuffix(l, "warn: no remote validator specified"):
		case strings.HasSuffix(l, " passes the schema validation."):
			passes++
		default:
			t.Errorf("csaf_validator: %s", l)
		}
	}
	if passes != len(files) {
		t.Errorf("%d of %d documents pass the schema validation\n%s", passes, len(files), out)
	}
	t.Logf("csaf_validator %s: %d documents (%d of index.txt, %d /csaf.json, 1 embargoed preview) pass its local checks, exit %d",
		csafCheckerVersion, passes, len(listed), len(published), status)
	if len(files) != 2*len(published)+1 {
		t.Errorf("validated %d files, want %d", len(files), 2*len(published)+1)
	}
}
