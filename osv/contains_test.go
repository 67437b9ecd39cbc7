package osv

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/osv-scalibr/semantic"
	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/ossa"
	"github.com/vmtproject/vmt/schematest"
)

// rangeCase is one range as vmt holds it and as its OSV export writes it.
type rangeCase struct {
	src string
	eco string // the package's ecosystem as exported; "" for none (OSSA)
	vr  vmt.VersionRange
	r   osvRange
}

// TestContainsAgreesWithSpecEvaluator lists versions inside and outside
// every ECOSYSTEM and SEMVER range of the OSV exports of the published
// fixtures and of the imported GHSA corpus (and of the OSSA corpus, whose
// exports keep their ranges in database_specific, having no ecosystem),
// and checks that vmt's own evaluation (vmt.VersionRange.Contains) says
// what the consumers' do, on every version. Two consumers read the
// exported JSON: the evaluation algorithm of the OSV schema
// (includedInRanges, the pseudocode of docs/schema.md in
// testdata/osv-schema, itself checked on the spec's examples by
// TestEvaluatorReadsTheSpecExamples), and the same algorithm ordering
// versions with osv-scalibr's semantic package, the per-ecosystem
// version comparison osv-scanner matches packages with (its range
// walker sits in an internal package, so only the comparison can be
// imported). Each range's introduced version is inside, its fixed
// version and the version just below introduced outside, its last
// affected version inside and the one just after it outside, for all.
func TestContainsAgreesWithSpecEvaluator(t *testing.T) {
	var cases []rangeCase
	const goPkg = "github.com/kata-containers/kata-containers/src/runtime"
	for _, text := range []string{"<3.2.1", "<=3.2.0", ">=3.0.0 <3.2.1", ">=3.0.0 <=3.2.0", ">=3.3.0", "all",
		"<3.2.1, >=3.3.0 <3.3.2", ">=8.0.0 <8.1.1 and ==9.0.0", "<v3.2.1", ">=19.03.0 <19.03.5", ">=3.3.0-rc1 <3.3.0"} {
		a := schematest.Advisory()
		a.Affected = []vmt.Affected{{Component: "runtime", Ecosystem: "Go", Package: goPkg, Versions: text}}
		cases = append(cases, exportedCases(t, "fixture "+text, a)...)
	}
	nFixture := len(cases)

	ghsa, err := filepath.Glob(filepath.Join(schematest.DataDir(t), "ghsa", "*.json"))
	if err != nil || len(ghsa) == 0 {
		t.Fatalf("no GHSA corpus: %v", err)
	}
	// The Go vulnerability database's records of the Kata GHSAs too.
	govulndb, err := filepath.Glob(filepath.Join(schematest.DataDir(t), "ghsa", "govulndb-kata", "*.json"))
	if err != nil || len(govulndb) == 0 {
		t.Fatalf("no Go vulnerability database records: %v", err)
	}
	ghsa = append(ghsa, govulndb...)
	var nGHSA, drafts int
	for _, f := range ghsa {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, err := Import(b)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		if a.State != vmt.AdvisoryPublished && a.State != vmt.AdvisoryWithdrawn {
			drafts++ // no publication date: not exported
			continue
		}
		if a.ID.IsZero() {
			// A GHSA id is not a vmt id: the importer leaves it for the
			// server to number; the export needs one.
			a.ID = schematest.Advisory().ID
		}
		nGHSA++
		cases = append(cases, exportedCases(t, filepath.Base(f), a)...)
	}

	ossaFiles, err := filepath.Glob(filepath.Join(schematest.DataDir(t), "ossa/ossa/OSSA-*.yaml"))
	if err != nil || len(ossaFiles) != 183 {
		t.Fatalf("found %d OSSA files (%v), want 183", len(ossaFiles), err)
	}
	nBefore := len(cases)
	for _, f := range ossaFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, err := ossa.Import(b)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		cases = append(cases, databaseSpecificCases(t, filepath.Base(f), a)...)
	}
	nOSSA := len(cases) - nBefore
	if nOSSA == 0 {
		t.Error("no OSSA range evaluated")
	}

	var checked, agreed int
	agreedBy := map[string]int{} // by ecosystem
	skipped := map[string]int{}  // by ecosystem scalibr does not know
	for _, c := range cases {
		for _, lv := range listVersions(c.vr) {
			spec := includedInRanges(lv.v, []osvRange{c.r})
			own := c.vr.Contains(lv.v)
			checked++
			if spec != own {
				t.Errorf("%s: range %v (OSV %v): %s is in it for the spec evaluator: %v, for vmt: %v", c.src, c.vr, c.r.Events, lv.v, spec, own)
			}
			eco := c.eco
			if eco == "" {
				// OSSA ranges have no ecosystem; the OpenStack projects
				// are Python packages, versioned as PyPI orders them.
				eco = "PyPI"
			}
			sc, err := scalibrIncluded(lv.v, eco, c.r)
			switch {
			case errors.Is(err, semantic.ErrUnsupportedEcosystem):
				skipped[eco]++
			case err != nil:
				t.Errorf("%s: range %v (OSV %v): osv-scalibr cannot compare %s: %v", c.src, c.vr, c.r.Events, lv.v, err)
			case sc != own:
				t.Errorf("%s: range %v (OSV %v, %s): %s is in it for osv-scalibr: %v, for vmt: %v", c.src, c.vr, c.r.Events, eco, lv.v, sc, own)
			default:
				agreed++
				agreedBy[eco]++
			}
			if lv.want != nil && (spec != *lv.want || own != *lv.want) {
				t.Errorf("%s: range %v: %s (%s) should be inside: %v; spec %v, vmt %v", c.src, c.vr, lv.v, lv.why, *lv.want, spec, own)
			}
		}
	}
	t.Logf("%d ranges (%d of the fixtures, %d of %d published GHSA and Go vulndb records, %d drafts left out; %d of the 183 OSSA from database_specific), %d versions checked",
		len(cases), nFixture, nBefore-nFixture, nGHSA, drafts, nOSSA, checked)
	t.Logf("osv-scalibr %s semantic comparison: %d of %d versions agreed with vmt %v; %d skipped, ecosystem not supported %v",
		scalibrVersion(t), agreed, checked, agreedBy, sumCounts(skipped), skipped)
	if checked == 0 || agreed == 0 {
		t.Fatalf("no version checked (%d) or agreed with osv-scalibr (%d)", checked, agreed)
	}
}

