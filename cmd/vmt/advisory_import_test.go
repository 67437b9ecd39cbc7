package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/app"
	"github.com/vmtproject/vmt/cvss"
	"github.com/vmtproject/vmt/osv"
	"github.com/vmtproject/vmt/schematest"
	"github.com/vmtproject/vmt/sqldb/sqldbtest"
)

// importReportOut is what `advisory import --json` prints.
type importReportOut struct {
	DryRun bool `json:"dry_run"`
	Files  []struct {
		vmt.ImportResult
		Fixed   []string `json:"fixed"`
		NotKept []string `json:"not_kept"`
	} `json:"files"`
}

func (r importReportOut) counts() map[vmt.ImportOutcome]int {
	m := map[vmt.ImportOutcome]int{}
	for _, f := range r.Files {
		m[f.Outcome]++
	}
	return m
}

// dateLineRE finds the date of an OSSA (date:) or a KCSA (announcement-date:).
var dateLineRE = regexp.MustCompile(`(?m)^(?:date|announcement-date): *'?([0-9]{4}-[0-9]{2}-[0-9]{2})`)

// historyFiles are every OSSA, every GHSA (and the Go database's Kata
// records beside them) and every KCSA of testdata.
func historyFiles(t *testing.T) (ossaFiles, ghsaFiles, goFiles, kcsaFiles []string) {
	t.Helper()
	dir := schematest.DataDir(t)
	glob := func(p string, want int) []string {
		fs, err := filepath.Glob(filepath.Join(dir, p))
		if err != nil || len(fs) != want {
			t.Fatalf("%s: %d files (%v), want %d", p, len(fs), err, want)
		}
		return fs
	}
	return glob("ossa/ossa/OSSA-*.yaml", 183), glob("ghsa/GHSA-*.json", 22), glob("ghsa/govulndb-kata/GO-*.json", 4), glob("kata/VMT/KCSA/KCSA-*.md", 7)
}

func importServer(t *testing.T, engine string) (*apiServer, *cliUser) {
	t.Helper()
	s := newAPIServerOn(t, engine)
	s.setDeps(func(d *app.Deps) { d.CheckAdvisory = cvss.Check }) // as vmt serve sets it: OSSAs carry CVSS 2 vectors
	u := newCLIUser(t)
	u.login(s, s.adminToken)
	return s, u
}

func runImport(t *testing.T, u *cliUser, args ...string) (importReportOut, result) {
	t.Helper()
	r := u.vmt("", append([]string{"advisory", "import", "--project", "kata-containers", "--json"}, args...)...)
	var rep importReportOut
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("import: exit %d, stdout %.500q, stderr %q: %v", r.code, r.stdout, r.stderr, err)
	}
	return rep, r
}

