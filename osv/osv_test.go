package osv

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/schematest"
)

func TestExportGoldenAndValid(t *testing.T) {
	b, err := Export(schematest.Advisory())
	if err != nil {
		t.Fatal(err)
	}
	schematest.Validate(t, schematest.OSVPublished, "export", b)
	schematest.Golden(t, "KCSA-2026-001.osv.json", b)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m["id"] != "KCSA-2026-001" || m["modified"] != "2026-03-06T12:00:00Z" || m["summary"] != schematest.Advisory().Title {
		t.Errorf("id, modified or summary wrong: %v %v %v", m["id"], m["modified"], m["summary"])
	}
}

func TestExportRefusesUnpublished(t *testing.T) {
	for _, s := range []vmt.AdvisoryState{vmt.AdvisoryDraft, vmt.AdvisoryEmbargoed} {
		a := schematest.Advisory()
		a.State = s
		if _, err := Export(a); vmt.ErrorCode(err) != vmt.ECONFLICT {
			t.Errorf("%s: got %v, want a conflict", s, err)
		}
	}
}

func TestExportRefusesBadCVSS(t *testing.T) {
	a := schematest.Advisory()
	a.CVSS[1] = "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:N/SC:H/SI:N"
	_, err := Export(a)
	if vmt.ErrorField(err) != "cvss[1]" {
		t.Fatalf("got %v, want invalid cvss[1]", err)
	}
}

// TestRoundTrip: our own record reads back as the advisory it came from.
func TestRoundTrip(t *testing.T) {
	a := schematest.Advisory()
	b, err := Export(a)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Import(b)
	if err != nil {
		t.Fatal(err)
	}
	back.ReportID = a.ReportID // not part of the record
	if !reflect.DeepEqual(a, back) {
		ja, _ := json.MarshalIndent(a, "", " ")
		jb, _ := json.MarshalIndent(back, "", " ")
		la, lb := strings.Split(string(ja), "\n"), strings.Split(string(jb), "\n")
		for i := range min(len(la), len(lb)) {
			if la[i] != lb[i] {
				t.Fatalf("round trip changed the advisory at line %d: %s became %s", i+1, la[i], lb[i])
			}
		}
		t.Fatalf("round trip changed the advisory's length: %d lines became %d", len(la), len(lb))
	}
}

// refused lists the schema-valid records that make no advisory, with the
// field the refusal names: these notices affect no package at all.
var refused = map[string]string{
	"RHSA-2022_0216.json":      "affected",
	"SUSE-FU-2022_0444-1.json": "affected",
}

// TestImportRealRecords imports every OSV record of testdata/ that
// the schema accepts; each published one is exported again, valid.
func TestImportRealRecords(t *testing.T) {
	dir := schematest.DataDir(t)
	var files []string
	for _, g := range []string{"ghsa/*.json", "ghsa/govulndb-kata/*.json", "osv-schema/testdata/*/*.json"} {
		m, _ := filepath.Glob(filepath.Join(dir, g))
		files = append(files, m...)
	}
	imported, exported := 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if schematest.Check(t, schematest.OSV, b) != nil {
			continue // the linter's negative on purpose
		}
		a, err := Import(b)
		if field, ok := refused[filepath.Base(f)]; ok {
			if vmt.ErrorField(err) != field {
				t.Errorf("%s: got %v, want a refusal naming %s", filepath.Base(f), err, field)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		imported++
		if !a.Public() {
			continue
		}
		if a.ID.IsZero() {
			a.ID = vmt.NewAdvisoryID("KCSA", a.Published.Year(), imported)
		}
		out, err := Export(a)
		if err != nil {
			t.Errorf("%s: export: %v", filepath.Base(f), err)
			continue
		}
		schematest.Validate(t, schematest.OSVPublished, filepath.Base(f), out)
		exported++
	}
	t.Logf("imported %d OSV records, exported %d again", imported, exported)
	if imported < 40 || exported < 30 {
		t.Errorf("imported %d, exported %d: fewer than the data holds", imported, exported)
	}
}

func TestImportKataGHSA(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(schematest.DataDir(t), "ghsa/GHSA-6978-vg2j-cc9q.json"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Import(b)
	if err != nil {
		t.Fatal(err)
	}
	if !a.ID.IsZero() || a.Aliases[0] != "GHSA-6978-vg2j-cc9q" || !reflect.DeepEqual(a.CVEs, []string{"CVE-2020-2023"}) {
		t.Errorf("id %q, aliases %v, CVEs %v", a.ID, a.Aliases, a.CVEs)
	}
	var comps []string
	for _, af := range a.Affected {
		comps = append(comps, af.Ecosystem+":"+af.Component+" "+af.Versions)
	}
	if got := strings.Join(comps, "; "); !strings.Contains(got, "Go:github.com/kata-containers/runtime") {
		t.Errorf("affected = %s", got)
	}
}

func TestImportWithdrawnAndPlaceholderDates(t *testing.T) {
	dir := schematest.DataDir(t)
	b, _ := os.ReadFile(filepath.Join(dir, "ghsa/GHSA-35c4-f3rq-f9g3.json"))
	a, err := Import(b)
	if err != nil || a.State != vmt.AdvisoryWithdrawn || a.Withdrawn == nil {
		t.Errorf("withdrawn GHSA: %v, state %s", err, a.State)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "ghsa/govulndb-kata/GO-2026-4517.json"))
	a, err = Import(b)
	if err != nil || a.State != vmt.AdvisoryDraft || a.ID.String() != "GO-2026-4517" {
		t.Errorf("vulndb record with placeholder dates: %v, state %s, id %s", err, a.State, a.ID)
	}
}