// scalibrVersion is the osv-scalibr release go.mod requires, for the
// log (a test binary's build information lists no dependencies).
func scalibrVersion(t *testing.T) string {
	b, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "github.com/google/osv-scalibr" {
			return f[1]
		}
	}
	t.Fatal("go.mod does not require github.com/google/osv-scalibr")
	return ""
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// scalibrIncluded says whether v is in r for the OSV evaluation with
// versions ordered by osv-scalibr's parser of ecosystem eco. It fails
// with semantic.ErrUnsupportedEcosystem for an ecosystem scalibr has no
// ordering for, and with the first version it cannot parse.
func scalibrIncluded(v, eco string, r osvRange) (bool, error) {
	if _, err := semantic.Parse(v, eco); err != nil {
		return false, fmt.Errorf("version %q: %w", v, err)
	}
	var first error
	cmp := func(a, b string) int {
		// "0" is the OSV spec's "before every version", not a version
		// each ecosystem can parse.
		switch {
		case a == b:
			return 0
		case a == "0":
			return -1
		case b == "0":
			return 1
		}
		pa, err := semantic.Parse(a, eco)
		if err == nil {
			var c int
			if c, err = pa.CompareStr(b); err == nil {
				return c
			}
		}
		if first == nil {
			first = fmt.Errorf("compare %q with %q: %w", a, b, err)
		}
		return 0
	}
	in := includedInRangesBy(v, []osvRange{r}, cmp)
	return in, first
}

// exportedCases exports a and pairs each version range it holds with the
// ECOSYSTEM or SEMVER range the export wrote for it, entry by entry.
func exportedCases(t *testing.T, src string, a *vmt.Advisory) []rangeCase {
	t.Helper()
	b, err := Export(a)
	if err != nil {
		t.Errorf("%s: %v", src, err)
		return nil
	}
	schematest.Validate(t, schematest.OSVPublished, src, b)
	var rec record
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	var out []rangeCase
	for i, af := range a.Affected {
		if af.Ecosystem == "" {
			continue
		}
		eco := af.Ecosystem
		if p := rec.Affected[i].Package; p != nil {
			eco = p.Ecosystem // as the consumer reads it
		}
		ranges := af.Ranges
		if len(ranges) == 0 && len(af.Enumerated) == 0 {
			// As the export does for an entry whose ranges were not kept.
			v, err := vmt.ParseVersions("versions", af.Versions)
			if err != nil {
				t.Fatalf("%s: %v", src, err)
			}
			ranges = v.Ranges
		}
		var written []osvRange
		for _, r := range rec.Affected[i].Ranges {
			if r.Type == "ECOSYSTEM" || r.Type == "SEMVER" {
				written = append(written, r)
			}
		}
		if len(written) != len(ranges) {
			t.Errorf("%s: affected[%d]: %d ranges written for %d held", src, i, len(written), len(ranges))
			continue
		}
		for j := range ranges {
			out = append(out, rangeCase{src: src, eco: eco, vr: ranges[j], r: written[j]})
		}
	}
	return out
}

