package osv

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ossf/osv-schema/bindings/go/osvschema"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/vmtproject/vmt"
)

// Import reads an OSV JSON record into an advisory.
//
// The record's id becomes the advisory id when it has the form
// PREFIX-YYYY-NNN (GO-2026-4517, or one of our own x_KCSA-2026-001);
// otherwise (GHSA-xxxx-xxxx-xxxx) the id is left unset for the caller to
// number and the record's id is kept among the aliases. CVE aliases become
// CVEs. A record without a publication date (the Go vulnerability
// database's in-repository files carry 0001-01-01) imports as a draft.
// The result is validated: a record that cannot make a valid advisory is an
// error naming the field.
func Import(b []byte) (*vmt.Advisory, error) {
	v, err := Unmarshal(b)
	if err != nil {
		return nil, err
	}
	a, err := ToAdvisory(v)
	if err != nil {
		return nil, fmt.Errorf("osv %s: %w", v.GetId(), err)
	}
	return a, nil
}

// ToAdvisory converts a parsed OSV record; see Import.
func ToAdvisory(v *osvschema.Vulnerability) (*vmt.Advisory, error) {
	a := &vmt.Advisory{Kind: vmt.KindAdvisory, State: vmt.AdvisoryPublished}
	setID(a, v.GetId())
	for _, al := range v.GetAliases() {
		if vmt.ValidCVE(al) {
			a.CVEs = appendNew(a.CVEs, al)
		} else if al != a.ID.String() {
			a.Aliases = appendNew(a.Aliases, al)
		}
	}
	a.Title, a.Description = text(v)
	setTimes(a, v)
	for _, s := range v.GetSeverity() {
		if s.GetType() != osvschema.Severity_Ubuntu {
			a.CVSS = appendNew(a.CVSS, s.GetScore())
		}
	}
	for _, x := range v.GetAffected() {
		a.Affected = append(a.Affected, toAffected(x))
	}
	for _, r := range v.GetReferences() {
		a.References = append(a.References, toReference(r))
	}
	for _, c := range v.GetCredits() {
		a.Credits = append(a.Credits, toCredit(c))
	}
	readDatabaseSpecific(a, v.GetDatabaseSpecific())
	if strings.HasPrefix(v.GetId(), LocalPrefix) || v.GetDatabaseSpecific().AsMap()["generator"] == Generator {
		readOwnRecord(a)
	}
	if err := ValidateUnnumbered(a); err != nil {
		return nil, err
	}
	return a, nil
}

// ValidateUnnumbered is Advisory.Validate for an imported document that
// may still lack its id: everything else must hold. The caller numbers it
// before storing or exporting it (CheckExportable refuses it until then).
func ValidateUnnumbered(a *vmt.Advisory) error {
	if !a.ID.IsZero() {
		return a.Validate()
	}
	c := *a
	c.ID = vmt.NewAdvisoryID("UNNUMBERED", 9999, 1)
	return c.Validate()
}

func setID(a *vmt.Advisory, id string) {
	if p, err := vmt.ParseAdvisoryID(strings.TrimPrefix(id, LocalPrefix)); err == nil {
		a.ID = p
		return
	}
	a.Aliases = appendNew(a.Aliases, id)
}

// text returns a title and a description: OSV's summary and details, each
// standing in for the other when missing, and the id when both are.
func text(v *osvschema.Vulnerability) (title, desc string) {
	title, desc = strings.TrimSpace(v.GetSummary()), strings.TrimSpace(v.GetDetails())
	if desc == "" {
		desc = title
	}
	if title == "" {
		title, _, _ = strings.Cut(desc, "\n")
	}
	if title == "" {
		title, desc = v.GetId(), v.GetId()
	}
	if r := []rune(title); len(r) > vmt.MaxTitleLen {
		title = string(r[:vmt.MaxTitleLen-1]) + "…"
	}
	return title, desc
}

func setTimes(a *vmt.Advisory, v *osvschema.Vulnerability) {
	a.Published = realTime(v.GetPublished())
	a.Modified = realTime(v.GetModified())
	if a.Published == nil {
		a.Published = a.Modified
	}
	if w := realTime(v.GetWithdrawn()); w != nil {
		a.Withdrawn, a.State = w, vmt.AdvisoryWithdrawn
	}
	if a.Published == nil {
		a.State, a.Withdrawn, a.Modified = vmt.AdvisoryDraft, nil, nil
	}
	if a.Modified != nil && a.Published != nil && a.Modified.Before(*a.Published) {
		a.Modified = a.Published
	}
}

