package osv

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/schematest"
)

// The records below are read back as JSON, as a consumer reads them, and
// judged by isVulnerable, the evaluation algorithm of the OSV schema
// (docs/schema.md "Evaluation", in testdata/osv-schema) written out.
// osv-scanner's range walker is internal to osv-scalibr and cannot be
// imported; TestContainsAgreesWithSpecEvaluator runs this walker with
// osv-scalibr's own per-ecosystem version ordering (its semantic
// package) in place of compareVersions.

type record struct {
	ID       string   `json:"id"`
	Aliases  []string `json:"aliases"`
	Affected []struct {
		Package *struct {
			Ecosystem string `json:"ecosystem"`
			Name      string `json:"name"`
		} `json:"package"`
		Versions []string   `json:"versions"`
		Ranges   []osvRange `json:"ranges"`
	} `json:"affected"`
}

type osvRange struct {
	Type   string              `json:"type"`
	Repo   string              `json:"repo"`
	Events []map[string]string `json:"events"`
}

// isVulnerable is IsVulnerable of the spec for the first affected entry
// of the package.
func isVulnerable(rec record, eco, name, v string) bool {
	for _, af := range rec.Affected {
		if af.Package == nil || af.Package.Ecosystem != eco || af.Package.Name != name {
			continue
		}
		if slices.Contains(af.Versions, v) || includedInRanges(v, af.Ranges) {
			return true
		}
	}
	return false
}

func includedInRanges(v string, ranges []osvRange) bool {
	return includedInRangesBy(v, ranges, compareVersions)
}

// includedInRangesBy is includedInRanges ordering versions with cmp, so
// that a consumer's own version comparison can be put in its place.
func includedInRangesBy(v string, ranges []osvRange, cmp func(a, b string) int) bool {
	for _, r := range ranges {
		if r.Type == "GIT" || !beforeLimitsBy(v, r, cmp) {
			continue
		}
		events := slices.Clone(r.Events)
		slices.SortStableFunc(events, func(a, b map[string]string) int { return cmp(eventVersion(a), eventVersion(b)) })
		vulnerable := false
		for _, e := range events {
			if x, ok := e["introduced"]; ok && (x == "0" || cmp(v, x) >= 0) {
				vulnerable = true
			} else if x, ok := e["fixed"]; ok && cmp(v, x) >= 0 {
				vulnerable = false
			} else if x, ok := e["last_affected"]; ok && cmp(v, x) > 0 {
				vulnerable = false
			}
		}
		if vulnerable {
			return true
		}
	}
	return false
}

func beforeLimitsBy(v string, r osvRange, cmp func(a, b string) int) bool {
	limited := false
	for _, e := range r.Events {
		if x, ok := e["limit"]; ok {
			limited = true
			if x == "*" || cmp(v, x) < 0 {
				return true
			}
		}
	}
	return !limited
}

func eventVersion(e map[string]string) string {
	for _, k := range []string{"introduced", "fixed", "last_affected", "limit"} {
		if x, ok := e[k]; ok {
			return x
		}
	}
	return ""
}

// compareVersions orders versions by SemVer precedence (numbers compared
// as numbers, a pre-release before its release), which is also the
// order of the dotted numeric versions of these tests; "0" is the least.
func compareVersions(a, b string) int {
	if a == b {
		return 0
	}
	if a == "0" {
		return -1
	}
	if b == "0" {
		return 1
	}
	a, b = strings.TrimPrefix(a, "v"), strings.TrimPrefix(b, "v")
	a, _, _ = strings.Cut(a, "+")
	b, _, _ = strings.Cut(b, "+")
	ma, pa, _ := strings.Cut(a, "-")
	mb, pb, _ := strings.Cut(b, "-")
	if c := compareParts(strings.Split(ma, "."), strings.Split(mb, ".")); c != 0 {
		return c
	}
	switch {
	case pa == pb:
		return 0
	case pa == "":
		return 1
	case pb == "":
		return -1
	}
	return compareParts(strings.Split(pa, "."), strings.Split(pb, "."))
}

