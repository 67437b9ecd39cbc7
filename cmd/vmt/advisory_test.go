package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/schematest"
)

// advisoryFile writes a as our JSON document in a temporary directory.
func advisoryFile(t *testing.T, a *vmt.Advisory) string {
	t.Helper()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "advisory.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAdvisoryExport(t *testing.T) {
	u := newCLIUser(t)
	f := advisoryFile(t, schematest.Advisory())
	osvOut := u.ok("advisory", "export", "--format", "osv", f)
	schematest.Validate(t, schematest.OSVPublished, "vmt advisory export --format osv", []byte(osvOut))
	cveOut := u.ok("advisory", "export", "--format", "cve", "--org-id", "8254265b-2729-46b6-b9e3-3dfca2d5bfca", f)
	schematest.Validate(t, schematest.CVE5, "vmt advisory export --format cve", []byte(cveOut))
	out := filepath.Join(t.TempDir(), "kcsa.csaf.json")
	u.ok("advisory", "export", "--format", "csaf", "--namespace", "https://katacontainers.io", "-o", out, f)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	schematest.Validate(t, schematest.CSAF, "vmt advisory export --format csaf", b)
	if !strings.Contains(osvOut, `"id": "KCSA-2026-001"`) || !strings.Contains(cveOut, `"cveId": "CVE-2026-12345"`) {
		t.Errorf("unexpected exports:\n%s\n%s", osvOut, cveOut)
	}
}

func TestAdvisoryExportRefusals(t *testing.T) {
	u := newCLIUser(t)
	draft := schematest.Advisory()
	draft.State = vmt.AdvisoryEmbargoed
	badVector := schematest.Advisory()
	badVector.CVSS[0] = "CVSS:3.1/AV:N"
	good := advisoryFile(t, schematest.Advisory())
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--format", "osv", advisoryFile(t, draft)}, exitConflict, "embargoed"},
		{[]string{"--format", "csaf", "--namespace", "https://x.example", advisoryFile(t, draft)}, exitConflict, "embargoed"},
		{[]string{"--format", "osv", advisoryFile(t, badVector)}, exitUsage, "cvss[0]"},
		{[]string{"--format", "cve", good}, exitUsage, "org_id"},
		{[]string{"--format", "csaf", good}, exitUsage, "namespace"},
		{[]string{"--format", "pdf", good}, exitUsage, "--format must be"},
		{[]string{"--format", "osv"}, exitUsage, "usage"},
	}
	for _, tt := range tests {
		r := u.vmt("", append([]string{"advisory", "export"}, tt.args...)...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.want) || r.stdout != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %d bytes; want exit %d with %q", tt.args, r.code, r.stderr, len(r.stdout), tt.code, tt.want)
		}
	}
	// A document with a field we do not know is refused, not half read.
	p := filepath.Join(t.TempDir(), "x.json")
	os.WriteFile(p, []byte(`{"id":"KCSA-2026-001","titel":"x"}`), 0o644)
	if r := u.vmt("", "advisory", "export", "--format", "osv", p); r.code != exitUsage || !strings.Contains(r.stderr, "titel") {
		t.Errorf("unknown field: exit %d, %q", r.code, r.stderr)
	}
}

func TestAdvisoryImport(t *testing.T) {
	dir := schematest.DataDir(t)
	u := newCLIUser(t)
	ossaFile := filepath.Join(dir, "ossa/ossa/OSSA-2026-012.yaml")
	ghsa := filepath.Join(dir, "ghsa/GHSA-6978-vg2j-cc9q.json")

	var a vmt.Advisory
	if err := json.Unmarshal([]byte(u.ok("advisory", "import", "--local", ossaFile)), &a); err != nil || a.ID.String() != "OSSA-2026-012" {
		t.Fatalf("import of one OSSA: %v %s", err, a.ID)
	}
	r := u.vmt("", "advisory", "import", "--local", ossaFile, ghsa)
	if r.code != exitUsage || !strings.Contains(r.stderr, "GHSA-6978-vg2j-cc9q") || !strings.Contains(r.stderr, "--prefix") || r.stdout != "" {
		t.Errorf("unnumbered GHSA without --prefix: exit %d %q, stdout %d bytes", r.code, r.stderr, len(r.stdout))
	}
	var as []vmt.Advisory
	if err := json.Unmarshal([]byte(u.ok("advisory", "import", "--local", "--prefix", "KCSA", ossaFile, ghsa)), &as); err != nil {
		t.Fatal(err)
	}
	if len(as) != 2 || as[1].ID.String() != "KCSA-2022-001" || as[1].Aliases[0] != "GHSA-6978-vg2j-cc9q" {
		t.Errorf("numbered import: %d advisories, second %s %v", len(as), as[1].ID, as[1].Aliases)
	}

	out := t.TempDir()
	u.ok("advisory", "import", "--prefix", "KCSA", "--out", out, ossaFile, ghsa)
	for _, name := range []string{"OSSA-2026-012.json", "KCSA-2022-001.json"} {
		// What import writes, export takes.
		o := u.ok("advisory", "export", "--format", "osv", filepath.Join(out, name))
		schematest.Validate(t, schematest.OSVPublished, name, []byte(o))
	}
	if r := u.vmt("", "advisory", "import", filepath.Join(out, "nope.txt")); r.code != exitUsage {
		t.Errorf("unknown extension: exit %d %q", r.code, r.stderr)
	}
}

