package csaf

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/schematest"
)

var opts = Options{Namespace: "https://katacontainers.io"}

func TestExportGoldenAndValid(t *testing.T) {
	b, err := Export(schematest.Advisory(), opts)
	if err != nil {
		t.Fatal(err)
	}
	schematest.Validate(t, schematest.CSAF, "export", b)
	schematest.Golden(t, "KCSA-2026-001.csaf.json", b)
	var d struct {
		Document struct {
			Acknowledgments []struct{ Names []string } `json:"acknowledgments"`
			Category        string
			Tracking        struct {
				ID, Version, Status string
			}
		}
		Vulnerabilities []struct {
			CVE           string
			ProductStatus struct {
				KnownAffected []string `json:"known_affected"`
				Fixed         []string
			} `json:"product_status"`
		}
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if acks := d.Document.Acknowledgments; len(acks) != 2 || acks[0].Names[0] != "Ada Lovelace" {
		t.Errorf("acknowledgments %+v", acks)
	}
	tr := d.Document.Tracking
	if d.Document.Category != "csaf_security_advisory" || tr.ID != "KCSA-2026-001" || tr.Version != "2" || tr.Status != "final" {
		t.Errorf("document %+v", d.Document)
	}
	ps := d.Vulnerabilities[0].ProductStatus
	if d.Vulnerabilities[0].CVE != "CVE-2026-12345" || len(ps.KnownAffected) != 3 || len(ps.Fixed) != 2 {
		t.Errorf("vulnerability %+v", d.Vulnerabilities[0])
	}
}

func TestExportWithoutCVEOrRanges(t *testing.T) {
	// "All versions" is the syntax's "all" (every version, not fixed):
	// a vers range now; prose stays as written.
	for versions, want := range map[string]string{"All versions": `"name": "vers:generic/*"`, "Grizzly and later": `"name": "Grizzly and later"`} {
		a := schematest.Advisory()
		a.CVEs, a.Mitigation = nil, ""
		a.Affected = []vmt.Affected{{Component: "agent", Versions: versions}}
		b, err := Export(a, opts)
		if err != nil {
			t.Fatal(err)
		}
		schematest.Validate(t, schematest.CSAF, "no CVE", b)
		if !strings.Contains(string(b), want) {
			t.Errorf("%s: the product tree lacks %s", versions, want)
		}
	}
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name, code, field string
		edit              func(a *vmt.Advisory, o *Options)
	}{
		{"draft", vmt.ECONFLICT, "", func(a *vmt.Advisory, o *Options) { a.State = vmt.AdvisoryDraft }},
		{"embargoed", vmt.ECONFLICT, "", func(a *vmt.Advisory, o *Options) { a.State = vmt.AdvisoryEmbargoed }},
		{"bad namespace", vmt.EINVALID, "namespace", func(a *vmt.Advisory, o *Options) { o.Namespace = "katacontainers.io" }},
		{"no publisher", vmt.EINVALID, "publisher", func(a *vmt.Advisory, o *Options) { a.Vendor = "" }},
		{"bad vector", vmt.EINVALID, "cvss[1]", func(a *vmt.Advisory, o *Options) { a.CVSS[1] = "CVSS:4.0/AV:Q" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, o := schematest.Advisory(), opts
			tt.edit(a, &o)
			_, err := Export(a, o)
			if vmt.ErrorCode(err) != tt.code || vmt.ErrorField(err) != tt.field {
				t.Fatalf("got %v, want %s %s", err, tt.code, tt.field)
			}
		})
	}
}

