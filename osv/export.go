// Package osv writes a published advisory as an OSV record and reads OSV
// records (GHSA, the Go vulnerability database, OSV.dev) into advisories.
// It uses the protobuf types of the ossf/osv-schema Go bindings, written
// and read with protojson.
package osv

import (
	"fmt"
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

// LocalPrefix marks an id of a database that OSV.dev does not aggregate:
// the schema accepts only its registered prefixes or "x_".
const LocalPrefix = "x_"

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
		Id:            LocalPrefix + a.ID.String(),
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
	for _, af := range a.Affected {
		x, err := affected(af)
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

func affected(af vmt.Affected) (*osvschema.Affected, error) {
	x := &osvschema.Affected{Versions: af.Enumerated}
	ds := map[string]any{"component": af.Component, "versions": af.Versions}
	if af.Ecosystem != "" {
		name := af.Package
		if name == "" {
			name = af.Component
		}
		x.Package = &osvschema.Package{Ecosystem: af.Ecosystem, Name: name, Purl: af.PURL}
		if len(af.Ranges) > 0 {
			x.Ranges = []*osvschema.Range{versionRange(af)}
		}
	} else if len(af.Ranges) > 0 {
		// Without an ecosystem OSV has no range to put them in; they
		// stay readable beside the component.
		ds["ranges"] = rangesAsData(af.Ranges)
	}
	if branches := branchesOf(af.Ranges); len(branches) == len(af.Ranges) && x.Ranges != nil {
		ds["branches"] = branches
	}
	var err error
	if x.DatabaseSpecific, err = structpb.NewStruct(ds); err != nil {
		return nil, fmt.Errorf("affected %s: %w", af.Component, err)
	}
	return x, nil
}

func versionRange(af vmt.Affected) *osvschema.Range {
	r := &osvschema.Range{Type: osvschema.Range_ECOSYSTEM}
	if semverEcosystems[af.Ecosystem] {
		r.Type = osvschema.Range_SEMVER
	}
	for _, vr := range af.Ranges {
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
	}
	return r
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

func branchesOf(rs []vmt.VersionRange) []any {
	var out []any
	for _, r := range rs {
		if r.Branch != "" {
			out = append(out, r.Branch)
		}
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
	m := map[string]any{"kind": string(a.Kind)}
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
