package schematest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSchemasJudgeTheOfficialFixtures shows that the compiled schemas are
// the real ones: the official examples pass and the known-bad files fail.
// formatOnly lists fixtures that break a "format" of the schema and
// nothing else, with what the error says.
var formatOnly = map[string]string{
	"ghsa/GHSA-4374-p667-p6c8.json":         "'golang.org/x/net' is not valid uri",
	"cve-schema/records/CVE-2025-1110.json": "'git://git@gitlab.com:gitlab-org/gitlab.git' is not valid uri",
}

func TestSchemasJudgeTheOfficialFixtures(t *testing.T) {
	dir := DataDir(t)
	tests := []struct {
		kind, glob string
		valid      bool
	}{
		{OSV, "ghsa/GHSA-*.json", true},
		{OSV, "ghsa/govulndb-kata/*.json", true},
		{OSV, "osv-schema/testdata/osv-linter/nointroduced-CVE-2023-41045.json", false},
		{OSVPublished, "ghsa/GHSA-*.json", true},
		{OSVPublished, "osv-schema/testdata/osv-linter/nointroduced-CVE-2023-41045.json", false},
		{CVE5, "cve-schema/records/*.json", true},
		{CVE5, "cve-schema/examples/full-record-*.json", true},
		{CVE5, "cve-schema/examples/cve-services/invalid/*.json", false},
		{CSAF, "csaf/examples/csaf/*.json", true},
		{CSAF, "csaf/test/validator/data/mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-08-0[123].json", false},
	}
	for _, tt := range tests {
		files, err := filepath.Glob(filepath.Join(dir, tt.glob))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no files (%v)", tt.glob, err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			err = Check(t, tt.kind, b)
			name := strings.TrimPrefix(f, dir+"/")
			if why, ok := formatOnly[name]; ok {
				// Python's validator, which the data README used, does
				// not assert formats; ours does, for our own exports.
				if err == nil || !strings.Contains(err.Error(), why) {
					t.Errorf("%s: want only the format fault %q, got %v", name, why, err)
				}
				continue
			}
			if (err == nil) != tt.valid {
				t.Errorf("%s: valid=%v, got %v", strings.TrimPrefix(f, dir), tt.valid, err)
			}
		}
	}
}

// TestCNAContainerSchema: the official CNA container examples pass, and a
// container without its required parts fails.
func TestCNAContainerSchema(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(DataDir(t), "cve-schema/examples/cnaContainer-*-example.json"))
	n := 0
	for _, f := range files {
		if strings.Contains(f, "rejected") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var wrapped struct{ CnaContainer json.RawMessage }
		if err := json.Unmarshal(b, &wrapped); err != nil {
			t.Fatal(err)
		}
		if err := Check(t, CVE5CNA, wrapped.CnaContainer); err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
		n++
	}
	if n != 2 {
		t.Errorf("checked %d examples, want 2", n)
	}
	if err := Check(t, CVE5CNA, []byte(`{"providerMetadata":{"orgId":"8254265b-2729-46b6-b9e3-3dfca2d5bfca"}}`)); err == nil {
		t.Error("a container without descriptions, affected and references passed")
	}
}

// TestOSVPublishedDiffersInTheIDAlone: the schema of our published
// records accepts a project's PREFIX-YYYY-NNN, which the official one
// refuses, and still refuses an id of neither form.
func TestOSVPublishedDiffersInTheIDAlone(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(DataDir(t), "ghsa/GHSA-6978-vg2j-cc9q.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id                  string
		official, published bool
	}{
		{"GHSA-6978-vg2j-cc9q", true, true},
		{"x_KCSA-2026-001", true, true},
		{"KCSA-2026-001", false, true},
		{"KCSA-26-1", false, false},
		{"kcsa-2026-001", false, false},
	} {
		m["id"] = tt.id
		doc, _ := json.Marshal(m)
		if got := Check(t, OSV, doc) == nil; got != tt.official {
			t.Errorf("%s: official schema valid=%v, want %v", tt.id, got, tt.official)
		}
		if got := Check(t, OSVPublished, doc) == nil; got != tt.published {
			t.Errorf("%s: published schema valid=%v, want %v", tt.id, got, tt.published)
		}
	}
}
