package vmt

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// sampleAdvisory is a complete published advisory; each case of the table
// below breaks one field of it.
func sampleAdvisory() *Advisory {
	pub := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	return &Advisory{
		ID: NewAdvisoryID("KCSA", 2026, 1), Kind: KindAdvisory, State: AdvisoryPublished,
		Vendor: "Kata Containers", Title: "Guest can read host files (CVE-2026-12345)",
		Summary: "A guest can read files of the host", Description: "A crafted mount lets a guest read host files.",
		Mitigation: "Disable virtio-fs.",
		Affected: []Affected{{Component: "runtime", Ecosystem: "Go", Package: "github.com/kata-containers/kata-containers/src/runtime",
			Versions: "<3.2.1", Ranges: []VersionRange{{Branch: "main", Introduced: "0", Fixed: "3.2.1"}}}},
		Credits:    []Credit{{Name: "Ada Lovelace", Contact: []string{"mailto:ada@example.org", "https://example.org/ada"}, Type: CreditFinder}},
		CVEs:       []string{"CVE-2026-12345"},
		CWEs:       []string{"CWE-22"},
		CVSS:       []string{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"},
		References: []Reference{{Type: "REPORT", URL: "https://github.com/kata-containers/kata-containers/issues/1"}},
		Patches:    []Patch{{Branch: "main", URLs: []string{"https://github.com/kata-containers/kata-containers/pull/2"}}},
		Revisions:  []Revision{{Number: 1, Date: pub, Summary: "Original version"}},
		Published:  &pub,
	}
}

func TestAdvisoryValidate(t *testing.T) {
	if err := sampleAdvisory().Validate(); err != nil {
		t.Fatalf("the sample advisory is refused: %v", err)
	}
	tests := []struct {
		name, field, msg string
		edit             func(a *Advisory)
	}{
		{"bad kind", "kind", `"bulletin" is not a kind`, func(a *Advisory) { a.Kind = "bulletin" }},
		{"bad state", "state", `"secret" is not a state`, func(a *Advisory) { a.State = "secret" }},
		{"published without id", "id", "is required once the document is published", func(a *Advisory) { a.ID = AdvisoryID{} }},
		{"bad id prefix", "id", `prefix "kcsa"`, func(a *Advisory) { a.ID.Prefix = "kcsa" }},
		{"no title", "title", "is required", func(a *Advisory) { a.Title = " " }},
		{"two-line title", "title", "must be one line", func(a *Advisory) { a.Title = "a\nb" }},
		{"no description", "description", "is required", func(a *Advisory) { a.Description = "" }},
		{"no affected", "affected", "at least one", func(a *Advisory) { a.Affected = nil }},
		{"no component", "affected[0].component", "is required", func(a *Advisory) { a.Affected[0].Component = "" }},
		{"no versions", "affected[0].versions", "is required", func(a *Advisory) { a.Affected[0].Versions = "" }},
		{"bad purl", "affected[0].purl", "is not a package URL", func(a *Advisory) { a.Affected[0].PURL = "golang/x" }},
		{"fixed and last", "affected[0].ranges[0]", "both fixed and last_affected", func(a *Advisory) { a.Affected[0].Ranges[0].LastAffected = "3.2.0" }},
		{"unknown credit type", "credits[0].type", `unknown credit type "HERO"`, func(a *Advisory) { a.Credits[0].Type = "HERO" }},
		{"credit without name", "credits[0].name", "is required", func(a *Advisory) { a.Credits[0].Name = "" }},
		{"bad contact", "credits[0].contact[1]", "neither an http(s) URL nor a mail address", func(a *Advisory) { a.Credits[0].Contact[1] = "ada at home" }},
		{"malformed CVE", "cves", `"CVE-26-1" is not a CVE id`, func(a *Advisory) { a.CVEs = []string{"CVE-26-1"} }},
		{"CVE twice", "cves", "listed twice", func(a *Advisory) { a.CVEs = append(a.CVEs, a.CVEs[0]) }},
		{"bad CWE", "cwes[0]", "is not a CWE id", func(a *Advisory) { a.CWEs = []string{"CWE-0x"} }},
		{"bad CVSS form", "cvss[0]", "is not a CVSS vector", func(a *Advisory) { a.CVSS = []string{"CVSS:5.0/AV:N"} }},
		{"ftp reference", "references[0].url", "is not an http or https URL", func(a *Advisory) { a.References[0].URL = "ftp://example.org/x" }},
		{"javascript reference", "references[0].url", "is not an http or https URL", func(a *Advisory) { a.References[0].URL = "javascript:alert(1)" }},
		{"relative reference", "references[0].url", "is not an http or https URL", func(a *Advisory) { a.References[0].URL = "/x" }},
		{"reference with user", "references[0].url", "carries a user name", func(a *Advisory) { a.References[0].URL = "https://u:p@example.org/" }},
		{"reference with space", "references[0].url", "spaces or control", func(a *Advisory) { a.References[0].URL = "https://example.org/a b" }},
		{"unknown reference type", "references[0].type", `unknown reference type "LINK"`, func(a *Advisory) { a.References[0].Type = "LINK" }},
		{"patch without URLs", "patches[0].urls", "give from 1", func(a *Advisory) { a.Patches[0].URLs = nil }},
		{"bad patch URL", "patches[0].urls[0]", "is not an http or https URL", func(a *Advisory) { a.Patches[0].URLs[0] = "file:///etc/passwd" }},
		{"revision numbering", "revisions[0].number", "want 1", func(a *Advisory) { a.Revisions[0].Number = 2 }},
		{"revision without date", "revisions[0].date", "is required", func(a *Advisory) { a.Revisions[0].Date = time.Time{} }},
		{"published without date", "published", "is required", func(a *Advisory) { a.Published = nil }},
		{"withdrawn without date", "withdrawn", "is required", func(a *Advisory) { a.State = AdvisoryWithdrawn }},
		{"alias with space", "aliases[0]", "is not an advisory id", func(a *Advisory) { a.Aliases = []string{"GHSA x"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := sampleAdvisory()
			tt.edit(a)
			err := a.Validate()
			if ErrorCode(err) != EINVALID || ErrorField(err) != tt.field || !strings.Contains(ErrorMessage(err), tt.msg) {
				t.Fatalf("got %v, want invalid %s containing %q", err, tt.field, tt.msg)
			}
		})
	}
}

func TestAdvisoryDraftNeedsNoIDNorAffected(t *testing.T) {
	a := sampleAdvisory()
	a.State, a.ID, a.Affected, a.Published, a.Revisions = AdvisoryDraft, AdvisoryID{}, nil, nil, nil
	if err := a.Validate(); err != nil {
		t.Fatalf("a draft without id is refused: %v", err)
	}
}

func TestParseAdvisoryID(t *testing.T) {
	tests := []struct {
		in, out string
		ok      bool
	}{
		{"KCSA-2026-001", "KCSA-2026-001", true},
		{"KCSN-2026-12", "KCSN-2026-012", true},
		{"OSSA-2014-039", "OSSA-2014-039", true},
		{"GO-2020-0001", "GO-2020-0001", true},
		{"KCSA-2026-1234", "KCSA-2026-1234", true},
		{"KCSA-2026-000", "", false},
		{"kcsa-2026-001", "", false},
		{"KCSA-26-001", "", false},
		{"KCSA-1900-001", "", false},
		{"KCSA2026-001", "", false},
		{"GHSA-6978-vg2j-cc9q", "", false},
		{"KCSA-2026-001 ", "", false},
	}
	for _, tt := range tests {
		id, err := ParseAdvisoryID(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseAdvisoryID(%q) err = %v, want ok %v", tt.in, err, tt.ok)
			continue
		}
		if err != nil && ErrorField(err) != "id" {
			t.Errorf("ParseAdvisoryID(%q) names field %q, want id", tt.in, ErrorField(err))
		}
		if got := id.String(); got != tt.out {
			t.Errorf("ParseAdvisoryID(%q).String() = %q, want %q", tt.in, got, tt.out)
		}
	}
}

func TestAdvisoryJSONRoundTrip(t *testing.T) {
	a := sampleAdvisory()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"id":"KCSA-2026-001"`) {
		t.Fatalf("id not written as text: %s", b)
	}
	var back Advisory
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(&back)
	if string(b) != string(b2) {
		t.Fatalf("round trip changed the document:\n%s\n%s", b, b2)
	}
	if err := json.Unmarshal([]byte(`{"id":"KCSA-26-1"}`), &back); ErrorField(err) != "id" {
		t.Fatalf("a bad id in JSON: got %v, want an invalid id", err)
	}
}

func TestCheckExportable(t *testing.T) {
	for _, s := range []AdvisoryState{AdvisoryDraft, AdvisoryEmbargoed} {
		a := sampleAdvisory()
		a.State = s
		err := a.CheckExportable()
		if ErrorCode(err) != ECONFLICT || !strings.Contains(err.Error(), string(s)) {
			t.Errorf("state %s: got %v, want a conflict naming the state", s, err)
		}
	}
	if err := sampleAdvisory().CheckExportable(); err != nil {
		t.Errorf("a published advisory: %v", err)
	}
}

func TestKindFor(t *testing.T) {
	for c, want := range map[Class]AdvisoryKind{"A": KindAdvisory, "B1": KindNote, "B3": KindNote, "C1": "", "E": ""} {
		got, ok := KindFor(c)
		if got != want || ok != (want != "") {
			t.Errorf("KindFor(%s) = %q, %v; want %q", c, got, ok, want)
		}
	}
}