func TestAdvisoryRender(t *testing.T) {
	u := newCLIUser(t)
	f := advisoryFile(t, schematest.Advisory())
	out := u.ok("advisory", "render", f)
	if !strings.HasPrefix(out, "Subject: [KCSA-2026-001] Guest can read host files through a crafted virtio-fs mount (CVE-2026-12345)\n") ||
		!strings.Contains(out, "Kata Containers Vulnerability Management Team") {
		t.Errorf("render:\n%s", out)
	}
	out = u.ok("advisory", "render", "--as", "impact", f)
	if !strings.Contains(out, "Reporter: Ada Lovelace (Example Corp), Grace Hopper") || !strings.Contains(out, "Components: runtime, agent") {
		t.Errorf("impact:\n%s", out)
	}
	tmpl := filepath.Join(t.TempDir(), "kcsa.tmpl")
	os.WriteFile(tmpl, []byte(`{{define "subject"}}{{.ID}}{{end}}{{.Titel}}`), 0o644)
	if r := u.vmt("", "advisory", "render", "--template-file", tmpl, f); r.code != exitUsage || !strings.Contains(r.stderr, "Titel") {
		t.Errorf("a bad override: exit %d %q", r.code, r.stderr)
	}
	noCredit := schematest.Advisory()
	noCredit.Credits = nil
	if r := u.vmt("", "advisory", "render", "--as", "impact", advisoryFile(t, noCredit)); r.code != exitUsage || !strings.Contains(r.stderr, "Credit") {
		t.Errorf("impact without credit: exit %d %q", r.code, r.stderr)
	}
}

func TestAdvisoryCVEForm(t *testing.T) {
	u := newCLIUser(t)
	draft := schematest.Advisory()
	draft.State, draft.ID, draft.Published, draft.Modified, draft.Revisions = vmt.AdvisoryDraft, vmt.AdvisoryID{}, nil, nil, nil
	f := advisoryFile(t, draft)
	key := filepath.Join(t.TempDir(), "key.asc")
	os.WriteFile(key, []byte("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ\n-----END PGP PUBLIC KEY BLOCK-----\n"), 0o644)
	out := u.ok("advisory", "cve-form", "--email", "alice@example.org", "--private", "--key-file", key,
		"--other-type", "Path traversal", "--impact", "Information Disclosure", f)
	for _, want := range []string{"Request type: Request a CVE ID", "E-mail address: alice@example.org", "BEGIN PGP PUBLIC KEY BLOCK",
		"Vendor of the product(s): Kata Containers", "Product: runtime, agent", "Discoverer(s)/Credits: Ada Lovelace (Example Corp), Grace Hopper",
		"https://github.com/kata-containers/kata-containers/issues/9999", "https://github.com/kata-containers/kata-containers/pull/10001",
		"This report is currently under embargo"} {
		if !strings.Contains(out, want) {
			t.Errorf("form lacks %q:\n%s", want, out)
		}
	}
	if r := u.vmt("", "advisory", "cve-form", "--email", "alice@example.org", "--private", "--other-type", "x", f); r.code != exitUsage || !strings.Contains(r.stderr, "openpgp_key") {
		t.Errorf("private without key: exit %d %q", r.code, r.stderr)
	}
	out = u.ok("advisory", "cve-form", "--publication", "--email", "alice@example.org", "--url", "https://vmt.example.org/a/KCSA-2026-001", advisoryFile(t, schematest.Advisory()))
	if !strings.Contains(out, "Request type: Notify CVE about a publication") || !strings.Contains(out, "Date published: 2026-03-04") {
		t.Errorf("publication notice:\n%s", out)
	}
	if r := u.vmt("", "advisory", "cve-form", "--publication", "--email", "alice@example.org", "--url", "https://x.example/", f); r.code != exitConflict {
		t.Errorf("publication notice of a draft: exit %d %q", r.code, r.stderr)
	}
}
