package render

import (
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/schematest"
)

const key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ…\n-----END PGP PUBLIC KEY BLOCK-----\n"

func input() CVERequestInput {
	im := sampleImpact()
	return CVERequestInput{Email: "alice@example.org", OpenPGPKey: key, Private: true, OtherType: "Path traversal",
		Vendor: "Kata Containers", Components: im.Components, AffectedVersions: im.AffectedVersions,
		Impact: []string{"Information Disclosure"}, ImpactProse: im.Description, Credit: im.Credit,
		References: []string{"https://github.com/kata-containers/kata-containers/issues/9999"}}
}

func TestRequestFormPrivate(t *testing.T) {
	f, err := RequestForm(input())
	if err != nil {
		t.Fatal(err)
	}
	if f.RequestType != RequestCVEID || !f.NotCNACovered || !f.NoPriorCVE || f.Confirmed != "Yes" ||
		f.AttackType != ContextDependent || f.AdditionalInfo != EmbargoNote || f.VulnerabilityType != OtherOrUnknown {
		t.Errorf("form %+v", f)
	}
	if strings.HasPrefix(f.Description, "Ada Lovelace") {
		t.Errorf("the first sentence was kept: %q", f.Description)
	}
	text, err := f.Text()
	if err != nil {
		t.Fatal(err)
	}
	schematest.Golden(t, "cve-request-form-private.golden", []byte(text))
	for _, want := range []string{"BEGIN PGP PUBLIC KEY BLOCK", "Vendor of the product(s): Kata Containers", "Product: runtime, agent", EmbargoNote} {
		if !strings.Contains(text, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
}

func TestRequestFormPublic(t *testing.T) {
	in := input()
	in.Private, in.OpenPGPKey, in.VulnerabilityType, in.OtherType = false, "", "Directory Traversal", ""
	f, err := RequestForm(in)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := f.Text()
	schematest.Golden(t, "cve-request-form-public.golden", []byte(text))
	if strings.Contains(text, "OpenPGP") || strings.Contains(text, "embargo") {
		t.Errorf("a public request mentions the key or the embargo:\n%s", text)
	}
}

func TestRequestFormRefusals(t *testing.T) {
	tests := []struct {
		field string
		edit  func(*CVERequestInput)
	}{
		{"email", func(i *CVERequestInput) { i.Email = "alice" }},
		{"openpgp_key", func(i *CVERequestInput) { i.OpenPGPKey = "" }},
		{"other_type", func(i *CVERequestInput) { i.OtherType = "" }},
		{"attack_type", func(i *CVERequestInput) { i.AttackType = "Telepathic" }},
		{"type", func(i *CVERequestInput) { i.VulnerabilityType = "Spooky Action" }},
		{"impact", func(i *CVERequestInput) { i.Impact = []string{"Bad vibes"} }},
		{"references[0]", func(i *CVERequestInput) { i.References = []string{"javascript:alert(1)"} }},
	}
	for _, tt := range tests {
		in := input()
		tt.edit(&in)
		if _, err := RequestForm(in); vmt.ErrorField(err) != tt.field {
			t.Errorf("%s: got %v", tt.field, err)
		}
	}
	in := input()
	in.Components = nil
	f, err := RequestForm(in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Text(); err == nil || !strings.Contains(err.Error(), "Product") {
		t.Errorf("a form without product rendered: %v", err)
	}
}

// TestRequestFormFromRecord: what the record knows fills the optional
// fields the process asks to "attempt to fill in": the affected
// components from the report's, the attack type and vector from the
// document's CVSS; what the coordinator chose stays theirs.
func TestRequestFormFromRecord(t *testing.T) {
	for _, tt := range []struct {
		name                    string
		edit                    func(*CVERequestInput)
		attack, vector, affects string
	}{
		{"network vector", func(i *CVERequestInput) { i.CVSS = []string{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"} },
			"Remote", "network (CVSS AV:N)", "runtime, agent"},
		{"local vector", func(i *CVERequestInput) { i.CVSS = []string{"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N"} },
			"Local", "local access (CVSS AV:L)", "runtime, agent"},
		{"no vector", func(i *CVERequestInput) {}, ContextDependent, "", "runtime, agent"},
		{"the coordinator's words win", func(i *CVERequestInput) {
			i.CVSS = []string{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}
			i.AttackType, i.AttackVectors, i.AffectedComponents = "Other", "a crafted mount request", "virtiofsd"
		}, "Other", "a crafted mount request", "virtiofsd"},
	} {
		in := input()
		in.AttackType, in.AttackVectors, in.AffectedComponents = "", "", ""
		tt.edit(&in)
		f, err := RequestForm(in)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if f.AttackType != tt.attack || f.AttackVectors != tt.vector || f.AffectedComponents != tt.affects {
			t.Errorf("%s: attack %q, vector %q, components %q; want %q, %q, %q", tt.name,
				f.AttackType, f.AttackVectors, f.AffectedComponents, tt.attack, tt.vector, tt.affects)
		}
	}
}

func TestPublicationForm(t *testing.T) {
	a := schematest.Advisory()
	f, err := PublicationForm(a, "alice@example.org", "https://vmt.example.org/advisories/KCSA-2026-001")
	if err != nil {
		t.Fatal(err)
	}
	text, err := f.Text()
	if err != nil {
		t.Fatal(err)
	}
	want := "Request type: Notify CVE about a publication\nE-mail address: alice@example.org\n" +
		"Link to the advisory: https://vmt.example.org/advisories/KCSA-2026-001\nCVE IDs covered: CVE-2026-12345\nDate published: 2026-03-04\n"
	if text != want {
		t.Errorf("got\n%s\nwant\n%s", text, want)
	}
	a.State = vmt.AdvisoryEmbargoed
	if _, err := PublicationForm(a, "alice@example.org", "https://x.example/"); vmt.ErrorCode(err) != vmt.ECONFLICT {
		t.Errorf("an embargoed advisory: %v", err)
	}
	a = schematest.Advisory()
	a.CVEs = nil
	if _, err := PublicationForm(a, "alice@example.org", "https://x.example/"); vmt.ErrorField(err) != "cves" {
		t.Errorf("no CVE: %v", err)
	}
}
