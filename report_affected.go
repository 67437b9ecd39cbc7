package vmt

import (
	"fmt"
	"strings"
)

// AffectedEntry is one line of a report's record of what is affected: a
// component and the versions of it, in the VMT syntax (versions.go). The
// record is kept once, on the report; the impact description, the CVE
// request, the notice, the document and its exports are all made from
// it, so that a change made here is the change everywhere.
type AffectedEntry struct {
	// Component is as the project names it ("agent", "runtime"); empty
	// in the one entry of a report that names no component: the project
	// as a whole.
	Component string `json:"component,omitempty"`
	// Ecosystem and Package name the component where scanners look for
	// it (OSV: "Go", "github.com/kata-containers/kata-containers/src/runtime");
	// both or neither.
	Ecosystem string `json:"ecosystem,omitempty"`
	Package   string `json:"package,omitempty"`
	// Versions is "" while nobody knows yet, else as VersionSet.String
	// writes it.
	Versions string `json:"versions"`
}

// Components lists the component names of the record, in its order.
func (r *Report) Components() []string {
	out := make([]string, 0, len(r.Affected))
	for _, e := range r.Affected {
		if e.Component != "" {
			out = append(out, e.Component)
		}
	}
	return out
}

// AffectedVersions writes the record's versions as $AFFECTED_VERSIONS
// (VersionsText): what the templates and the CVE request show.
func (r *Report) AffectedVersions() string { return VersionsText(r.record()) }

// VersionsText writes affected versions as one text: the versions alone
// when every component has the same (or there is one), else
// "component: versions; …". Reports and documents both write it so.
func VersionsText(afs []Affected) string {
	if len(afs) == 0 {
		return ""
	}
	same := true
	for _, af := range afs[1:] {
		same = same && af.Versions == afs[0].Versions
	}
	if same {
		return afs[0].Versions
	}
	parts := make([]string, len(afs))
	for i, af := range afs {
		parts[i] = af.Component + ": " + af.Versions
	}
	return strings.Join(parts, "; ")
}

// Affected returns e as a document's affected entry, its versions parsed
// into ranges and versions named one by one.
func (e AffectedEntry) Affected() Affected {
	af := Affected{Component: e.Component, Ecosystem: e.Ecosystem, Package: e.Package, Versions: e.Versions}
	if v, err := ParseVersions("versions", e.Versions); err == nil {
		af.Ranges, af.Enumerated = v.Ranges, v.Exact
	}
	return af
}

// AffectedOf makes a record from the simple form of a report: each
// component with the same versions, or the project as a whole when none
// is named.
func AffectedOf(components []string, versions string) []AffectedEntry {
	if len(components) == 0 {
		if strings.TrimSpace(versions) == "" {
			return []AffectedEntry{}
		}
		return []AffectedEntry{{Versions: versions}}
	}
	out := make([]AffectedEntry, len(components))
	for i, c := range components {
		out[i] = AffectedEntry{Component: c, Versions: versions}
	}
	return out
}

// NormalizeAffected checks a record as a person gave it (field names it:
// "affected") and returns it with every versions text as String writes
// it: versions that do not parse, a bad or repeated component, an unnamed
// component beside named ones, or half a package are EINVALID naming the
// entry ("affected[1].versions").
func NormalizeAffected(field string, in []AffectedEntry) ([]AffectedEntry, error) {
	if len(in) > MaxComponents {
		return nil, Invalid(field, "more than %d entries", MaxComponents)
	}
	out := make([]AffectedEntry, 0, len(in))
	seen := map[string]bool{}
	for i, e := range in {
		at := fmt.Sprintf("%s[%d]", field, i)
		e.Component, e.Ecosystem, e.Package = strings.TrimSpace(e.Component), strings.TrimSpace(e.Ecosystem), strings.TrimSpace(e.Package)
		if err := checkEntry(at, e); err != nil {
			return nil, err
		}
		if e.Component == "" && len(in) > 1 {
			return nil, Invalid(at+".component", "is required when the report names several")
		}
		if seen[e.Component] {
			return nil, Invalid(at+".component", "%q is listed twice", e.Component)
		}
		seen[e.Component] = true
		if strings.TrimSpace(e.Versions) != "" {
			v, err := ParseVersions(at+".versions", e.Versions)
			if err != nil {
				return nil, err
			}
			e.Versions = v.String()
		} else {
			e.Versions = ""
		}
		out = append(out, e)
	}
	return out, nil
}

