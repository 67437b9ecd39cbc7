package cve5

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/schematest"
)

var opts = Options{OrgID: "8254265b-2729-46b6-b9e3-3dfca2d5bfca", ShortName: "kata"}

func TestExportGoldenAndValid(t *testing.T) {
	a := schematest.Advisory()
	rs, err := Records(a, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 {
		t.Fatalf("%d records, want 1", len(rs))
	}
	b, err := Marshal(rs[0])
	if err != nil {
		t.Fatal(err)
	}
	schematest.Validate(t, schematest.CVE5, "export", b)
	schematest.Golden(t, "CVE-2026-12345.json", b)
	// The CNA container alone is what a CNA sends to CVE Services.
	cna, err := json.Marshal(rs[0].Containers.CNA)
	if err != nil {
		t.Fatal(err)
	}
	schematest.Validate(t, schematest.CVE5CNA, "CNA container", cna)
	var m struct {
		CVEMetadata struct{ CVEID, State string }
		Containers  struct {
			CNA struct {
				Metrics []struct {
					V31 struct {
						BaseScore    float64
						BaseSeverity string
					} `json:"cvssV3_1"`
				}
			}
		}
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.CVEMetadata.CVEID != "CVE-2026-12345" || m.CVEMetadata.State != "PUBLISHED" {
		t.Errorf("metadata %+v", m.CVEMetadata)
	}
	if s := m.Containers.CNA.Metrics[0].V31; s.BaseScore != 6.5 || s.BaseSeverity != "MEDIUM" {
		t.Errorf("CVSS 3.1 scored %+v, want 6.5 MEDIUM", s)
	}
}

func TestOneRecordPerCVE(t *testing.T) {
	a := schematest.Advisory()
	a.CVEs = append(a.CVEs, "CVE-2026-12346")
	rs, err := Records(a, opts)
	if err != nil || len(rs) != 2 || rs[1].CVEMetadata.CVEID != "CVE-2026-12346" {
		t.Fatalf("got %d records, %v", len(rs), err)
	}
	for _, r := range rs {
		b, _ := Marshal(r)
		schematest.Validate(t, schematest.CVE5, r.CVEMetadata.CVEID, b)
	}
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name, code, field, msg string
		edit                   func(a *vmt.Advisory, o *Options)
	}{
		{"draft", vmt.ECONFLICT, "", "draft", func(a *vmt.Advisory, o *Options) { a.State = vmt.AdvisoryDraft }},
		{"embargoed", vmt.ECONFLICT, "", "embargoed", func(a *vmt.Advisory, o *Options) { a.State = vmt.AdvisoryEmbargoed }},
		{"withdrawn", vmt.ECONFLICT, "", "withdrawn", func(a *vmt.Advisory, o *Options) {
			a.State, a.Withdrawn = vmt.AdvisoryWithdrawn, a.Modified
		}},
		{"no CVE", vmt.EINVALID, "cves", "has no CVE id", func(a *vmt.Advisory, o *Options) { a.CVEs = nil }},
		{"bad org", vmt.EINVALID, "org_id", "not the CNA", func(a *vmt.Advisory, o *Options) { o.OrgID = "kata" }},
		{"bad vector", vmt.EINVALID, "cvss[0]", "CVSS 3.1", func(a *vmt.Advisory, o *Options) { a.CVSS[0] = "CVSS:3.1/AV:L" }},
		{"long description", vmt.EINVALID, "description", "16384", func(a *vmt.Advisory, o *Options) { a.Description = strings.Repeat("x", 20000) }},
		{"no references", vmt.EINVALID, "references", "at least one reference", func(a *vmt.Advisory, o *Options) { a.References, a.Patches = nil, nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, o := schematest.Advisory(), opts
			tt.edit(a, &o)
			_, err := Records(a, o)
			if vmt.ErrorCode(err) != tt.code || vmt.ErrorField(err) != tt.field || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("got %v, want %s %s containing %q", err, tt.code, tt.field, tt.msg)
			}
		})
	}
}

func TestLongDescriptionGoesToSupportingMedia(t *testing.T) {
	a := schematest.Advisory()
	a.Description = strings.Repeat("A paragraph of words.\n\n", 300) // 6900 bytes
	r, err := FromAdvisory(a, a.CVEs[0], opts)
	if err != nil {
		t.Fatal(err)
	}
	d := r.Containers.CNA.Descriptions[0]
	if len(d.Value) > 4096 || !strings.HasSuffix(d.Value, "words. […]") || d.SupportingMedia[0].Value != strings.TrimSpace(a.Description) {
		t.Errorf("value of %d bytes ending %q, media %d bytes", len(d.Value), d.Value[len(d.Value)-20:], len(d.SupportingMedia[0].Value))
	}
	b, _ := Marshal(r)
	schematest.Validate(t, schematest.CVE5, "long description", b)
}

// TestVersionsFromTheRecord: versions in the VMT syntax become CVE
// version entries (never the text "<3.2.1" as a version), typed semver
// only when every version is SemVer; prose stays prose, status unknown.
func TestVersionsFromTheRecord(t *testing.T) {
	tests := []struct {
		eco, versions string
		want          []Version
		dflt          string
	}{
		{"Go", "<3.2.1", []Version{{Version: "0", Status: "affected", VersionType: "semver", LessThan: "3.2.1"}}, "unaffected"},
		{"Go", "<=3.2.0", []Version{{Version: "0", Status: "affected", VersionType: "semver", LessThanOrEqual: "3.2.0"}}, "unaffected"},
		{"Go", ">=3.0.0 <3.2.1, ==3.3.0-dev", []Version{{Version: "3.0.0", Status: "affected", VersionType: "semver", LessThan: "3.2.1"},
			{Version: "3.3.0-dev", Status: "affected", VersionType: "semver"}}, "unaffected"},
		{"Go", ">=3.3.0", []Version{{Version: "3.3.0", Status: "affected", VersionType: "semver", LessThanOrEqual: "*"}}, "unaffected"},
		{"Go", ">=19.03.0 <19.03.5", []Version{{Version: "19.03.0", Status: "affected", VersionType: "custom", LessThan: "19.03.5"}}, "unaffected"},
		{"", ">=8.0.0 <8.1.1 and ==9.0.0", []Version{{Version: "8.0.0", Status: "affected", VersionType: "custom", LessThan: "8.1.1"},
			{Version: "9.0.0", Status: "affected", VersionType: "custom"}}, "unaffected"},
		{"", "Grizzly and later", []Version{{Version: "Grizzly and later", Status: "affected"}}, "unknown"},
	}
	for _, tt := range tests {
		a := schematest.Advisory()
		pkg := ""
		if tt.eco != "" {
			pkg = "github.com/kata-containers/kata-containers/src/runtime"
		}
		// As the record gives it: the text alone, no ranges stored.
		a.Affected = []vmt.Affected{{Component: "runtime", Ecosystem: tt.eco, Package: pkg, Versions: tt.versions}}
		rs, err := Records(a, opts)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Marshal(rs[0])
		if err != nil {
			t.Fatal(err)
		}
		schematest.Validate(t, schematest.CVE5, tt.versions, b)
		p := rs[0].Containers.CNA.Affected[0]
		if !reflect.DeepEqual(p.Versions, tt.want) || p.DefaultStatus != tt.dflt {
			t.Errorf("%s: versions %+v default %s, want %+v %s", tt.versions, p.Versions, p.DefaultStatus, tt.want, tt.dflt)
		}
	}
}