// TestProductTreeFromTheRecord: an entry as a report's record gives it
// (the versions text, no ranges stored, no branch) becomes vers ranges
// with the package's purl, known_affected and fixed statuses, and
// remediations carrying the patch URL.
func TestProductTreeFromTheRecord(t *testing.T) {
	a := schematest.Advisory()
	a.Affected = []vmt.Affected{{Component: "runtime", Ecosystem: "Go", Package: "github.com/kata-containers/kata-containers/src/runtime",
		Versions: ">=3.0.0 <3.2.1, ==3.3.0-dev"}, {Component: "shim", Ecosystem: "PyPI", Package: "Kata_Shim", Versions: ">=19.03.0 <=19.03.4"}}
	a.Patches = []vmt.Patch{{Branch: "main", URLs: []string{"https://github.com/kata-containers/kata-containers/commit/0123456789abcdef"}}}
	b, err := Export(a, opts)
	if err != nil {
		t.Fatal(err)
	}
	schematest.Validate(t, schematest.CSAF, "from the record", b)
	doc := string(b)
	for _, want := range []string{
		`"name": "vers:semver/>=3.0.0|<3.2.1"`, `"category": "product_version_range"`,
		`"name": "3.3.0-dev"`, `"purl": "pkg:golang/github.com/kata-containers/kata-containers/src/runtime@3.3.0-dev"`,
		`"name": "vers:generic/>=19.03.0|<=19.03.4"`, `"purl": "pkg:pypi/kata-shim"`,
		`"url": "https://github.com/kata-containers/kata-containers/commit/0123456789abcdef"`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("the document lacks %s", want)
		}
	}
	var d struct {
		Vulnerabilities []struct {
			ProductStatus struct {
				KnownAffected []string `json:"known_affected"`
				Fixed         []string
			} `json:"product_status"`
			Remediations []struct {
				Category   string
				URL        string
				ProductIDs []string `json:"product_ids"`
			}
		}
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	v := d.Vulnerabilities[0]
	// runtime: a range and a version affected, 3.2.1 fixed; shim: a range.
	if len(v.ProductStatus.KnownAffected) != 3 || len(v.ProductStatus.Fixed) != 1 {
		t.Errorf("product status %+v", v.ProductStatus)
	}
	patched := map[string]bool{}
	for _, r := range v.Remediations {
		if r.Category == "vendor_fix" && r.URL != "" {
			for _, id := range r.ProductIDs {
				patched[id] = true
			}
		}
	}
	for _, id := range append(v.ProductStatus.KnownAffected, v.ProductStatus.Fixed...) {
		if !patched[id] {
			t.Errorf("%s has no vendor fix with the patch URL: %+v", id, v.Remediations)
		}
	}
}

// TestTLPAndPlannedRelease: a published document is TLP WHITE; the
// preview of an embargoed one is AMBER, says until when, and its
// initial_release_date is its planned publication, in the future. Both
// pass the CSAF 2.0 schema.
func TestTLPAndPlannedRelease(t *testing.T) {
	future := time.Now().UTC().Add(30 * 24 * time.Hour).Truncate(time.Second)
	for _, c := range []struct {
		name      string
		embargoed bool
		label     string
	}{{"published", false, "WHITE"}, {"embargoed", true, "AMBER"}} {
		a := schematest.Advisory()
		if c.embargoed {
			a.Published, a.Modified, a.Revisions = &future, &future, nil
		}
		o := opts
		o.Embargoed = c.embargoed
		b, err := Export(a, o)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		schematest.Validate(t, schematest.CSAF, c.name, b)
		var d struct {
			Document struct {
				Distribution struct {
					Text string
					TLP  struct{ Label string }
				}
				Tracking struct {
					InitialReleaseDate string `json:"initial_release_date"`
				}
			}
		}
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatal(err)
		}
		dist := d.Document.Distribution
		if dist.TLP.Label != c.label || c.embargoed != strings.HasPrefix(dist.Text, "Embargoed until "+stamp(future)) {
			t.Errorf("%s: distribution %+v", c.name, dist)
		}
		if want := stamp(*a.Published); d.Document.Tracking.InitialReleaseDate != want {
			t.Errorf("%s: initial_release_date %s, want %s", c.name, d.Document.Tracking.InitialReleaseDate, want)
		}
	}
}