// realTime returns nil for a missing time and for placeholders before 1990.
func realTime(ts *timestamppb.Timestamp) *time.Time {
	if ts == nil {
		return nil
	}
	t := ts.AsTime().UTC()
	if t.Year() < 1990 {
		return nil
	}
	return &t
}

func toAffected(x *osvschema.Affected) vmt.Affected {
	p := x.GetPackage()
	af := vmt.Affected{Component: p.GetName(), Ecosystem: p.GetEcosystem(), PURL: p.GetPurl(), Enumerated: x.GetVersions()}
	ds := x.GetDatabaseSpecific().AsMap()
	af.DatabaseSpecific = others(ds, "component", "versions", "ranges", "enumerated", "branches")
	af.EcosystemSpecific = others(x.GetEcosystemSpecific().AsMap())
	if c, ok := ds["component"].(string); ok && c != "" {
		af.Component = c
		if p.GetName() != c {
			af.Package = p.GetName()
		}
	}
	for _, r := range x.GetRanges() {
		if r.GetType() == osvschema.Range_GIT {
			continue // commits, not versions; the references carry the fixes
		}
		rs := toRanges(r)
		for i := range rs {
			// Kept so that the export writes the type the record had: a
			// GHSA's ECOSYSTEM range of Go versions stays ECOSYSTEM.
			rs[i].Type = r.GetType().String()
		}
		if b, ok := r.GetDatabaseSpecific().AsMap()["branch"].(string); ok && len(rs) == 1 {
			rs[0].Branch = b
		}
		af.Ranges = append(af.Ranges, rs...)
	}
	if len(af.Ranges) == 0 {
		af.Ranges = rangesFromData(ds["ranges"])
	}
	if len(af.Enumerated) == 0 {
		af.Enumerated = strList(ds["enumerated"])
	}
	if bs := strList(ds["branches"]); len(bs) == len(af.Ranges) {
		for i, b := range bs {
			af.Ranges[i].Branch = b
		}
	}
	af.Versions = describeVersions(af)
	if s, ok := ds["versions"].(string); ok && s != "" {
		af.Versions = s
	}
	if af.Component == "" {
		af.Component = "unnamed"
	}
	return af
}

// toRanges splits OSV events into introduced…fixed runs.
func toRanges(r *osvschema.Range) []vmt.VersionRange {
	var out []vmt.VersionRange
	for _, e := range r.GetEvents() {
		switch {
		case e.GetIntroduced() != "":
			out = append(out, vmt.VersionRange{Introduced: e.GetIntroduced()})
		case len(out) == 0:
			out = append(out, vmt.VersionRange{Introduced: "0"})
			fallthrough
		default:
			last := &out[len(out)-1]
			if e.GetFixed() != "" {
				last.Fixed = e.GetFixed()
			} else if e.GetLastAffected() != "" {
				last.LastAffected = e.GetLastAffected()
			}
		}
	}
	return out
}

func rangesFromData(v any) []vmt.VersionRange {
	list, _ := v.([]any)
	var out []vmt.VersionRange
	for _, x := range list {
		m, _ := x.(map[string]any)
		s := func(k string) string { r, _ := m[k].(string); return r }
		out = append(out, vmt.VersionRange{Branch: s("branch"), Introduced: s("introduced"), Fixed: s("fixed"), LastAffected: s("last_affected")})
	}
	return out
}

// describeVersions writes ranges as people read them, with the domain's
// one writer (vmt.VersionSet.String): ">=1.2.0 <1.2.5, ==1.3.0".
func describeVersions(af vmt.Affected) string {
	if len(af.Ranges) == 0 && len(af.Enumerated) == 0 {
		return "unspecified"
	}
	return vmt.VersionSet{Ranges: af.Ranges, Exact: af.Enumerated}.String()
}

