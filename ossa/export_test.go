package ossa

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
)

// TestOSSARoundTrip: each of the 183 OSSAs, imported, written back as
// OSSA YAML and imported again, is the same advisory, field for field.
func TestOSSARoundTrip(t *testing.T) {
	for _, f := range files(t) {
		name := filepath.Base(f)
		a := load(t, f)
		b, err := Export(a)
		if err != nil {
			t.Errorf("%s: export: %v", name, err)
			continue
		}
		back, err := Import(b)
		if err != nil {
			t.Errorf("%s: the export does not import: %v\n%s", name, err, b)
			continue
		}
		if d, err := vmt.AdvisoryFieldsDiffer(a, back); err != nil || len(d) > 0 || !reflect.DeepEqual(a, back) {
			t.Errorf("%s: the round trip changes %v (%v)\n%s", name, d, err, b)
		}
		if u, err := UnkeptOSSA(a); err != nil || len(u) > 0 {
			t.Errorf("%s: unkept %v (%v)", name, u, err)
		}
	}
}

// TestKCSARoundTrip: the same for the 7 published KCSAs, written back in
// their own Markdown-with-YAML layout; the file written needs none of
// the fixes the published ones need.
func TestKCSARoundTrip(t *testing.T) {
	fs, err := filepath.Glob(filepath.Join("..", "testdata", "kata", "VMT", "KCSA", "KCSA-*.md"))
	if err != nil || len(fs) != 7 {
		t.Fatalf("found %d KCSA files (%v), want 7", len(fs), err)
	}
	for _, f := range fs {
		name := filepath.Base(f)
		in, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, _, err := ImportKCSA(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := ExportKCSA(a)
		if err != nil {
			t.Errorf("%s: export: %v", name, err)
			continue
		}
		back, fixes, err := ImportKCSA(b)
		if err != nil {
			t.Errorf("%s: the export does not import: %v\n%s", name, err, b)
			continue
		}
		if d, err := vmt.AdvisoryFieldsDiffer(a, back); err != nil || len(d) > 0 || !reflect.DeepEqual(a, back) {
			t.Errorf("%s: the round trip changes %v (%v)\n%s", name, d, err, b)
		}
		for _, x := range fixes {
			// Prose fields are always "read as text"; anything else
			// would be a mistake of the writer's.
			if !reMatch(`^line \d+: (title|description|notes) read as text`, x) {
				t.Errorf("%s: the exported file needed a fix: %s", name, x)
			}
		}
	}
}

// rich is a vmt advisory with every field set, some in ways neither file
// layout can hold.
func rich() *vmt.Advisory {
	pub := time.Date(2026, 3, 4, 15, 30, 0, 0, time.UTC)
	mod := time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC)
	return &vmt.Advisory{
		ID: vmt.NewAdvisoryID("KCSA", 2026, 7), Kind: vmt.KindAdvisory, State: vmt.AdvisoryPublished,
		Vendor: "Kata Containers", Title: "Guest escape: through the agent", Summary: "one line",
		Description: "The agent trusts `path`.\n\nA container can:\n- write the guest's root\n  (with CAP_MKNOD)",
		Mitigation:  "Drop CAP_MKNOD.",
		Affected: []vmt.Affected{
			{Component: "agent", Versions: ">=3.0.0 <3.2.1", Ranges: []vmt.VersionRange{{Introduced: "3.0.0", Fixed: "3.2.1"}}},
			{Component: "runtime", Ecosystem: "Go", Package: "github.com/kata-containers/kata-containers/src/runtime", Versions: "<3.2.1",
				Ranges: []vmt.VersionRange{{Introduced: "0", Fixed: "3.2.1"}}},
		},
		Credits: []vmt.Credit{
			{Name: "Ada Lovelace", Affiliation: "Analytical Engines", Type: vmt.CreditReporter},
			{Name: "Grace Hopper", Type: vmt.CreditRemediationDeveloper, Contact: []string{"mailto:grace@example.org"}},
		},
		CVEs: []string{"CVE-2026-1000", "CVE-2026-1001"}, CWEs: []string{"CWE-269"},
		CVSS:       []string{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H"},
		References: []vmt.Reference{{Type: "ADVISORY", URL: "https://example.org/a"}, {Type: "REPORT", URL: "https://example.org/issue/1"}, {Type: "WEB", URL: "https://example.org/blog"}},
		Patches:    []vmt.Patch{{Branch: "main", URLs: []string{"https://example.org/pull/2"}}, {Branch: "stable-3.2", URLs: []string{"https://example.org/pull/3", "https://example.org/pull/4"}}},
		Notes:      []string{"Upgrade.", "A note: with\n\n```\ncode: here\n```"},
		Errata:     "The versions were wrong.",
		Revisions:  []vmt.Revision{{Number: 1, Date: pub.Truncate(24 * time.Hour), Summary: "Initial version"}, {Number: 2, Date: mod, Summary: "Versions corrected"}},
		Published:  &pub, Modified: &mod,
	}
}

// TestUnkept: what each layout cannot hold of a full vmt advisory is
// named, exactly, with why; everything else reads back as written.
func TestUnkept(t *testing.T) {
	for _, c := range []struct {
		name string
		fn   func(*vmt.Advisory) ([]Unkept, error)
		want []string
	}{
		// OSSA: the summary and mitigation have no field, the Go package
		// of runtime no place, Grace's type and contact neither, the WEB
		// reference no field, the time of publication no place, and the
		// vendor is OpenStack's.
		{"ossa", UnkeptOSSA, []string{"affected", "credits", "mitigation", "published", "references", "summary", "vendor"}},
		// KCSA: the same, but the vendor is Kata's; and no errata nor
		// revision history, nor a modification date; the description's
		// indented line "  (with CAP_MKNOD)" loses its indentation.
		{"kcsa", UnkeptKCSA, []string{"affected", "credits", "description", "errata", "mitigation", "modified", "published", "references", "revisions", "summary"}},
	} {
		got, err := c.fn(rich())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var fields []string
		for _, u := range got {
			fields = append(fields, u.Field)
			if u.Why == "" || u.Why == "not read back as written" {
				t.Errorf("%s: %s has no reason", c.name, u.Field)
			}
		}
		if !reflect.DeepEqual(fields, c.want) {
			t.Errorf("%s: unkept %v, want %v", c.name, fields, c.want)
		}
	}
}

func reMatch(re, s string) bool { return regexp.MustCompile(re).MatchString(s) }

// TestKCSANumberedKeepsOriginalID: a KCSA the server numbered on import
// (KCSA-2020-001, alias KCSA-CVE-2020-2023) is written under the id it
// was published under, so that a re-import finds it by its alias; the
// number given here is what the file does not keep.
func TestKCSANumberedKeepsOriginalID(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "testdata", "kata", "VMT", "KCSA", "KCSA-CVE-2020-2023.md"))
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := ImportKCSA(b)
	if err != nil {
		t.Fatal(err)
	}
	a.ID = vmt.NewAdvisoryID("KCSA", 2020, 1)
	out, err := ExportKCSA(a)
	if err != nil || !strings.Contains(string(out), "id: 'KCSA-CVE-2020-2023'") {
		t.Fatalf("%v\n%s", err, out)
	}
	u, err := UnkeptKCSA(a)
	if err != nil || len(u) != 1 || u[0].Field != "id" {
		t.Errorf("unkept %v (%v), want id only", u, err)
	}
}
