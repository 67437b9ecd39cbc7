// Package osv writes a published advisory as an OSV record and reads OSV
// records (GHSA, the Go vulnerability database, OSV.dev) into advisories.
// It uses the protobuf types of the ossf/osv-schema Go bindings, written
// and read with protojson.
package osv

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ossf/osv-schema/bindings/go/osvschema"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/vmtproject/vmt"
	"github.com/vmtproject/vmt/cvss"
)

// SchemaVersion is the OSV schema version the records follow.
const SchemaVersion = "1.7.0"

// LocalPrefix marks an id of a database that OSV.dev does not aggregate.
// Records this package wrote before they were published under their own
// id (a data source's prefix is registered with OSV.dev when it starts
// importing the source) carry it; Import still reads them.
const LocalPrefix = "x_"

// Generator names this package's records in their database_specific, so
// that Import knows one of ours (whose details hold the mitigation and
// errata) now that its id is the document's own.
const Generator = "vmt"

// FromAdvisory returns the OSV record of a published or withdrawn
// advisory. A draft or embargoed one is refused (ECONFLICT), as is a bad
// CVSS vector (EINVALID naming it).
func FromAdvisory(a *vmt.Advisory) (*osvschema.Vulnerability, error) {
	if err := a.CheckExportable(); err != nil {
		return nil, err
	}
	sev, err := severities(a)
	if err != nil {
		return nil, err
	}
	v := &osvschema.Vulnerability{
		SchemaVersion: SchemaVersion,
		Id:            a.ID.String(),
		Published:     timestamp(a.Published),
		Modified:      timestamp(modified(a)),
		Withdrawn:     timestamp(a.Withdrawn),
		Aliases:       aliases(a),
		Summary:       a.Title,
		Details:       details(a),
		Severity:      sev,
		References:    references(a),
		Credits:       credits(a),
	}
	fixes, tracked := gitFixes(a.Patches), trackedFixes(a)
	for _, af := range a.Affected {
		x, err := affected(af, fixes, tracked)
		if err != nil {
			return nil, err
		}
		v.Affected = append(v.Affected, x)
	}
	if v.DatabaseSpecific, err = databaseSpecific(a); err != nil {
		return nil, err
	}
	return v, nil
}

// Export returns the OSV JSON of a (FromAdvisory, then Marshal).
func Export(a *vmt.Advisory) ([]byte, error) {
	v, err := FromAdvisory(a)
	if err != nil {
		return nil, err
	}
	return Marshal(v)
}

func modified(a *vmt.Advisory) *time.Time {
	if a.Modified != nil {
		return a.Modified
	}
	return a.Published
}

func timestamp(t *time.Time) *timestamppb.Timestamp {
	if t == nil {
		return nil
	}
	return timestamppb.New(t.UTC())
}

func aliases(a *vmt.Advisory) []string {
	out := append([]string(nil), a.CVEs...)
	for _, x := range a.Aliases {
		if x != a.ID.String() {
			out = append(out, x)
		}
	}
	return out
}

// details is the description, then the mitigation and errata under
// headings (OSV details are CommonMark).
func details(a *vmt.Advisory) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(a.Description))
	if m := strings.TrimSpace(a.Mitigation); m != "" {
		b.WriteString("\n\n## Mitigation\n\n" + m)
	}
	if e := strings.TrimSpace(a.Errata); e != "" {
		b.WriteString("\n\n## Errata\n\n" + e)
	}
	return b.String()
}

func severities(a *vmt.Advisory) ([]*osvschema.Severity, error) {
	scores, err := cvss.Scores(a)
	if err != nil {
		return nil, err
	}
	var out []*osvschema.Severity
	for _, s := range scores {
		t := osvschema.Severity_CVSS_V3
		switch s.Version {
		case cvss.V2:
			t = osvschema.Severity_CVSS_V2
		case cvss.V40:
			t = osvschema.Severity_CVSS_V4
		}
		out = append(out, &osvschema.Severity{Type: t, Score: s.Vector})
	}
	return out, nil
}