func getPublic(t *testing.T, s *apiServer, path string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(s.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// publicIndex returns the ids of /advisories.json, every page of it.
func publicIndex(t *testing.T, s *apiServer) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	path := "/advisories.json"
	for range 100 {
		code, b := getPublic(t, s, path)
		if code != 200 {
			t.Fatalf("%s: %d %s", path, code, b)
		}
		var page struct {
			Next       string `json:"next"`
			Advisories []struct {
				ID string `json:"id"`
			} `json:"advisories"`
		}
		if err := json.Unmarshal(b, &page); err != nil {
			t.Fatal(err)
		}
		for _, a := range page.Advisories {
			out[a.ID] = true
		}
		if page.Next == "" {
			return out
		}
		path = strings.TrimPrefix(page.Next, s.url)
	}
	t.Fatal("more than 100 pages")
	return nil
}

// TestImportHistoryIntoServer imports every OSSA, GHSA and KCSA of
// testdata into a real server, on both engines: a dry run stores nothing
// and says what an import would; the import stores every published one,
// which is then in the public index, the OSV feed and the exports; a
// second import changes nothing and says so. The Go database's records
// are refused, naming the file and the state: they carry no publication
// date, so they read as drafts.
func TestImportHistoryIntoServer(t *testing.T) {
	ossaFiles, ghsaFiles, goFiles, kcsaFiles := historyFiles(t)
	all := slices.Concat(ossaFiles, ghsaFiles, goFiles, kcsaFiles)
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			s, u := importServer(t, engine)

			dry, r := runImport(t, u, append([]string{"--dry-run"}, all...)...)
			c := dry.counts()
			if !dry.DryRun || c[vmt.ImportImported] != len(all)-len(goFiles) || c[vmt.ImportRefused] != len(goFiles) || r.code == 0 {
				t.Errorf("dry run: %v, exit %d", c, r.code)
			}
			if _, b := getPublic(t, s, "/osv/all.json"); string(b) != "[]" && !strings.HasPrefix(strings.TrimSpace(string(b)), "[]") {
				t.Errorf("after the dry run the OSV index lists %s", b)
			}

			rep, r := runImport(t, u, all...)
			c = rep.counts()
			t.Logf("%s: %d files: %d imported, %d unchanged, %d refused (exit %d)", engine, len(all), c[vmt.ImportImported], c[vmt.ImportUnchanged], c[vmt.ImportRefused], r.code)
			for _, src := range []struct {
				name  string
				files []string
			}{{"OSSA", ossaFiles}, {"GHSA", ghsaFiles}, {"Go vulndb (Kata)", goFiles}, {"KCSA", kcsaFiles}} {
				n := map[vmt.ImportOutcome]int{}
				for _, f := range rep.Files {
					if slices.Contains(src.files, f.File) {
						n[f.Outcome]++
					}
				}
				t.Logf("%s:   %s: %d files: %d imported, %d refused", engine, src.name, len(src.files), n[vmt.ImportImported], n[vmt.ImportRefused])
			}
			if c[vmt.ImportImported] != len(all)-len(goFiles) || r.code == 0 {
				t.Errorf("import: %v, exit %d", c, r.code)
			}
			for i, f := range rep.Files {
				if f.ID != dry.Files[i].ID {
					t.Errorf("%s: the dry run said %s, the import %s", f.File, dry.Files[i].ID, f.ID)
				}
				if slices.Contains(goFiles, f.File) {
					if f.Outcome != vmt.ImportRefused || !strings.Contains(f.Reason, "state") {
						t.Errorf("%s: %s %q, want refused for its state", f.File, f.Outcome, f.Reason)
					}
					continue
				}
				if f.Outcome != vmt.ImportImported {
					t.Errorf("%s: %s %q", f.File, f.Outcome, f.Reason)
				}
				if slices.Contains(ossaFiles, f.File) && f.ID+".yaml" != filepath.Base(f.File) {
					t.Errorf("%s: stored as %s, not under its own id", f.File, f.ID)
				}
				if slices.Contains(kcsaFiles, f.File) && (len(f.Fixed) == 0 || f.OriginalID+".md" != filepath.Base(f.File)) {
					t.Errorf("%s: original id %s, fixes %q", f.File, f.OriginalID, f.Fixed)
				}
			}

			// In the public index, the OSV feed and the exports.
			_, idx := getPublic(t, s, "/osv/all.json")
			var entries []struct{ ID string }
			if err := json.Unmarshal(idx, &entries); err != nil {
				t.Fatal(err)
			}
			ids := map[string]bool{}
			for _, e := range entries {
				ids[e.ID] = true
			}
			listed := publicIndex(t, s)
			for _, f := range rep.Files {
				if f.Outcome != vmt.ImportImported {
					continue
				}
				if !ids[f.ID] || !listed[f.ID] {
					t.Errorf("%s (%s) is missing from the OSV index or the public index", f.ID, f.File)
				}
				code, b := getPublic(t, s, "/advisories/"+f.ID+"/osv.json")
				if code != 200 {
					t.Errorf("%s: OSV export %d %s", f.ID, code, b)
					continue
				}
				schematest.Validate(t, schematest.OSVPublished, f.ID, b)
				// The original date is the published one.
				src, err := os.ReadFile(f.File)
				if err != nil {
					t.Fatal(err)
				}
				if m := dateLineRE.FindSubmatch(src); m != nil && !strings.Contains(string(b), `"published": "`+string(m[1])+`T`) && !strings.Contains(string(b), `"published":"`+string(m[1])+`T`) {
					t.Errorf("%s: the export does not keep the date %s: %.300s", f.File, m[1], b)
				}
			}
			if len(entries) != c[vmt.ImportImported] {
				t.Errorf("the OSV index has %d records, want %d", len(entries), c[vmt.ImportImported])
			}

			again, r := runImport(t, u, all...)
			c = again.counts()
			t.Logf("%s: again: %d imported, %d unchanged, %d refused", engine, c[vmt.ImportImported], c[vmt.ImportUnchanged], c[vmt.ImportRefused])
			if c[vmt.ImportUnchanged] != len(all)-len(goFiles) || c[vmt.ImportImported] != 0 {
				t.Errorf("second import: %v", c)
			}
			for i, f := range again.Files {
				if f.Outcome == vmt.ImportUnchanged && (f.ID != rep.Files[i].ID || !strings.Contains(f.Reason, "already stored")) {
					t.Errorf("%s: unchanged as %s (%q), imported as %s", f.File, f.ID, f.Reason, rep.Files[i].ID)
				}
			}
			_, idx2 := getPublic(t, s, "/osv/all.json")
			if string(idx2) != string(idx) {
				t.Error("the second import changed the OSV index")
			}
		})
	}
}