// databaseSpecificCases reads the ranges an export without an ecosystem
// keeps in each entry's database_specific as ECOSYSTEM ranges would be.
func databaseSpecificCases(t *testing.T, src string, a *vmt.Advisory) []rangeCase {
	t.Helper()
	b, err := Export(a)
	if err != nil {
		t.Errorf("%s: %v", src, err)
		return nil
	}
	var rec struct {
		Affected []struct {
			DatabaseSpecific struct {
				Ranges []map[string]string `json:"ranges"`
			} `json:"database_specific"`
		} `json:"affected"`
	}
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	var out []rangeCase
	for i, af := range rec.Affected {
		ranges := a.Affected[i].Ranges
		if len(ranges) == 0 {
			if v, err := vmt.ParseVersions("versions", a.Affected[i].Versions); err == nil {
				ranges = v.Ranges
			}
		}
		if len(af.DatabaseSpecific.Ranges) != len(ranges) {
			t.Errorf("%s: affected[%d]: %d ranges kept for %d held", src, i, len(af.DatabaseSpecific.Ranges), len(ranges))
			continue
		}
		for j, m := range af.DatabaseSpecific.Ranges {
			intro := m["introduced"]
			if intro == "" {
				intro = "0"
			}
			r := osvRange{Type: "ECOSYSTEM", Events: []map[string]string{{"introduced": intro}}}
			for _, k := range []string{"fixed", "last_affected"} {
				if x := m[k]; x != "" {
					r.Events = append(r.Events, map[string]string{k: x})
				}
			}
			out = append(out, rangeCase{src: src + " (database_specific)", vr: ranges[j], r: r})
		}
	}
	return out
}

// listedVersion is a version to evaluate, with what it must give when
// the range's bounds alone say so (nil: only that both agree).
type listedVersion struct {
	v    string
	want *bool
	why  string
}

// listVersions lists, for vr, its bounds and the versions just around
// them.
func listVersions(vr vmt.VersionRange) []listedVersion {
	in, out := true, false
	var l []listedVersion
	add := func(v string, want *bool, why string) {
		if v != "" {
			l = append(l, listedVersion{v, want, why})
		}
	}
	if vr.Introduced != "" && vr.Introduced != "0" {
		if vr.Introduced != vr.Fixed {
			add(vr.Introduced, &in, "introduced")
		}
		add(stepVersion(vr.Introduced, -1), &out, "just below introduced")
		var after *bool
		if vr.Fixed == "" && vr.LastAffected == "" {
			after = &in // not fixed: on and on
		}
		add(stepVersion(vr.Introduced, +1), after, "just after introduced")
	} else {
		add("0.0.1", nil, "from the start")
	}
	if vr.Fixed != "" {
		add(vr.Fixed, &out, "fixed")
		add(stepVersion(vr.Fixed, -1), nil, "just below fixed")
		add(stepVersion(vr.Fixed, +1), nil, "just after fixed")
	}
	if vr.LastAffected != "" {
		add(vr.LastAffected, &in, "last affected")
		add(stepVersion(vr.LastAffected, +1), &out, "just after last affected")
	}
	if vr.Fixed == "" && vr.LastAffected == "" && (vr.Introduced == "" || vr.Introduced == "0") {
		add("999.0.0", &in, "every version")
	}
	return l
}

// stepVersion returns the release of v with its last number part that
// can move moved by d (down: the last one above 0), the pre-release and
// build dropped: 3.2.1 → 3.2.0 and 3.2.2; "" when none can move down.
func stepVersion(v string, d int) string {
	prefix := ""
	if strings.HasPrefix(v, "v") {
		prefix, v = "v", v[1:]
	}
	rel := v
	if i := strings.IndexAny(rel, "-+"); i >= 0 {
		rel = rel[:i]
	}
	parts := strings.Split(rel, ".")
	for i := len(parts) - 1; i >= 0; i-- {
		n, err := strconv.Atoi(parts[i])
		if err != nil || d < 0 && n == 0 {
			continue
		}
		parts[i] = strconv.Itoa(n + d)
		return prefix + strings.Join(parts, ".")
	}
	return ""
}