// semverEcosystems are those whose versions OSV compares as SemVer.
var semverEcosystems = map[string]bool{"Go": true, "npm": true, "crates.io": true}

// affected writes one entry. With an ecosystem it names the package and
// gives one range per run of versions, each with its branch in the
// range's database_specific, and the versions named one by one in
// versions. Without one OSV has no version range to put them in: the
// runs stay readable beside the component, and when the patches are
// commits of a git repository the entry gets a GIT range fixed at each.
// The versions text is kept in database_specific either way. Where merge
// tracking found the fixes merged (tracked), every entry, with a package
// or not, gets the GIT range of the project's repository: vmt tracks one
// repository per project, the one its components are developed in.
func affected(af vmt.Affected, fixes, tracked []gitFix) (*osvschema.Affected, error) {
	ranges, exact := af.Ranges, af.Enumerated
	if len(ranges) == 0 && len(exact) == 0 {
		// An entry made before the ranges were kept: its text, when it
		// is in the VMT syntax, gives them.
		if v, err := vmt.ParseVersions("versions", af.Versions); err == nil {
			ranges, exact = v.Ranges, v.Exact
		}
	}
	x := &osvschema.Affected{}
	ds := map[string]any{}
	for k, v := range af.DatabaseSpecific {
		ds[k] = v // an imported entry's own, under ours
	}
	ds["component"], ds["versions"] = af.Component, af.Versions
	if len(af.EcosystemSpecific) > 0 {
		es, err := structpb.NewStruct(af.EcosystemSpecific)
		if err != nil {
			return nil, fmt.Errorf("affected %s: ecosystem_specific: %w", af.Component, err)
		}
		x.EcosystemSpecific = es
	}
	if af.Ecosystem != "" {
		name := af.Package
		if name == "" {
			name = af.Component
		}
		x.Package = &osvschema.Package{Ecosystem: af.Ecosystem, Name: name, Purl: af.PURL}
		x.Versions = exact
		t := rangeType(af.Ecosystem, ranges)
		for _, vr := range ranges {
			r, err := versionRange(keptType(t, vr), vr)
			if err != nil {
				return nil, fmt.Errorf("affected %s: %w", af.Component, err)
			}
			x.Ranges = append(x.Ranges, r)
		}
		gr, err := gitRanges(tracked)
		if err != nil {
			return nil, fmt.Errorf("affected %s: %w", af.Component, err)
		}
		x.Ranges = append(x.Ranges, gr...)
	} else {
		if len(ranges) > 0 {
			ds["ranges"] = rangesAsData(ranges)
		}
		if len(exact) > 0 {
			ds["enumerated"] = strs(exact)
		}
		gr, err := gitRanges(append(slices.Clone(tracked), fixes...))
		if err != nil {
			return nil, fmt.Errorf("affected %s: %w", af.Component, err)
		}
		x.Ranges = gr
	}
	var err error
	if x.DatabaseSpecific, err = structpb.NewStruct(ds); err != nil {
		return nil, fmt.Errorf("affected %s: %w", af.Component, err)
	}
	return x, nil
}

// rangeType is SEMVER for an ecosystem that compares versions so when
// every bound is a SemVer version, and ECOSYSTEM otherwise: a "v3.2.1"
// or a "19.03.0" under SEMVER would be compared wrongly by a scanner.
func rangeType(eco string, rs []vmt.VersionRange) osvschema.Range_Type {
	if !semverEcosystems[eco] {
		return osvschema.Range_ECOSYSTEM
	}
	if !vmt.AllSemVer(rs, nil) {
		return osvschema.Range_ECOSYSTEM
	}
	return osvschema.Range_SEMVER
}

