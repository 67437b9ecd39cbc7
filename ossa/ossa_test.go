package ossa

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/csaf"
	"github.com/vmtproject/vmt/cve5"
	"github.com/vmtproject/vmt/osv"
	"github.com/vmtproject/vmt/render"
	"github.com/vmtproject/vmt/schematest"
)

// files returns every OSSA of testdata/ossa.
func files(t *testing.T) []string {
	t.Helper()
	fs, err := filepath.Glob(filepath.Join(schematest.DataDir(t), "ossa/ossa/OSSA-*.yaml"))
	if err != nil || len(fs) != 183 {
		t.Fatalf("found %d OSSA files (%v), want 183", len(fs), err)
	}
	return fs
}

func load(t *testing.T, path string) *vmt.Advisory {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Import(b)
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	return a
}

var (
	cveOpts  = cve5.Options{OrgID: "5f2a9b60-4c1e-4b4e-9a55-0a7c3a3f7f11", ShortName: "openstack"}
	csafOpts = csaf.Options{Namespace: "https://security.openstack.org"}
)

// TestEveryOSSAImportsAndExports: all 183 OSSAs import, and each exports
// to OSV, CSAF and one CVE record per CVE, every document valid against
// its official schema.
func TestEveryOSSAImportsAndExports(t *testing.T) {
	var nOSV, nCSAF, nCVE, noCVE, nKCSA int
	for _, f := range files(t) {
		name := filepath.Base(f)
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, err := Import(b)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if a.ID.String()+".yaml" != name {
			t.Errorf("%s: id %s", name, a.ID)
		}
		data, err := render.AdvisoryFrom(a, "OpenStack Vulnerability Management Team")
		if err != nil {
			t.Errorf("%s: render: %v", name, err)
		} else if d, err := render.Default(render.AdvisoryDoc).Execute(data); err != nil {
			t.Errorf("%s: render: %v", name, err)
		} else if !strings.HasPrefix(d.Subject, "["+a.ID.String()+"] ") || !strings.Contains(d.Body, a.Affected[0].Versions) {
			t.Errorf("%s: rendered subject %q lacks the id or the body the versions", name, d.Subject)
		} else {
			nKCSA++
		}
		b, err = osv.Export(a)
		if err != nil {
			t.Errorf("%s: osv: %v", name, err)
		} else {
			schematest.Validate(t, schematest.OSVPublished, name+" (OSV)", b)
			nOSV++
		}
		b, err = csaf.Export(a, csafOpts)
		if err != nil {
			t.Errorf("%s: csaf: %v", name, err)
		} else {
			schematest.Validate(t, schematest.CSAF, name+" (CSAF)", b)
			nCSAF++
		}
		rs, err := cve5.Records(a, cveOpts)
		if len(a.CVEs) == 0 {
			// Only OSSA-2026-00x with "CVE-2026-pending" has none.
			if vmt.ErrorField(err) != "cves" {
				t.Errorf("%s: no CVE, got %v", name, err)
			}
			noCVE++
			continue
		}
		if err != nil {
			t.Errorf("%s: cve5: %v", name, err)
			continue
		}
		for _, r := range rs {
			b, err := cve5.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			schematest.Validate(t, schematest.CVE5, name+" "+r.CVEMetadata.CVEID, b)
			nCVE++
		}
	}
	t.Logf("183 OSSAs imported; %d rendered; %d OSV, %d CSAF and %d CVE records exported and schema-valid; %d OSSA without a CVE id", nKCSA, nOSV, nCSAF, nCVE, noCVE)
	if nKCSA != 183 || nOSV != 183 || nCSAF != 183 || noCVE > 1 || nCVE < 183 {
		t.Errorf("exported %d OSV, %d CSAF, %d CVE (%d without CVE)", nOSV, nCSAF, nCVE, noCVE)
	}
}

