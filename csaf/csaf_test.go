package csaf

import (
	"encoding/json"
	"strings"
	"testing"

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
	a := schematest.Advisory()
	a.CVEs, a.Mitigation = nil, ""
	a.Affected = []vmt.Affected{{Component: "agent", Versions: "All versions"}}
	b, err := Export(a, opts)
	if err != nil {
		t.Fatal(err)
	}
	schematest.Validate(t, schematest.CSAF, "no CVE", b)
	if !strings.Contains(string(b), `"name": "All versions"`) {
		t.Errorf("the versions as written are not in the product tree")
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