// TestGHSARoundTrip imports every GHSA into a server and reads its OSV
// export back: every field of the original is in the export, unchanged
// (range types included), or named in the file's import report. The
// docker advisory, whose Go versions (19.03.0) are not SemVer, stays
// ECOSYSTEM.
func TestGHSARoundTrip(t *testing.T) {
	_, ghsaFiles, _, _ := historyFiles(t)
	s, u := importServer(t, sqldbtest.Engines()[0])
	rep, r := runImport(t, u, ghsaFiles...)
	if r.code != 0 {
		t.Fatalf("import: exit %d %s", r.code, r.stderr)
	}
	notKept := map[string]int{}
	whole := 0
	for _, f := range rep.Files {
		orig, err := os.ReadFile(f.File)
		if err != nil {
			t.Fatal(err)
		}
		code, back := getPublic(t, s, "/advisories/"+f.ID+"/osv.json")
		if code != 200 {
			t.Fatalf("%s: export %d %s", f.ID, code, back)
		}
		losses, err := osv.Losses(orig, back)
		if err != nil {
			t.Fatal(err)
		}
		named := map[string]bool{}
		for _, n := range f.NotKept {
			name, _, _ := strings.Cut(n, " (")
			named[name] = true
		}
		for _, l := range losses {
			if !named[l] {
				t.Errorf("%s: %s is lost in the round trip but not named in the import report %q", filepath.Base(f.File), l, f.NotKept)
			}
			if strings.HasSuffix(l, ".type") {
				t.Errorf("%s: a range type changed in the round trip", filepath.Base(f.File))
			}
			notKept[l]++
		}
		if len(losses) <= 2 { // id and schema_version only
			whole++
		}
		if strings.Contains(f.File, "GHSA-v23v-6jw2-98fq") {
			var rec struct {
				Affected []struct {
					Ranges []struct {
						Type   string
						Events []map[string]string
					}
				}
			}
			if err := json.Unmarshal(back, &rec); err != nil {
				t.Fatal(err)
			}
			if rt := rec.Affected[0].Ranges[0]; rt.Type != "ECOSYSTEM" || rt.Events[0]["introduced"] != "19.03.0" {
				t.Errorf("docker's 19.03.0 range came back as %+v", rt)
			}
		}
	}
	var names []string
	for n := range notKept {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString("\n  " + n + ": " + strconv.Itoa(notKept[n]) + " of " + strconv.Itoa(len(rep.Files)))
	}
	t.Logf("GHSA round trip: %d files, %d with only the id and schema_version changed; not kept, each named in the report:%s", len(rep.Files), whole, b.String())
}

// TestImportReportText: the report as people read it, for a dry run:
// what would be imported, what was fixed to read a KCSA, what a GHSA
// export will not give back, and a refused file with the reason naming
// the file and the field; the command fails because one was refused, and
// nothing is stored.
func TestImportReportText(t *testing.T) {
	dir := schematest.DataDir(t)
	s, u := importServer(t, sqldbtest.Engines()[0])
	bad := filepath.Join(t.TempDir(), "OSSA-2026-999.yaml")
	if err := os.WriteFile(bad, []byte("id: OSSA-2026-999\ndate: 2026-13-01\ntitle: t\ndescription: d\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	kcsa := filepath.Join(dir, "kata/VMT/KCSA/KCSA-CVE-2020-2023.md")
	ghsa := filepath.Join(dir, "ghsa/GHSA-6978-vg2j-cc9q.json")
	r := u.vmt("", "advisory", "import", "--project", "kata-containers", "--dry-run", kcsa, ghsa, bad)
	for _, want := range []string{
		"would import " + kcsa + "  KCSA-2020-001 (was KCSA-CVE-2020-2023)",
		`    fixed: line 17: key "CVE-ID:" read as "cve-id:"`,
		`    fixed: line 33: " reviews:" read as the top-level key "reviews:" (a leading space)`,
		"    fixed: line 21: backticks removed from `Yuval Avrahami`",
		"would import " + ghsa + "  KCSA-2022-001 (was GHSA-6978-vg2j-cc9q)",
		"    not kept: id (numbered here; the original id is kept in aliases)",
		"refused      " + bad + ": ossa OSSA-2026-999: invalid: date:",
		"3 files: 2 would import (dry run, nothing stored), 0 unchanged, 1 refused",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the report lacks %q:\n%s", want, r.stdout)
		}
	}
	if r.code != exitUsage || !strings.Contains(r.stderr, "1 of 3 files refused") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	if _, b := getPublic(t, s, "/osv/all.json"); strings.Contains(string(b), "KCSA") {
		t.Errorf("the dry run stored: %s", b)
	}
}