func TestImportFields(t *testing.T) {
	dir := filepath.Join(schematest.DataDir(t), "ossa/ossa")
	a := load(t, filepath.Join(dir, "OSSA-2026-012.yaml"))
	if a.ID.String() != "OSSA-2026-012" || a.Published.Format("2006-01-02") != "2026-05-11" || a.Vendor != "OpenStack" {
		t.Errorf("head: %s %v %s", a.ID, a.Published, a.Vendor)
	}
	want := []vmt.VersionRange{{Introduced: "17.0.0", Fixed: "26.1.7"}, {Introduced: "27.0.0", Fixed: "29.0.6"},
		{Introduced: "30.0.0", Fixed: "32.0.2"}, {Introduced: "33.0.0", Fixed: "35.0.2"}}
	if af := a.Affected[0]; af.Component != "ironic" || !reflect.DeepEqual(af.Ranges, want) {
		t.Errorf("affected %+v", af)
	}
	if len(a.Patches) != 8 || a.Patches[0].Branch != "2026.1/gazpacho" || a.Patches[7].Branch != "bugfix/31.0" {
		t.Errorf("patches in the wrong order: %+v", a.Patches)
	}
	if len(a.Credits) != 2 || a.Credits[1].Affiliation != "Ericsson Software Technology" || a.Credits[0].Type != vmt.CreditReporter {
		t.Errorf("credits %+v", a.Credits)
	}

	a = load(t, filepath.Join(dir, "OSSA-2014-001.yaml"))
	if !reflect.DeepEqual(a.CVSS, []string{"AV:N/AC:M/Au:N/C:P/I:P/A:N"}) || len(a.CWEs) != 0 || a.Affected[0].Versions != "Grizzly and later" || a.Affected[0].Ranges != nil {
		t.Errorf("OSSA-2014-001: cvss %v cwes %v affected %+v", a.CVSS, a.CWEs, a.Affected[0])
	}

	a = load(t, filepath.Join(dir, "OSSA-2014-039.yaml"))
	if len(a.Revisions) != 2 || a.Revisions[0].Summary != "Original Version" || a.Revisions[1].Summary != "Errata 1" ||
		a.Modified.Format("2006-01-02") != "2014-12-10" || !strings.HasPrefix(a.Errata, "The former fix") {
		t.Errorf("errata: %+v %v %q", a.Revisions, a.Modified, a.Errata)
	}
}

func TestParseVersions(t *testing.T) {
	tests := []struct {
		in     string
		ranges []vmt.VersionRange
		exact  []string
	}{
		{"<15.0.1, ==16.0.0", []vmt.VersionRange{{Introduced: "0", Fixed: "15.0.1"}}, []string{"16.0.0"}},
		{">=1.0 <=1.2", []vmt.VersionRange{{Introduced: "1.0", LastAffected: "1.2"}}, nil},
		{"<=2014.2.3, >=2015.1.0, <=2015.1.1", nil, nil}, // a lower bound alone: prose
		{"Grizzly and later", nil, nil},
		{"up to 2014.1.3", nil, nil},
		{"<1 <2", nil, nil},
		// The domain's syntax: "and" separates clauses, a lower bound
		// alone at the end is not fixed yet.
		{">=8.0.0 <8.1.1 and ==9.0.0", []vmt.VersionRange{{Introduced: "8.0.0", Fixed: "8.1.1"}}, []string{"9.0.0"}},
		{"<=2014.2.3, >=2015.1.0", []vmt.VersionRange{{Introduced: "0", LastAffected: "2014.2.3"}, {Introduced: "2015.1.0"}}, nil},
	}
	for _, tt := range tests {
		r, e := parseVersions(tt.in)
		if !reflect.DeepEqual(r, tt.ranges) || !reflect.DeepEqual(e, tt.exact) {
			t.Errorf("parseVersions(%q) = %+v %v, want %+v %v", tt.in, r, e, tt.ranges, tt.exact)
		}
	}
}

func TestImportRefusesBadFiles(t *testing.T) {
	good, err := os.ReadFile(filepath.Join(schematest.DataDir(t), "ossa/ossa/OSSA-2026-012.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, from, to, want string }{
		{"bad id", "id: OSSA-2026-012", "id: OSSA-26-12", "not an advisory id"},
		{"bad date", "date: 2026-05-11", "date: 11/05/2026", "not a date"},
		{"bad CVE", "cve-id: 'CVE-2026-44916'", "cve-id: 'CVE-26-1'", "CVE id as published"},
		{"unknown key", "title:", "titel:", "field titel not found"},
		{"bad review URL", "https://review.opendev.org/c/openstack/ironic/+/987774", "ftp://x/1", "is not an http or https URL"},
	}
	for _, tt := range tests {
		b := strings.Replace(string(good), tt.from, tt.to, 1)
		a, err := Import([]byte(b))
		if tt.name == "bad CVE" {
			// A malformed id is not taken as a CVE; it stays readable.
			if err != nil || len(a.CVEs) != 0 || !strings.Contains(strings.Join(a.Notes, "\n"), tt.want) {
				t.Errorf("%s: %v %v", tt.name, err, a)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
		}
	}
}

// TestGolden keeps two imports as our advisory JSON.
func TestGolden(t *testing.T) {
	dir := filepath.Join(schematest.DataDir(t), "ossa/ossa")
	for _, id := range []string{"OSSA-2014-039", "OSSA-2026-012"} {
		a := load(t, filepath.Join(dir, id+".yaml"))
		b, err := Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		schematest.Golden(t, id+".json", b)
	}
}