func compareParts(a, b []string) int {
	for i := range max(len(a), len(b)) {
		if i >= len(a) {
			return -1
		}
		if i >= len(b) {
			return 1
		}
		na, ea := strconv.Atoi(a[i])
		nb, eb := strconv.Atoi(b[i])
		var c int
		switch {
		case ea == nil && eb == nil:
			c = na - nb
		case ea == nil:
			c = -1
		case eb == nil:
			c = 1
		default:
			c = strings.Compare(a[i], b[i])
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// exportEntry exports the fixture with one affected entry, made from a
// report's record as the draft makes it (vmt.AffectedEntry.Affected).
func exportEntry(t *testing.T, e vmt.AffectedEntry, patches ...vmt.Patch) (record, []byte) {
	t.Helper()
	a := schematest.Advisory()
	a.Affected = []vmt.Affected{e.Affected()}
	a.Patches = patches
	b, err := Export(a)
	if err != nil {
		t.Fatal(err)
	}
	schematest.Validate(t, schematest.OSVPublished, e.Versions, b)
	var rec record
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	return rec, b
}

func TestExportedRangesEvaluate(t *testing.T) {
	const goPkg = "github.com/kata-containers/kata-containers/src/runtime"
	tests := []struct {
		eco, versions string
		rangeType     string
		in, out       []string
	}{
		{"Go", "<3.2.1", "SEMVER", []string{"0.1.0", "3.2.0", "3.2.1-rc1"}, []string{"3.2.1", "3.3.0", "10.0.0"}},
		{"Go", "<=3.2.0", "SEMVER", []string{"1.0.0", "3.2.0"}, []string{"3.2.1", "4.0.0"}},
		{"Go", ">=3.0.0 <3.2.1", "SEMVER", []string{"3.0.0", "3.1.5", "3.2.0"}, []string{"2.9.9", "3.0.0-rc1", "3.2.1"}},
		{"Go", ">=3.0.0 <=3.2.0", "SEMVER", []string{"3.0.0", "3.2.0"}, []string{"2.9.9", "3.2.1"}},
		{"Go", ">=3.3.0", "SEMVER", []string{"3.3.0", "10.0.0"}, []string{"3.2.9"}},
		{"Go", "all", "SEMVER", []string{"0.0.1", "99.0.0"}, nil},
		{"Go", "<3.2.1, >=3.3.0 <3.3.2", "SEMVER", []string{"3.2.0", "3.3.0", "3.3.1"}, []string{"3.2.1", "3.2.5", "3.3.2"}},
		// Overlapping runs: each is its own range, so one's fixed
		// event cannot end the other.
		{"Go", "<3.2.1, >=3.0.0 <3.3.0", "SEMVER", []string{"3.1.0", "3.2.5"}, []string{"3.3.0"}},
		{"Go", ">=8.0.0 <8.1.1 and ==9.0.0", "SEMVER", []string{"8.0.0", "8.1.0", "9.0.0"}, []string{"7.9.9", "8.1.1", "9.0.1"}},
		{"Go", "==3.3.0-dev", "", []string{"3.3.0-dev"}, []string{"3.3.0", "3.2.0"}},
		// Not SemVer: the range is ECOSYSTEM, which the ecosystem orders.
		{"Go", "<v3.2.1", "ECOSYSTEM", []string{"v3.2.0"}, []string{"v3.2.1"}},
		{"Go", ">=19.03.0 <19.03.5", "ECOSYSTEM", []string{"19.03.1"}, []string{"19.03.5", "18.09.0"}},
		{"PyPI", ">=2.0 <2.4.1", "ECOSYSTEM", []string{"2.0", "2.4"}, []string{"1.9", "2.4.1"}},
	}
	for _, tt := range tests {
		rec, raw := exportEntry(t, vmt.AffectedEntry{Component: "runtime", Ecosystem: tt.eco, Package: goPkg, Versions: tt.versions})
		if rec.ID != "KCSA-2026-001" || !slices.Equal(rec.Aliases, []string{"CVE-2026-12345"}) {
			t.Errorf("%s: id %q aliases %v", tt.versions, rec.ID, rec.Aliases)
		}
		for _, r := range rec.Affected[0].Ranges {
			if r.Type != tt.rangeType {
				t.Errorf("%s: range type %s, want %s", tt.versions, r.Type, tt.rangeType)
			}
		}
		if tt.rangeType == "" && len(rec.Affected[0].Ranges) != 0 {
			t.Errorf("%s: ranges %v for versions named one by one", tt.versions, rec.Affected[0].Ranges)
		}
		for _, v := range tt.in {
			if !isVulnerable(rec, tt.eco, goPkg, v) {
				t.Errorf("%s: %s should be affected\n%s", tt.versions, v, raw)
			}
		}
		for _, v := range tt.out {
			if isVulnerable(rec, tt.eco, goPkg, v) {
				t.Errorf("%s: %s should not be affected\n%s", tt.versions, v, raw)
			}
		}
		if isVulnerable(rec, tt.eco, goPkg+"/other", firstOr(tt.in, "1.0.0")) {
			t.Errorf("%s: another package is affected", tt.versions)
		}
	}
}

func firstOr(xs []string, d string) string {
	if len(xs) > 0 {
		return xs[0]
	}
	return d
}

// TestEvaluatorReadsTheSpecExamples checks the evaluator itself on the
// schema document's examples, so that a fault in it cannot pass a wrong
// export.
func TestEvaluatorReadsTheSpecExamples(t *testing.T) {
	ev := func(e ...map[string]string) []osvRange { return []osvRange{{Type: "ECOSYSTEM", Events: e}} }
	// "last_affected vs fixed": introduced 1.0.0, last_affected 1.0.2.
	la := ev(map[string]string{"introduced": "1.0.0"}, map[string]string{"last_affected": "1.0.2"})
	// Events out of order are sorted first.
	unsorted := ev(map[string]string{"fixed": "2.0.0"}, map[string]string{"introduced": "1.0.0"})
	limited := ev(map[string]string{"introduced": "0"}, map[string]string{"limit": "1.5.0"})
	tests := []struct {
		rs   []osvRange
		v    string
		want bool
	}{
		{la, "1.0.2", true}, {la, "1.0.3", false}, {la, "0.9.0", false},
		{unsorted, "1.5.0", true}, {unsorted, "2.0.0", false},
		{limited, "1.4.0", true}, {limited, "1.5.0", false},
	}
	for i, tt := range tests {
		if got := includedInRanges(tt.v, tt.rs); got != tt.want {
			t.Errorf("case %d: %s = %v, want %v", i, tt.v, got, tt.want)
		}
	}
}

// TestExportGitRange: an entry without a package gets a GIT range fixed
// at the commits of the patches, and keeps its versions in
// database_specific.
func TestExportGitRange(t *testing.T) {
	const repo = "https://github.com/kata-containers/kata-containers"
	_, raw := exportEntry(t, vmt.AffectedEntry{Component: "kata-containers", Versions: "<3.2.1"},
		vmt.Patch{Branch: "main", URLs: []string{repo + "/commit/0123456789abcdef0123456789abcdef01234567"}},
		vmt.Patch{Branch: "stable-3.2", URLs: []string{repo + "/commit/89abcdef0123456789abcdef0123456789abcdef", repo + "/pull/10002"}})
	var rec struct {
		Affected []struct {
			Package          any            `json:"package"`
			Ranges           []osvRange     `json:"ranges"`
			DatabaseSpecific map[string]any `json:"database_specific"`
		} `json:"affected"`
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	af := rec.Affected[0]
	want := []map[string]string{{"introduced": "0"}, {"fixed": "0123456789abcdef0123456789abcdef01234567"}, {"fixed": "89abcdef0123456789abcdef0123456789abcdef"}}
	if af.Package != nil || len(af.Ranges) != 1 || af.Ranges[0].Type != "GIT" || af.Ranges[0].Repo != repo {
		t.Fatalf("affected %+v", af)
	}
	for i, e := range want {
		if i >= len(af.Ranges[0].Events) || af.Ranges[0].Events[i][eventKey(e)] != e[eventKey(e)] {
			t.Errorf("events %v, want %v", af.Ranges[0].Events, want)
			break
		}
	}
	if af.DatabaseSpecific["versions"] != "<3.2.1" || af.DatabaseSpecific["ranges"] == nil {
		t.Errorf("database_specific %v", af.DatabaseSpecific)
	}

	// Without commit URLs there is nothing to fix the range at: no GIT
	// range, which would say every commit is affected.
	_, raw = exportEntry(t, vmt.AffectedEntry{Component: "kata-containers", Versions: "<3.2.1"}, vmt.Patch{Branch: "main", URLs: []string{repo + "/pull/10001"}})
	if strings.Contains(string(raw), `"GIT"`) {
		t.Errorf("a GIT range without a fix commit:\n%s", raw)
	}
}

func eventKey(e map[string]string) string {
	for k := range e {
		return k
	}
	return ""
}

// TestExportTrackedGitRange: the commits merge tracking found (set by the
// application on a public document) make one GIT range of the project's
// repository with the patches' commits of it, each commit once; an
// abbreviated commit in a patch URL, which the schema refuses in a GIT
// range and a consumer cannot resolve, is left to the references.
func TestExportTrackedGitRange(t *testing.T) {
	const repo = "https://github.com/kata-containers/kata-containers"
	main, stable, other := strings.Repeat("a", 40), strings.Repeat("b", 40), strings.Repeat("c", 40)
	a := schematest.Advisory()
	a.Affected = []vmt.Affected{{Component: "runtime", Versions: "<3.2.1"}}
	a.Repository = repo + ".git"
	a.FixCommits = []vmt.FixCommit{{Branch: "main", Commit: main}, {Branch: "stable-3.2", Commit: stable}}
	a.Patches = []vmt.Patch{
		{Branch: "main", URLs: []string{repo + "/commit/" + main, repo + "/commit/abcdef1"}},
		{Branch: "stable-3.1", URLs: []string{repo + "/commit/" + other}},
	}
	b, err := Export(a)
	if err != nil {
		t.Fatal(err)
	}
	schematest.Validate(t, schematest.OSVPublished, "tracked", b)
	var rec struct {
		Affected []struct {
			Ranges []struct {
				Type, Repo       string
				Events           []map[string]string
				DatabaseSpecific struct{ Branches []map[string]string } `json:"database_specific"`
			}
		}
	}
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	rs := rec.Affected[0].Ranges
	if len(rs) != 1 || rs[0].Type != "GIT" || rs[0].Repo != repo+".git" {
		t.Fatalf("ranges %+v, want one GIT range of %s.git", rs, repo)
	}
	var fixed []string
	for _, e := range rs[0].Events[1:] {
		fixed = append(fixed, e["fixed"])
	}
	if rs[0].Events[0]["introduced"] != "0" || !slices.Equal(fixed, []string{main, stable, other}) {
		t.Errorf("events %v, want introduced 0 then fixed %s %s %s", rs[0].Events, main, stable, other)
	}
	var branches []string
	for _, x := range rs[0].DatabaseSpecific.Branches {
		branches = append(branches, x["branch"]+"="+x["fixed"][:1])
	}
	if !slices.Equal(branches, []string{"main=a", "stable-3.2=b", "stable-3.1=c"}) {
		t.Errorf("branches %v", branches)
	}

	// Without the repository (none configured) the tracked commits name
	// nothing: only the patches' full commits make the range.
	a.Repository = ""
	b, err = Export(a)
	if err != nil {
		t.Fatal(err)
	}
	rec.Affected = nil
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	if rs := rec.Affected[0].Ranges; len(rs) != 1 || rs[0].Repo != repo || len(rs[0].Events) != 3 ||
		rs[0].Events[1]["fixed"] != main || rs[0].Events[2]["fixed"] != other {
		t.Errorf("without a repository: %+v", rs)
	}
}