// keptType is the type an imported range had, where it still holds: a
// SEMVER range whose bounds are not all SemVer is written ECOSYSTEM (a
// scanner would compare "19.03.0" wrongly as SemVer); t otherwise.
func keptType(t osvschema.Range_Type, vr vmt.VersionRange) osvschema.Range_Type {
	switch vr.Type {
	case vmt.RangeEcosystem:
		return osvschema.Range_ECOSYSTEM
	case vmt.RangeSemVer:
		if vmt.AllSemVer([]vmt.VersionRange{vr}, nil) {
			return osvschema.Range_SEMVER
		}
		return osvschema.Range_ECOSYSTEM
	}
	return t
}

// versionRange is one run as OSV events, sorted as the schema asks:
// introduced (0 when from the start), then fixed or last_affected.
func versionRange(t osvschema.Range_Type, vr vmt.VersionRange) (*osvschema.Range, error) {
	r := &osvschema.Range{Type: t}
	intro := vr.Introduced
	if intro == "" {
		intro = "0"
	}
	r.Events = append(r.Events, &osvschema.Event{Introduced: intro})
	switch {
	case vr.Fixed != "":
		r.Events = append(r.Events, &osvschema.Event{Fixed: vr.Fixed})
	case vr.LastAffected != "":
		r.Events = append(r.Events, &osvschema.Event{LastAffected: vr.LastAffected})
	}
	if vr.Branch != "" {
		var err error
		if r.DatabaseSpecific, err = structpb.NewStruct(map[string]any{"branch": vr.Branch}); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// gitFix is a fix commit, the repository it is in and, when known, the
// branch it fixes.
type gitFix struct{ repo, branch, commit string }

// commitURLRE reads a commit URL of the forges the projects use:
// https://github.com/o/r/commit/SHA, https://gitlab.com/o/r/-/commit/SHA,
// https://opendev.org/o/r/commit/SHA.
var commitURLRE = regexp.MustCompile(`^(https://[^/]+/[^/]+/[^/]+?)(?:\.git)?/(?:-/)?commits?/([0-9a-f]{7,64})/?$`)

// fullCommitRE is a commit as a GIT range must name it (the schema's
// pattern): a full SHA-1 or SHA-256 hash. An abbreviated one in a patch
// URL is left to the references, since a consumer cannot resolve it.
var fullCommitRE = regexp.MustCompile(`^([0-9a-f]{40}|[0-9a-f]{64})$`)

// gitFixes lists the commits the patches name, in their order.
func gitFixes(ps []vmt.Patch) []gitFix {
	var out []gitFix
	for _, p := range ps {
		for _, u := range p.URLs {
			if m := commitURLRE.FindStringSubmatch(u); m != nil && fullCommitRE.MatchString(m[2]) {
				out = append(out, gitFix{repo: m[1], branch: p.Branch, commit: m[2]})
			}
		}
	}
	return out
}

// trackedFixes lists the commits merge tracking found the fixes merged
// as, one per branch, in the project's repository. The application sets
// them on public documents of public reports only.
func trackedFixes(a *vmt.Advisory) []gitFix {
	if a.Repository == "" {
		return nil
	}
	var out []gitFix
	for _, c := range a.FixCommits {
		if fullCommitRE.MatchString(c.Commit) {
			out = append(out, gitFix{repo: a.Repository, branch: c.Branch, commit: c.Commit})
		}
	}
	return out
}

// repoKey is a repository URL compared without a trailing "/" or ".git",
// so that a patch URL's repository and the configured one are one range.
func repoKey(u string) string {
	return strings.TrimSuffix(strings.TrimRight(u, "/"), ".git")
}

// gitRanges is one GIT range per repository: every commit from the
// first is affected until a fix commit of its branch. The fixes of all
// the branches are the events of one range, as OSV evaluates a GIT
// range: a commit is affected when no fixed event is its ancestor, so a
// range per branch would call the fixed main affected through the
// stable branch's range. Which branch each commit fixes is kept in the
// range's database_specific.
func gitRanges(fixes []gitFix) ([]*osvschema.Range, error) {
	var out []*osvschema.Range
	byRepo := map[string]*osvschema.Range{}
	branches := map[string][]any{}
	seen := map[[2]string]bool{}
	for _, f := range fixes {
		k := repoKey(f.repo)
		if seen[[2]string{k, f.commit}] {
			continue // the tracked commit is also a patch's URL
		}
		seen[[2]string{k, f.commit}] = true
		r := byRepo[k]
		if r == nil {
			r = &osvschema.Range{Type: osvschema.Range_GIT, Repo: f.repo, Events: []*osvschema.Event{{Introduced: "0"}}}
			byRepo[k] = r
			out = append(out, r)
		}
		r.Events = append(r.Events, &osvschema.Event{Fixed: f.commit})
		if f.branch != "" {
			branches[k] = append(branches[k], map[string]any{"branch": f.branch, "fixed": f.commit})
		}
	}
	for k, r := range byRepo {
		if len(branches[k]) == 0 {
			continue
		}
		var err error
		if r.DatabaseSpecific, err = structpb.NewStruct(map[string]any{"branches": branches[k]}); err != nil {
			return nil, fmt.Errorf("git range %s: %w", r.Repo, err)
		}
	}
	return out, nil
}

func rangesAsData(rs []vmt.VersionRange) []any {
	out := make([]any, len(rs))
	for i, r := range rs {
		m := map[string]any{}
		for k, v := range map[string]string{"branch": r.Branch, "introduced": r.Introduced, "fixed": r.Fixed, "last_affected": r.LastAffected} {
			if v != "" {
				m[k] = v
			}
		}
		out[i] = m
	}
	return out
}

func references(a *vmt.Advisory) []*osvschema.Reference {
	var out []*osvschema.Reference
	seen := map[string]bool{}
	add := func(t vmt.ReferenceType, url string) {
		if seen[url] {
			return
		}
		seen[url] = true
		out = append(out, &osvschema.Reference{Type: osvschema.Reference_Type(osvschema.Reference_Type_value[string(t)]), Url: url})
	}
	for _, r := range a.References {
		add(r.Type, r.URL)
	}
	for _, p := range a.Patches {
		for _, u := range p.URLs {
			add("FIX", u)
		}
	}
	return out
}

func credits(a *vmt.Advisory) []*osvschema.Credit {
	var out []*osvschema.Credit
	for _, c := range a.Credits {
		name := c.Name
		if c.Affiliation != "" {
			name += " (" + c.Affiliation + ")"
		}
		out = append(out, &osvschema.Credit{Name: name, Contact: c.Contact,
			Type: osvschema.Credit_Type(osvschema.Credit_Type_value[string(c.Type)])})
	}
	return out
}

// databaseSpecific keeps what OSV has no field for, so that an imported
// record of ours reads back whole.
func databaseSpecific(a *vmt.Advisory) (*structpb.Struct, error) {
	m := map[string]any{}
	for k, v := range a.DatabaseSpecific {
		m[k] = v // an imported record's own (a GHSA's github_reviewed …), under ours
	}
	m["kind"], m["generator"] = string(a.Kind), Generator
	if len(a.CWEs) > 0 {
		m["cwe_ids"] = strs(a.CWEs)
	}
	if a.Vendor != "" {
		m["vendor"] = a.Vendor
	}
	if a.Summary != "" {
		m["summary"] = a.Summary // OSV's own summary is our title
	}
	if len(a.Notes) > 0 {
		m["notes"] = strs(a.Notes)
	}
	if len(a.Patches) > 0 {
		ps := make([]any, len(a.Patches))
		for i, p := range a.Patches {
			ps[i] = map[string]any{"branch": p.Branch, "urls": strs(p.URLs)}
		}
		m["patches"] = ps
	}
	if len(a.Revisions) > 0 {
		rs := make([]any, len(a.Revisions))
		for i, r := range a.Revisions {
			rs[i] = map[string]any{"number": float64(r.Number), "date": r.Date.UTC().Format(time.DateOnly), "summary": r.Summary}
		}
		m["revisions"] = rs
	}
	s, err := structpb.NewStruct(m)
	if err != nil {
		return nil, fmt.Errorf("database_specific: %w", err)
	}
	return s, nil
}

func strs(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
