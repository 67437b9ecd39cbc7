package ossa

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
)

// TestKCSAImport: every published KCSA of testdata/kata reads, with its
// known mistakes fixed and listed, and what it says kept: the date, the
// original id (as an alias), the CVE, the component and its versions,
// the reporter, the issue links and the reviews as patches.
func TestKCSAImport(t *testing.T) {
	fs, err := filepath.Glob(filepath.Join("..", "testdata", "kata", "VMT", "KCSA", "KCSA-*.md"))
	if err != nil || len(fs) != 7 {
		t.Fatalf("found %d KCSA files (%v), want 7", len(fs), err)
	}
	for _, f := range fs {
		name := filepath.Base(f)
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, fixes, err := ImportKCSA(b)
		if err != nil {
			t.Errorf("%s: %v (fixes %q)", name, err, fixes)
			continue
		}
		id := strings.TrimSuffix(name, ".md")
		if len(a.Aliases) != 1 || a.Aliases[0] != id || !a.ID.IsZero() {
			t.Errorf("%s: id %s aliases %v", name, a.ID, a.Aliases)
		}
		if cve := strings.TrimPrefix(id, "KCSA-"); len(a.CVEs) != 1 || a.CVEs[0] != cve {
			t.Errorf("%s: CVEs %v, want %s", name, a.CVEs, cve)
		}
		if a.Published == nil || a.Vendor != KataVendor || a.State != vmt.AdvisoryPublished {
			t.Errorf("%s: published %v vendor %q state %s", name, a.Published, a.Vendor, a.State)
		}
		if len(a.Affected) != 1 || strings.Contains(a.Affected[0].Component, "`") || len(a.Credits) != 1 || strings.Contains(a.Credits[0].Name, "`") {
			t.Errorf("%s: affected %+v credits %+v", name, a.Affected, a.Credits)
		}
		if len(a.References) == 0 {
			t.Errorf("%s: no issue links", name)
		}
		if !strings.Contains(strings.Join(fixes, "\n"), `"CVE-ID:" read as "cve-id:"`) {
			t.Errorf("%s: fixes do not name the CVE-ID key: %q", name, fixes)
		}
		if name != "KCSA-CVE-2019-5736.md" {
			if len(a.Patches) == 0 || !strings.Contains(strings.Join(fixes, "\n"), `" reviews:" read as the top-level key`) {
				t.Errorf("%s: patches %+v, fixes %q", name, a.Patches, fixes)
			}
		}
		t.Logf("%s: %d fixes: %s", name, len(fixes), strings.Join(fixes, "; "))
	}
}