func toReference(r *osvschema.Reference) vmt.Reference {
	t := vmt.ReferenceType(r.GetType().String())
	if r.GetType() == osvschema.Reference_NONE {
		t = "WEB"
	}
	u := r.GetUrl()
	if !strings.Contains(u, "://") {
		// Some records give a bare module path as a PACKAGE
		// reference ("golang.org/x/net"); as a link it is https.
		u = "https://" + u
	}
	return vmt.Reference{Type: t, URL: u}
}

func toCredit(c *osvschema.Credit) vmt.Credit {
	t := vmt.CreditType(c.GetType().String())
	if c.GetType() == osvschema.Credit_UNSPECIFIED {
		t = vmt.CreditOther
	}
	return vmt.Credit{Name: c.GetName(), Contact: c.GetContact(), Type: t}
}

func readDatabaseSpecific(a *vmt.Advisory, s *structpb.Struct) {
	m := s.AsMap()
	a.DatabaseSpecific = others(m, ownKeys...)
	if k, ok := m["kind"].(string); ok && k == string(vmt.KindNote) {
		a.Kind = vmt.KindNote
	}
	a.CWEs = strList(m["cwe_ids"])
	a.Notes = strList(m["notes"])
	a.Vendor, _ = m["vendor"].(string)
	a.Summary, _ = m["summary"].(string)
	for _, x := range anyList(m["patches"]) {
		p, _ := x.(map[string]any)
		br, _ := p["branch"].(string)
		a.Patches = append(a.Patches, vmt.Patch{Branch: br, URLs: strList(p["urls"])})
	}
	for _, x := range anyList(m["revisions"]) {
		r, _ := x.(map[string]any)
		n, _ := r["number"].(float64)
		ds, _ := r["date"].(string)
		d, _ := time.Parse(time.DateOnly, ds)
		sum, _ := r["summary"].(string)
		a.Revisions = append(a.Revisions, vmt.Revision{Number: int(n), Date: d, Summary: sum})
	}
	// A patch URL is also a FIX reference in the record; keep it once.
	if len(a.Patches) > 0 {
		a.References = dropPatchRefs(a.References, a.Patches)
	}
}

func dropPatchRefs(refs []vmt.Reference, ps []vmt.Patch) []vmt.Reference {
	inPatch := map[string]bool{}
	for _, p := range ps {
		for _, u := range p.URLs {
			inPatch[u] = true
		}
	}
	var out []vmt.Reference
	for _, r := range refs {
		if !(r.Type == "FIX" && inPatch[r.URL]) {
			out = append(out, r)
		}
	}
	return out
}

func anyList(v any) []any { l, _ := v.([]any); return l }

func strList(v any) []string {
	var out []string
	for _, x := range anyList(v) {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func appendNew(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// readOwnRecord undoes what FromAdvisory folded into OSV fields, for a
// record this package wrote: the mitigation and errata sections of the
// details, the affiliation beside a credited name, and the range types.
func readOwnRecord(a *vmt.Advisory) {
	d, errata, _ := strings.Cut(a.Description, "\n\n## Errata\n\n")
	d, mitigation, _ := strings.Cut(d, "\n\n## Mitigation\n\n")
	a.Description, a.Mitigation, a.Errata = d, mitigation, errata
	// The range types of our record are the ones the export chose from
	// the ecosystem and the versions; it chooses them again.
	for i := range a.Affected {
		for j := range a.Affected[i].Ranges {
			a.Affected[i].Ranges[j].Type = ""
		}
	}
	for i, c := range a.Credits {
		if name, aff, ok := strings.Cut(c.Name, " ("); ok && strings.HasSuffix(aff, ")") {
			a.Credits[i].Name, a.Credits[i].Affiliation = name, strings.TrimSuffix(aff, ")")
		}
	}
}

// ownKeys are the keys of a record's database_specific that the export
// writes from the advisory's own fields.
var ownKeys = []string{"kind", "generator", "cwe_ids", "vendor", "summary", "notes", "patches", "revisions"}

// others returns m without the keys named: what an imported record says
// that no field of the advisory holds, kept for the export (nil if none).
func others(m map[string]any, keys ...string) map[string]any {
	var out map[string]any
	for k, v := range m {
		if slices.Contains(keys, k) {
			continue
		}
		if out == nil {
			out = map[string]any{}
		}
		out[k] = v
	}
	return out
}