// checkEntry checks what Validate checks of every stored entry: names and
// lengths, not the versions' syntax, which NormalizeAffected checks where
// a person writes them (a document imported with prose keeps its prose).
func checkEntry(at string, e AffectedEntry) error {
	if e.Component != "" && (len(e.Component) > MaxComponentLen || !componentRE.MatchString(e.Component) || ContainsDotDot(e.Component)) {
		return Invalid(at+".component", "%q is not a component name", e.Component)
	}
	if (e.Ecosystem == "") != (e.Package == "") {
		return Invalid(at+".package", "give both the ecosystem and the package, or neither")
	}
	if err := CheckLine(at+".ecosystem", e.Ecosystem, MaxShortFieldLen, false); err != nil {
		return err
	}
	if err := CheckLine(at+".package", e.Package, MaxComponentLen*2, false); err != nil {
		return err
	}
	return CheckLine(at+".versions", e.Versions, MaxVersionsLen, false)
}

// Record returns the record of what is affected that in gives, checked
// and written as NormalizeAffected does: Affected when given, else the
// simple form. The simple form's errors name its own fields.
func (in *ReportInput) Record() ([]AffectedEntry, error) {
	if len(in.Affected) > 0 {
		if len(in.Components) > 0 || strings.TrimSpace(in.AffectedVersions) != "" {
			return nil, Invalid("affected", "give the affected entries or components and affected_versions, not both")
		}
		return NormalizeAffected("affected", in.Affected)
	}
	return simpleRecord(in.Components, in.AffectedVersions)
}

func simpleRecord(components []string, versions string) ([]AffectedEntry, error) {
	if len(components) > MaxComponents {
		return nil, Invalid("components", "more than %d components", MaxComponents)
	}
	for _, c := range components {
		if len(c) > MaxComponentLen || !componentRE.MatchString(c) || ContainsDotDot(c) {
			return nil, Invalid("components", "%q is not a component name", c)
		}
	}
	if strings.TrimSpace(versions) != "" {
		v, err := ParseVersions("affected_versions", versions)
		if err != nil {
			return nil, err
		}
		versions = v.String()
	}
	out, err := NormalizeAffected("components", AffectedOf(components, versions))
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ApplyAffected changes r's record as p says: Affected replaces it whole;
// the simple form changes the components (a component kept keeps its
// versions, a new one gets the versions given, or those all entries
// share) or the versions of every entry.
func (p *ReportPatch) ApplyAffected(r *Report) error {
	switch {
	case p.Affected != nil:
		if p.Components != nil || p.AffectedVersions != nil {
			return Invalid("affected", "give the affected entries or components and affected_versions, not both")
		}
		rec, err := NormalizeAffected("affected", *p.Affected)
		if err != nil {
			return err
		}
		r.Affected = rec
	case p.Components != nil || p.AffectedVersions != nil:
		common := ""
		if len(r.Affected) > 0 && VersionsText(r.record()) == r.Affected[0].Versions {
			common = r.Affected[0].Versions
		}
		if p.AffectedVersions != nil {
			common = *p.AffectedVersions
		}
		comps := r.Components()
		if p.Components != nil {
			comps = *p.Components
		}
		rec, err := simpleRecord(comps, common)
		if err != nil {
			return err
		}
		if p.AffectedVersions == nil {
			// Only the components changed: those kept keep their versions.
			for i := range rec {
				for _, old := range r.Affected {
					if old.Component == rec[i].Component {
						rec[i] = old
					}
				}
			}
		}
		r.Affected = rec
	}
	return nil
}

// record is the report's entries as documents' entries, unparsed.
func (r *Report) record() []Affected {
	afs := make([]Affected, len(r.Affected))
	for i, e := range r.Affected {
		afs[i] = Affected{Component: e.Component, Versions: e.Versions}
	}
	return afs
}

// ParseAffectedLine reads one entry as the CLI and the pages take it:
// "agent: >=3.0.0 <3.2.1", or the versions alone for a report that names
// no component. The entry still goes through NormalizeAffected.
func ParseAffectedLine(s string) AffectedEntry {
	if c, v, ok := strings.Cut(s, ":"); ok {
		return AffectedEntry{Component: strings.TrimSpace(c), Versions: strings.TrimSpace(v)}
	}
	return AffectedEntry{Versions: strings.TrimSpace(s)}
}

// Line writes e as ParseAffectedLine reads it.
func (e AffectedEntry) Line() string {
	if e.Component == "" {
		return e.Versions
	}
	return e.Component + ": " + e.Versions
}
